// Waiting for a page's own mark without disturbing the load being measured.
//
//   await page.goto(url);
//   const readyAt = await pageValue(page, "window.__readyAt");
//
// Playwright's waitForFunction first injects its own script into the page
// (tens of ms of main-thread work, in the middle of a cold load: B5 measured
// it landing between DOMContentLoaded and ready); this asks through the
// DevTools protocol instead, with a timer poll in the page.

/** Resolves to the value of `expression` in the page once it is truthy (polled every 10 ms); rejects after `timeoutMs`. */
export async function pageValue(page, expression, timeoutMs = 60_000) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", {
      expression: `new Promise((resolve, reject) => {
        const end = performance.now() + ${Number(timeoutMs)};
        const poll = () => {
          const value = (${expression});
          if (value) resolve(value);
          else if (performance.now() > end) reject(new Error("timed out waiting for " + ${JSON.stringify(expression)}));
          else setTimeout(poll, 10);
        };
        poll();
      })`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
