// The /slow/ service worker is not a proxy: it serves only this site's files
// under its scope, to fetch() only, with the pages' CSP; it answers null-body
// statuses without a body and refuses statuses it cannot send.
import { assert, waitForReady } from "./harness.mjs";
import { CSP } from "./playground-helpers.mjs";

async function openControlled(page, baseUrl) {
  await page.goto(`${baseUrl}/index.html`, { waitUntil: "load" });
  await waitForReady(page, { timeout: 30_000 });
  const controlled = await page.evaluate(async () => (await import("/sw-register.js")).slowReady);
  assert.equal(controlled, true, "the service worker controls the page");
}

/** fetch(url) in the page: { status, body, slow, csp } or { error }. */
const get = (page, url) =>
  page.evaluate(async (url) => {
    try {
      const res = await fetch(url);
      return {
        status: res.status,
        body: await res.text(),
        slow: res.headers.get("x-slow"),
        csp: res.headers.get("content-security-policy"),
      };
    } catch (error) {
      return { error: String(error) };
    }
  }, url);

export const tests = {
  "the /slow/ worker refuses other origins, data: and blob: URLs": async ({ page, baseUrl, expectConsoleError }) => {
    expectConsoleError(/status of 40[34]/);
    await openControlled(page, baseUrl);
    const other = `http://127.0.0.1:${Number(new URL(baseUrl).port) + 1}/x`;
    for (const target of [
      other,
      "//example.org/x",
      "data:text/plain,1%0A2%0A3",
      "blob:http://127.0.0.1/abc",
      "../../etc/passwd",
      "http:/127.0.0.2/x",
    ]) {
      const got = await get(page, `/slow/${target}`);
      if (["//example.org/x", "http:/127.0.0.2/x", "../../etc/passwd"].includes(target)) {
        // Resolved inside the site (same origin, under the scope): served or 404, never another site.
        assert.notEqual(got.status, 200, `${target}: ${JSON.stringify(got)}`);
        continue;
      }
      assert.equal(got.status, 403, `${target}: ${JSON.stringify(got)}`);
      assert.match(got.body, /is not a file of this site/);
      assert.equal(got.csp, CSP);
    }
    // The refused data: URL also fails as a program source.
    const sum = await page.evaluate(async () => {
      const wasm = await import("/pkg/async_playground.js");
      await wasm.default();
      const report = await wasm.run('sum(fetch("slow/data:text/plain,1%0A2%0A3"))', {});
      return report.statements[0].result.text;
    });
    assert.match(sum, /403/);
  },

  "the /slow/ worker refuses navigations and its answers carry the CSP": async ({
    page,
    baseUrl,
    expectConsoleError,
  }) => {
    expectConsoleError(/status of 403/);
    await openControlled(page, baseUrl);
    const served = await get(page, "/slow/data/numbers.txt?latency=10");
    assert.equal(served.status, 200);
    assert.equal(served.slow, "1");
    assert.equal(served.csp, CSP, "served files carry the pages\u2019 CSP");
    const real = await (await fetch(`${baseUrl}/data/numbers.txt`)).text();
    assert.equal(served.body, real);

    // Typed into the address bar or opened in a frame: refused, nothing runs.
    const nav = await page.goto(`${baseUrl}/slow/data:text/html,<script>localStorage.x=1</script>`);
    assert.equal(nav.status(), 403);
    assert.equal(nav.headers()["content-type"], "text/plain; charset=utf-8");
    assert.match(await page.textContent("body"), /only fetch\(\) requests are served \(this one is a navigation\)/);
    const file = await page.goto(`${baseUrl}/slow/index.html`);
    assert.equal(file.status(), 403, "even a file of the site is not served as a page");
    await page.goto(`${baseUrl}/index.html`);
    assert.equal(await page.evaluate(() => localStorage.getItem("x")), null);
  },

  "the /slow/ worker sends null-body statuses and refuses ones it cannot send": async ({
    page,
    baseUrl,
    expectConsoleError,
  }) => {
    expectConsoleError(/status of (400|503)/);
    await openControlled(page, baseUrl);
    for (const status of [204, 205, 304]) {
      const got = await get(page, `/slow/data/numbers.txt?status=${status}`);
      assert.deepEqual([got.status, got.body, got.slow], [status, "", "1"], `status=${status}: ${JSON.stringify(got)}`);
    }
    const unavailable = await get(page, "/slow/data/numbers.txt?status=503");
    assert.equal(unavailable.status, 503);
    for (const status of ["101", "199", "600", "2x", "-1"]) {
      const got = await get(page, `/slow/data/numbers.txt?status=${status}`);
      assert.equal(got.status, 400, `status=${status}: ${JSON.stringify(got)}`);
      assert.match(got.body, new RegExp(`status=${status} cannot be sent: a service worker answers only 200\\.\\.599`));
    }
  },
};
