// Shared helpers for the end-to-end tests: a static server for www/, a headless
// Chromium launched through playwright-core, and small wait/expect helpers.
//
// Tests never download a browser: they use Debian's /usr/bin/chromium
// (override with CHROMIUM=/path/to/chrome).
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export { assert };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
// E2E_WWW: serve another directory (only for testing the harness itself).
export const WWW = process.env.E2E_WWW || path.join(ROOT, "www");
export const OUT_DIR = path.join(ROOT, "test-output");
export const HOST = "127.0.0.1";
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port that was free on 127.0.0.1 a moment ago. */
export function findFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

/**
 * Serve `dir` with `tools/serve.py` (what `./dev serve` runs: http.server with
 * CORS and the wasm MIME type) on 127.0.0.1 and a free port; `cors: false` leaves
 * the CORS header out. Returns { baseUrl, port, stop() }. stop() is idempotent and
 * synchronous enough to be called from an exit handler.
 */
export async function startServer({ dir = WWW, logFile = path.join(OUT_DIR, "e2e-server.log"), cors = true } = {}) {
  mkdirSync(OUT_DIR, { recursive: true });
  let lastError = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await findFreePort();
    const log = createWriteStream(logFile, { flags: attempt ? "a" : "w" });
    const args = [path.join(ROOT, "tools", "serve.py"), String(port), "--bind", HOST, "-d", dir];
    if (!cors) args.push("--no-cors");
    const child = spawn("python3", args, {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    child.on("error", (e) => {
      exited = true;
      lastError = e.message;
    });
    const stop = () => {
      if (!exited && child.exitCode === null) {
        try {
          child.kill("SIGTERM");
        } catch {
          /* already gone */
        }
      }
    };
    const baseUrl = `http://${HOST}:${port}`;
    const deadline = Date.now() + 10_000;
    while (!exited && Date.now() < deadline) {
      if (await httpOk(`${baseUrl}/`)) return { baseUrl, port, stop };
      await sleep(100);
    }
    stop();
    lastError ||= exited ? `server exited with code ${child.exitCode}` : "server did not answer within 10 s";
  }
  throw new Error(`could not start tools/serve.py: ${lastError} (see ${logFile})`);
}

/** One headless Chromium (fresh temporary profile, removed by playwright on close). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30_000,
  });
}

/**
 * Watch a page for uncaught exceptions and console errors. Returns
 * { errors, messages, firstError, expect } where firstError is a promise that
 * resolves with the first error (used by the runner to fail a test at once),
 * and expect(regex) declares a console error the test provokes on purpose
 * (Chromium logs every 4xx/5xx response as one).
 */
export function watchPage(page) {
  const errors = [];
  const messages = [];
  const expected = [];
  let signal;
  const firstError = new Promise((resolve) => {
    signal = resolve;
  });
  const add = (text) => {
    errors.push(text);
    signal(text);
  };
  page.on("pageerror", (err) => add(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    const text = `[${msg.type()}] ${msg.text()}`;
    messages.push(text);
    if (msg.type() === "error") {
      const loc = msg.location();
      // The browser asks for /favicon.ico on its own; a 404 there is not the page's error.
      if (loc && /\/favicon\.ico$/.test(loc.url || "")) return;
      if (expected.some((re) => re.test(`${msg.text()} ${loc?.url || ""}`))) return;
      add(`console error: ${msg.text()}${loc?.url ? ` (${loc.url})` : ""}`);
    }
  });
  page.on("crash", () => add("page crashed"));
  return { errors, messages, firstError, expect: (re) => expected.push(re) };
}

/**
 * Wait until the page reports it is ready: the page sets
 * document.documentElement.dataset.ready = "true" once the wasm module is
 * initialised (or some element carries a data-ready attribute that is not "false").
 */
export async function waitForReady(page, { timeout = 30_000 } = {}) {
  await page.waitForFunction(
    () =>
      document.documentElement.dataset.ready === "true" ||
      document.querySelector('body [data-ready]:not([data-ready="false"])') !== null,
    null,
    { timeout, polling: 50 },
  );
}

/** Poll fn until it returns a truthy value; returns that value. */
export async function waitFor(fn, { timeout = 10_000, interval = 50, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeout} ms waiting for ${message}${last instanceof Error ? `: ${last.message}` : ""}`,
      );
    }
    await sleep(interval);
  }
}

/**
 * Real timers: a stall of the machine makes one run late by chance, a wrong
 * schedule every run. Runs `round` (which asserts its floors itself: under
 * them fails at once) until it comes back with `late` empty, up to `rounds`
 * times; returns that round's `result`, logs the late runs measured again,
 * and fails with every late run's description.
 */
export async function onTimeWithin(rounds, round) {
  const late = [];
  for (let attempt = 0; attempt < rounds; attempt++) {
    const { result, late: lateness } = await round();
    if (!lateness) {
      if (late.length) console.log(`  late runs measured again: ${late.join("; ")}`);
      return result;
    }
    late.push(lateness);
  }
  assert.fail(`late in every one of ${rounds} runs: ${late.join("; ")}`);
}

/** Trimmed text content of the first element matching selector. */
export async function textOf(page, selector, { timeout = 10_000 } = {}) {
  const el = page.locator(selector).first();
  await el.waitFor({ state: "attached", timeout });
  return ((await el.textContent()) ?? "").trim();
}

/** A file-name-safe version of a test name. */
export const slug = (s) =>
  s
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80) || "test";
