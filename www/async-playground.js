// The script a page includes for <async-playground> (the element itself and its
// attributes are documented in playground-element.js and the README).
//
//   <script type="module" src=".../async-playground.js"></script>
//
// It has no static imports, so it runs one round trip after the page asks for
// it, and in that turn it asks for everything the element will need: every
// module of the element's graph at once (hints, so not one import level per
// round trip), and, as soon as an element is near the viewport (or
// loading="eager"), the engine's glue and wasm, so they arrive with the element
// code instead of one round trip after it; an element near the viewport at once
// also has the engine compiled while its modules arrive. An element never near
// the viewport costs no engine bytes. engine.js's own fetch and import then find these
// downloads under way (same URLs, same CORS mode).

/** What playground-element.js imports, directly or not (tests/e2e/embed.test.mjs checks the list). */
// biome-ignore format: tests/e2e/embed.test.mjs reads this list as JSON (no trailing comma)
const ELEMENT_IMPORTS = ["dom.js", "engine.js", "code-editor.js", "results-view.js", "format.js", "io-ideal.js", "share-link.js", "draft-store.js", "action-notice.js", "trace-export.js", "lazy-start.js"];
/** As in lazy-start.js: how far ahead of the viewport (CSS px) an element starts loading the engine. */
const AHEAD = 300;

/** "rel href" of every hint the page has (its own, in its head, and ours). */
const hinted = new Set(
  [...document.querySelectorAll('link[rel="modulepreload"], link[rel="preload"]')].map((l) => `${l.rel} ${l.href}`),
);

/** Adds `<link rel=... href=...>` to the head, unless the page already has one for that URL. */
function hint(rel, file, attributes = {}) {
  const href = new URL(file, import.meta.url).href;
  if (hinted.has(`${rel} ${href}`)) return;
  hinted.add(`${rel} ${href}`);
  const link = Object.assign(document.createElement("link"), { rel, href }, attributes);
  document.head.append(link);
}

function hintEngine() {
  hint("modulepreload", "./pkg/async_playground.js");
  hint("preload", "./pkg/async_playground_bg.wasm", {
    as: "fetch",
    type: "application/wasm",
    crossOrigin: "anonymous",
  });
}

/** Hints the element's modules. (The site's pages load async-playground.bundle.js, which has them inside: tools/bundle.mjs leaves the call out.) */
function hintElementModules() {
  for (const file of ["playground-element.js", ...ELEMENT_IMPORTS]) hint("modulepreload", `./${file}`);
}

/** Whether `element` is shown within AHEAD of the viewport now (module scripts run once the page is parsed). */
function nearNow(element) {
  const box = element.getBoundingClientRect();
  return (
    (box.width > 0 || box.height > 0) &&
    box.bottom >= -AHEAD &&
    box.top <= innerHeight + AHEAD &&
    box.right >= -AHEAD &&
    box.left <= innerWidth + AHEAD
  );
}

/**
 * Hints the engine once any element already on the page comes near the viewport,
 * until `defined` settles: from then on each element starts the engine itself,
 * and a hint made in the same turn as its fetch would be a second download.
 */
function hintEngineWhenNear(elements, defined) {
  if (!elements.length || typeof IntersectionObserver !== "function") return;
  const observer = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      hintEngine();
    },
    { rootMargin: `${AHEAD}px` },
  );
  for (const element of elements) observer.observe(element);
  const stop = () => observer.disconnect();
  defined.then(stop, stop);
}

const elements = [...document.querySelectorAll("async-playground")];
// The engine first: over HTTP/1.1 (6 connections per host) the longest download
// should not queue behind the small modules.
const engineNow = elements.some((e) => e.getAttribute("loading") === "eager" || nearNow(e));
if (engineNow) hintEngine();
hintElementModules();
const element = import("./playground-element.js");
// An element that will load the engine anyway: compile it while the element's
// modules download (loadEngine is shared: the element finds it under way or
// done). A failure is the element's to report, once it asks.
if (engineNow) import("./engine.js").then((engine) => engine.loadEngine()).catch(() => {});
// The element reads its draft (draft-store.js) before it is ready, and a page's
// first read of localStorage waits on the browser process: done now, while the
// modules download, it is not on the way to ready.
if (engineNow) {
  try {
    globalThis.localStorage?.getItem("async-playground:draft:");
  } catch {
    // No storage here (a sandboxed frame): the element keeps no drafts.
  }
}
if (!engineNow) hintEngineWhenNear(elements, element);

export const { AsyncPlayground } = await element;
