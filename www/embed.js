// embed.html: query parameters become the element's attributes
// (?clock=virtual&speed=2&autorun=1&readonly=1&example=race&theme=dark&height=240px&t=1.5s&view=timeline,
// no-python=1 to hide the Python view, python-style=notebook),
// JupyterLite-style. The element is defined afterwards so it starts with them.
// view=timeline shows the results and the timeline only, and runs at once.
//
// In a frame, the page tells its parent how tall its content is, whenever that
// changes: postMessage({ type: "async-playground:height", height }) with the
// height in CSS pixels. embed-resize.js (optional, on the parent page) sizes the
// iframe to it.

const params = new URLSearchParams(location.search);
const element = document.querySelector("async-playground");
const FLAGS = ["autorun", "readonly", "no-python"];
const VALUES = ["clock", "speed", "example", "theme", "height", "view", "python-style", "t"];

for (const flag of FLAGS) {
  const value = params.get(flag);
  if (value !== null && value !== "0" && value !== "false") element.setAttribute(flag, "");
}
for (const name of VALUES) {
  const value = params.get(name);
  if (value) element.setAttribute(name, value);
}
if (element.getAttribute("view") === "timeline") element.setAttribute("autorun", "");

if (window.parent !== window) {
  let posted = 0;
  const post = () => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === posted) return;
    posted = height;
    window.parent.postMessage({ type: "async-playground:height", height }, "*");
  };
  new ResizeObserver(post).observe(document.body);
}

// The bundle of async-playground.js and the element (tools/bundle.mjs): one request, not twelve.
await import("./async-playground.bundle.js");
