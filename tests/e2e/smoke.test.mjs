// Smoke test: the release page loads, the wasm module initialises, and nothing
// is logged as an error (a corrupted wasm, e.g. a bad wasm-opt, shows up here as a
// `WebAssembly.Table.set` page error).
import { assert, waitForReady } from "./harness.mjs";

export const tests = {
  "index.html loads and the wasm module initialises": async ({ page, baseUrl, screenshot }) => {
    const res = await page.goto(`${baseUrl}/index.html`, { waitUntil: "load" });
    assert.ok(res, "no response for /index.html");
    assert.equal(res.status(), 200, `/index.html answered HTTP ${res.status()}`);
    await waitForReady(page, { timeout: 30_000 });
    await screenshot("smoke");
  },
};
