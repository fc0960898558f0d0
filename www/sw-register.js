// Registers the /slow/ service worker (sw.js) for the pages' own directory.
// Pages load it with <script type="module" src="sw-register.js"></script>.
//
// `slowReady` resolves to true once this page is controlled by the worker
// (so `/slow/...` URLs answer), or false where service workers are
// unavailable (an insecure origin, some private modes).

async function register() {
  if (!("serviceWorker" in navigator)) return false;
  try {
    await navigator.serviceWorker.register(new URL("sw.js", import.meta.url), {
      scope: new URL("./", import.meta.url).pathname,
    });
  } catch (error) {
    console.warn("async-playground: the /slow/ service worker did not register:", error);
    return false;
  }
  if (navigator.serviceWorker.controller) return true;
  // First visit: the worker claims this page as soon as it activates.
  return new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true), { once: true });
  });
}

export const slowReady = register();
globalThis.asyncPlaygroundSlowReady = slowReady;
