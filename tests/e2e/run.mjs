#!/usr/bin/env node
// End-to-end runner: serves www/ (the release package must already be built,
// `./dev build`; the pages' bundle of the element, tools/bundle.mjs, is rebuilt
// here from the sources), launches one headless Chromium, and runs every
// exported test of tests/e2e/*.test.mjs in a fresh browser context.
//
//   node tests/e2e/run.mjs [substring]     only tests whose "file: name" contains substring
//
// A test file exports
//   export const tests = { 'name': async ({ page, baseUrl, screenshot, context }) => { ... } };
// A value may also be { timeout: ms, run: async (ctx) => {...} } (default timeout 60 s).
// A test fails if it throws, times out, or the page logs an uncaught exception or
// a console error. On failure a screenshot goes to test-output/<file>-<name>-FAILED.png.
//
// A failed test runs once more (E2E_RETRIES=0: never): on a busy machine a
// real-time test can fail by chance, a real defect fails twice. A pass on the
// retry counts as passed, and is never silent: its line is
// `ok - name (flaky: passed on retry; first try: reason)`, and a
// `flaky (passed on retry): K: names` line comes before the last line.
//
// Output: one line per test (`ok - name` / `not ok - name: reason`), then the last
// line `N passed, N failed`. Exit status 1 if anything failed.
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { OUT_DIR, WWW, launchBrowser, slug, startServer, watchPage } from "./harness.mjs";
import { writeBundle } from "../../tools/bundle.mjs";

const DEFAULT_TIMEOUT = 60_000;
const RETRIES = Number(process.env.E2E_RETRIES ?? 1);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] || "";

let server = null;
let browser = null;
let cleaning = null;
let interrupted = false;

function cleanup() {
  cleaning ??= (async () => {
    if (browser) await browser.close().catch(() => {});
    if (server) server.stop();
  })();
  return cleaning;
}
// The server is a child process: never leave it behind.
process.on("exit", () => {
  if (server) server.stop();
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    interrupted = true;
    console.log(`interrupted by ${sig}`);
    cleanup().finally(() => process.exit(130));
  });
}

const oneLine = (s) =>
  String(s)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes (ESC [ ... m)
    .replace(/\x1b\[[0-9;]*m/g, "")
    .replace(/\s*\n\s*/g, " | ")
    .slice(0, 600);

async function collectTests() {
  const files = readdirSync(HERE)
    .filter((f) => f.endsWith(".test.mjs"))
    .sort();
  const list = [];
  for (const file of files) {
    const short = file.replace(/\.test\.mjs$/, "");
    let mod;
    try {
      mod = await import(pathToFileURL(path.join(HERE, file)).href);
    } catch (e) {
      list.push({ file: short, name: "(load)", loadError: e });
      continue;
    }
    const tests = mod.tests;
    if (!tests || typeof tests !== "object") {
      list.push({ file: short, name: "(load)", loadError: new Error("does not export `tests`") });
      continue;
    }
    for (const [name, value] of Object.entries(tests)) {
      const run = typeof value === "function" ? value : value?.run;
      const timeout = (typeof value === "object" && value?.timeout) || DEFAULT_TIMEOUT;
      if (typeof run !== "function") {
        list.push({ file: short, name, loadError: new Error("is neither a function nor { run }") });
      } else {
        list.push({ file: short, name, run, timeout });
      }
    }
  }
  return list.filter((t) => `${t.file}: ${t.name}`.includes(filter));
}

async function runOne(t, baseUrl) {
  let context;
  let page;
  let watch = { errors: [] };
  const screenshot = async (name) => {
    const file = path.join(OUT_DIR, `${slug(name)}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  let timer;
  try {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(Math.min(30_000, t.timeout));
    watch = watchPage(page);
    const expectConsoleError = watch.expect;
    const body = Promise.resolve().then(() => t.run({ page, baseUrl, screenshot, context, expectConsoleError }));
    body.catch(() => {}); // if we fail early, the body's later rejection is not interesting
    await Promise.race([
      body,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${t.timeout} ms`)), t.timeout);
      }),
      watch.firstError.then((e) => {
        throw new Error(e);
      }),
    ]);
    // errors logged while the last awaited step settled
    await new Promise((r) => setTimeout(r, 50));
    if (watch.errors.length) throw new Error(watch.errors.join("; "));
    return null;
  } catch (e) {
    const extra = watch.errors.filter((x) => !String(e?.message).includes(x));
    let reason = (e?.message || String(e)) + (extra.length ? `; also: ${extra.join("; ")}` : "");
    try {
      const file = await screenshot(`${t.file}-${t.name}-FAILED`);
      reason += ` (screenshot: ${path.relative(process.cwd(), file)})`;
    } catch {
      /* page may be gone */
    }
    return reason;
  } finally {
    clearTimeout(timer);
    if (context) await context.close().catch(() => {});
  }
}

async function main() {
  mkdirSync(OUT_DIR, { recursive: true });
  const tests = await collectTests();
  let passed = 0;
  let failed = 0;
  const flaky = [];
  const report = (t, reason, firstTries = []) => {
    if (interrupted) return;
    const label = `${t.file}: ${t.name}`;
    if (reason === null && firstTries.length) {
      passed++;
      flaky.push(label);
      console.log(`ok - ${label} (flaky: passed on retry; first try: ${firstTries.map(oneLine).join("; then: ")})`);
    } else if (reason === null) {
      passed++;
      console.log(`ok - ${label}`);
    } else {
      failed++;
      console.log(`not ok - ${label}: ${oneLine(reason)}`);
    }
  };

  const runnable = tests.filter((t) => !t.loadError);
  for (const t of tests.filter((t) => t.loadError)) report(t, t.loadError.stack || t.loadError.message);

  if (runnable.length) {
    let setupError = null;
    try {
      // The pages load the element's modules bundled: built from the sources being tested.
      writeBundle(WWW);
      server = await startServer();
      browser = await launchBrowser();
      console.log(`# serving www/ at ${server.baseUrl}/, chromium ${browser.version()}`);
    } catch (e) {
      setupError = e;
    }
    for (const t of runnable) {
      if (setupError) {
        report(t, `setup failed: ${setupError.message}`);
        continue;
      }
      const t0 = Date.now();
      let reason = await runOne(t, server.baseUrl);
      const firstTries = [];
      while (reason !== null && firstTries.length < RETRIES && !interrupted) {
        console.log(`retry - ${t.file}: ${t.name}: ${oneLine(reason)}`);
        firstTries.push(reason);
        reason = await runOne(t, server.baseUrl);
      }
      if (reason !== null && firstTries.length) reason += `; before the retry: ${firstTries.join("; ")}`;
      report(t, reason, firstTries);
      if (reason === null) console.log(`#   ${Date.now() - t0} ms`);
    }
  }
  await cleanup();
  if (flaky.length) console.log(`flaky (passed on retry): ${flaky.length}: ${flaky.join(" | ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (e) => {
    console.log(`runner crashed: ${oneLine(e?.stack || e)}`);
    await cleanup();
    console.log("0 passed, 1 failed");
    process.exitCode = 1;
  },
);
