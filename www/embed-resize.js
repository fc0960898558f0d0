// Optional, for pages that embed embed.html in iframes: sizes each such iframe
// to its content, so the timeline is never clipped and there is no inner scrollbar.
//
//   <script type="module" src="https://example.org/playground/embed-resize.js"></script>
//   <iframe src="https://example.org/playground/embed.html?example=gather" ...></iframe>
//
// It listens for the message embed.html posts to its parent,
// { type: "async-playground:height", height } (CSS pixels), and sets the height
// of the iframe that sent it. Other messages and other frames are left alone.

const TYPE = "async-playground:height";
const MAX_HEIGHT = 20_000;

addEventListener("message", (event) => {
  const { data } = event;
  if (data?.type !== TYPE || !Number.isFinite(data.height)) return;
  for (const frame of document.querySelectorAll("iframe")) {
    if (frame.contentWindow === event.source) {
      frame.style.height = `${Math.min(Math.max(Math.ceil(data.height), 0), MAX_HEIGHT)}px`;
      return;
    }
  }
});
