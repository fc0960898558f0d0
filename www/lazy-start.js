// When an <async-playground> loads the engine: a page with ten embeds should
// download and compile nothing for the ones nobody scrolls to.

/** How far ahead of the viewport (CSS px) an element starts loading (async-playground.js hints the engine at the same distance). */
const AHEAD = 300;

/**
 * Whether `element` is laid out within `margin` px of the viewport now. An
 * element just connected is checked at once rather than waiting a frame for
 * the observer's first callback (reading its box lays the page out, which is
 * cheap then: its shadow content is hidden until its stylesheet arrives).
 */
function nearNow(element, margin) {
  if (!element.getClientRects().length) return false; // not rendered (display: none)
  const box = element.getBoundingClientRect();
  return (
    box.bottom >= -margin && box.top <= innerHeight + margin && box.right >= -margin && box.left <= innerWidth + margin
  );
}

/**
 * `{ promise, now }`: the promise resolves once `element` is or comes within
 * `margin` CSS px of the viewport, or when `now()` is called (a Run press). `loading="eager"`
 * on the element, or a browser without IntersectionObserver, resolves it at once.
 *
 *   const wanted = whenNear(element);
 *   button.onclick = wanted.now;
 *   await wanted.promise; // then load
 */
export function whenNear(element, { margin = AHEAD } = {}) {
  let now;
  const promise = new Promise((resolve) => (now = resolve));
  if (
    element.getAttribute("loading") === "eager" ||
    typeof IntersectionObserver !== "function" ||
    nearNow(element, margin)
  ) {
    now();
    return { promise, now };
  }
  const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && now(), {
    rootMargin: `${margin}px`,
  });
  observer.observe(element);
  promise.then(() => observer.disconnect());
  return { promise, now };
}

/** Resolves once some of `element` is on screen (autorun waits for this). */
export const whenVisible = (element) => whenNear(element, { margin: 0 }).promise;

/** Resolves once the page is idle (what can wait for it waits: the studio package), or after `timeout` ms at the latest. */
export function whenIdle({ timeout = 2000 } = {}) {
  return new Promise((resolve) =>
    typeof requestIdleCallback === "function" ? requestIdleCallback(resolve, { timeout }) : setTimeout(resolve, 1),
  );
}
