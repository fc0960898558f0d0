// Helpers for driving <async-playground> in the e2e tests. Playwright's CSS
// locators pierce open shadow roots, so `scope.locator('#run')` finds the
// element's own Run button.
import { assert, waitFor, waitForReady } from "./harness.mjs";

/** The post's gather example at 100 ms per value: ideal 300 ms. */
export const GATHER_100MS = [
  "source afeat1 = [10, 20, 40] every 100ms",
  "source afeat2 = [50, 500, 5000] every 100ms",
  "",
  "gather(collect(afeat1), collect(afeat2))",
].join("\n");

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https: http://localhost:* http://127.0.0.1:*";

/**
 * Opens a page and waits until every playground on it is ready. Playgrounds load
 * the engine when they come near the viewport, so each is scrolled to in turn.
 */
export async function open(page, baseUrl, path = "index.html") {
  const res = await page.goto(`${baseUrl}/${path}`, { waitUntil: "load" });
  assert.equal(res.status(), 200, `/${path} answered HTTP ${res.status()}`);
  await waitForReady(page);
  for (const element of await page.locator("async-playground").all()) {
    await element.scrollIntoViewIfNeeded();
    await element.evaluate(
      (e) => e.dataset.ready === "true" || new Promise((r) => e.addEventListener("ready", r, { once: true })),
    );
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** A locator scoped to one playground (the first by default). */
export const playground = (page, selector = "async-playground") => page.locator(selector).first();

/** Replaces the program text as a user would (fires input events). */
export async function setCode(scope, text) {
  await scope.locator("#code").fill(text);
}

export const codeOf = (scope) => scope.locator("#code").inputValue();

// Anchored to the element's own root: the timeline inside has a `.status` of its own.
export const STATUS = ".playground > .status";
export const RESULT_ROWS = ".playground > .results > .result";

export const statusOf = async (scope) => ((await scope.locator(STATUS).textContent()) ?? "").trim();

/** The result rows: [{ label, value, timing, state, elapsedMs, idealMs }]. */
export function resultsOf(scope) {
  return scope.locator(RESULT_ROWS).evaluateAll((rows) =>
    rows.map((row) => {
      const timing = row.querySelector(".result-timing");
      return {
        label: row.querySelector(".result-label").textContent,
        value: row.querySelector(".result-value").textContent,
        timing: timing.textContent,
        state: row.dataset.state,
        elapsedMs: timing.dataset.elapsedMs === undefined ? null : Number(timing.dataset.elapsedMs),
        idealMs: timing.dataset.idealMs === undefined ? null : Number(timing.dataset.idealMs),
      };
    }),
  );
}

/** Waits until the run is over: no row waiting or running and the element not busy. */
export async function waitForRunEnd(scope, { timeout = 15_000 } = {}) {
  return waitFor(
    async () => {
      const busy = await scope.evaluate((el) => el.hasAttribute("running"));
      const rows = await resultsOf(scope);
      return !busy && rows.length > 0 && rows.every((r) => !["waiting", "running"].includes(r.state)) && rows;
    },
    { timeout, message: "the run to finish" },
  );
}

/** Runs the current program with the Run button and returns the settled rows. */
export async function runAndWait(scope, options) {
  await scope.locator("#run").click();
  return waitForRunEnd(scope, options);
}

/** Chooses the clock with its switch, as a user would. */
export async function chooseClock(scope, clock) {
  await scope.locator(`input[name="clock"][value="${clock}"]`).check({ force: true });
}
