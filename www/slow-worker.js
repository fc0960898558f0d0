// Programs that fetch `slow/...` URLs need the /slow/ service worker (sw.js) to
// control the page. On a first visit it takes control a moment after the page
// loads; on a page of another site it is not there at all. A run waits for it
// briefly, or says exactly why it cannot and what the page's author can do.

/** A string literal holding a relative slow/ URL: `"slow/..."` or `"./slow/..."`. */
const USES_SLOW = /["'](?:\.\/)?slow\//;
const WAIT_MS = 4000;

const timeout = (ms) => new Promise((resolve) => setTimeout(() => resolve("timeout"), ms));

/**
 * Null when `program` needs no worker or the page is controlled (after waiting
 * up to `waitMs` for it); otherwise the reason, in a sentence for the status line.
 *
 *   const problem = await slowWorkerProblem(text);
 *   if (problem) say(problem);
 */
export async function slowWorkerProblem(program, { waitMs = WAIT_MS } = {}) {
  if (!USES_SLOW.test(program)) return null;
  const workers = navigator.serviceWorker;
  if (!workers) {
    return "This program fetches slow/… URLs, which the /slow/ service worker answers, but service workers are unavailable here (they need https or localhost, and some private modes turn them off). Fetch the files directly instead (drop slow/).";
  }
  if (workers.controller) return null;
  const deadline = timeout(waitMs);
  const controlled = new Promise((resolve) => workers.addEventListener("controllerchange", resolve, { once: true }));
  await Promise.race([controlled, deadline]);
  if (workers.controller) return null;
  const registration = await workers.getRegistration();
  if (!registration) {
    return `This program fetches slow/… URLs, which the /slow/ service worker answers, but this page (${location.origin}) has none. A service worker only works on its own origin: its author can copy sw.js and sw-register.js next to the page and load sw-register.js, or fetch the files without slow/.`;
  }
  return "The /slow/ service worker has not taken control of this page yet; reload the page and run again.";
}
