// When an <async-playground> loads the engine: a page with ten embeds should
// download and compile nothing for the ones nobody scrolls to.

/** How far ahead of the viewport an element starts loading. */
const AHEAD = "300px";

/**
 * `{ promise, now }`: the promise resolves once `element` comes within `margin`
 * of the viewport, or when `now()` is called (a Run press). `loading="eager"`
 * on the element, or a browser without IntersectionObserver, resolves it at once.
 *
 *   const wanted = whenNear(element);
 *   button.onclick = wanted.now;
 *   await wanted.promise; // then load
 */
export function whenNear(element, { margin = AHEAD } = {}) {
  let now;
  const promise = new Promise((resolve) => (now = resolve));
  if (element.getAttribute("loading") === "eager" || typeof IntersectionObserver !== "function") {
    now();
    return { promise, now };
  }
  const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && now(), {
    rootMargin: margin,
  });
  observer.observe(element);
  promise.then(() => observer.disconnect());
  return { promise, now };
}

/** Resolves once some of `element` is on screen (autorun waits for this). */
export const whenVisible = (element) => whenNear(element, { margin: "0px" }).promise;
