// The benchmark driver: serves www/ on 127.0.0.1, drives headless Chromium
// (playwright-core, Debian's /usr/bin/chromium) through www/bench.html, prints
// one table, writes bench/results.json and the table in bench/README.md.
//
//   node bench/run.mjs            the full run (what `./dev bench` does after building)
//   node bench/run.mjs --quick    fewer repetitions and smaller sizes, for trying the driver
//   node bench/run.mjs --only B2,B4   run some figures (results.json/README untouched)
//   node bench/run.mjs --only B8      Run ×N: seeds per second of a 100-call gather
//   node bench/run.mjs --only B3,B4 --b4-sizes 1e3 --reps 15   some sizes, more repetitions
//   node bench/run.mjs --profile  CPU profiles (DevTools protocol) of B2 and B4 runs; see README
//   node bench/run.mjs --peers    also B7: the post's Python under Pyodide (what `./dev bench --peers` does)
//
// Every figure is the median of the repetitions plus min and max; every ratio
// is computed per repetition (both contenders run back to back in the same
// page) and then summarised the same way.
import { readFileSync, readdirSync, writeFileSync, existsSync, statSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync, constants as zc } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { startServer, CHROMIUM, CHROMIUM_ARGS, watchPage, ROOT } from "../tests/e2e/harness.mjs";
import { pageValue } from "./page-wait.mjs";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SOURCE_WWW = process.env.BENCH_WWW || path.join(ROOT, "www");
// The run serves a snapshot of www/ taken at start: other builds in the same
// tree (./dev test, wasm-pack test) may rewrite www/pkg while the benchmark runs.
const SNAPSHOT = mkdtempSync(path.join(os.tmpdir(), "bench-www-"));
const WWW = path.join(SNAPSHOT, "www");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = flag("--quick");
const PROFILE = flag("--profile");
const ONLY = opt("--only")
  ? new Set(
      opt("--only")
        .split(",")
        .map((s) => s.trim().toUpperCase()),
    )
  : null;
const want = (fig) => !ONLY || ONLY.has(fig);
const WRITE = !QUICK && !ONLY && !PROFILE && !opt("--reps") && !opt("--b4-sizes");
// Pyodide's npm package, installed by `./dev bench --peers` (version pinned in wasm-pack.toml [peers]).
const PEERS = flag("--peers");
const PYODIDE_SRC = process.env.BENCH_PYODIDE || path.join(ROOT, ".tools", "pyodide", "node_modules", "pyodide");

const REPS = Number(opt("--reps")) || (QUICK ? 3 : 5);
const B4_SIZES = opt("--b4-sizes")
  ? opt("--b4-sizes")
      .split(",")
      .map((size) => Number(size))
  : QUICK
    ? [1e3, 1e4, 1e5]
    : [1e3, 1e4, 1e5, 1e6, 1e7];
const B4_REPS_1E6 = 3; // time-bound: see README
// From this many sources on, the JS setTimeout contender is not run: at the
// ~500 B per task it takes at 10^6 (JS heap), 10^7 tasks need ~5 GB, more
// than a tab's heap holds. Ours runs alone (wall / ideal and memory rows).
const B4_JS_MAX = 1e6;
const B3_TARGET_N = QUICK ? 1e5 : 1e6;
const B3_MAX_REP_MS = 20_000; // if one run of ours would take longer, N is scaled down (and the table says so)
const B7_SIZES = QUICK ? [1e3, 1e4] : [1e4, 1e5];
const B7_REPS_1E5 = 3; // Pyodide needs tens of seconds per repetition at 10^5 tasks
// Per task count: no new repetition starts after this much time (at least one
// runs), and one repetition may take at most B7_REP_TIMEOUT_MS.
const B7_BUDGET_MS = 240_000;
const B7_REP_TIMEOUT_MS = 600_000;

const log = (...a) => console.error("  ", ...a);

// ---------------------------------------------------------------- statistics
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length, samples: xs });
const pairwise = (a, b, f) => a.map((x, i) => f(x, b[i]));

// ---------------------------------------------------------------- formatting
function fmtNum(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  const ax = Math.abs(x);
  if (ax >= 1e9) return `${(x / 1e9).toPrecision(digits)} G`;
  if (ax >= 1e6) return `${(x / 1e6).toPrecision(digits)} M`;
  if (ax >= 1e4) return `${(x / 1e3).toPrecision(digits)} k`;
  if (ax >= 100) return x.toFixed(0);
  return x.toPrecision(digits);
}
const units = {
  ratio: (x) => `${fmtNum(x)}×`,
  items: (x) => `${fmtNum(x)}/s`,
  ms: (x) => `${x >= 100 ? x.toFixed(0) : x.toFixed(1)} ms`,
  mb: (x) => `${(x / 2 ** 20).toFixed(1)} MB`,
  kb: (x) => `${(x / 1024).toFixed(1)} KB`,
  events: (x) => `${fmtNum(x)} ev/s`,
};
/** 1e7 → "10^7"; other counts as plain numbers. */
const count = (n) => {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `10^${e}` : String(n);
};
const fmtSummary = (s, unit) => {
  const f = units[unit];
  if (s.n === 1) return `${f(s.median)} (n=1)`;
  return `${f(s.median)} [${f(s.min)}..${f(s.max)}]`;
};

// ---------------------------------------------------------------- rows
const rows = [];
/**
 * One line of the table. check: { op: '<=' | '>=' | 'within', value, tol? } on the median.
 * A row without a check is informational (target "—").
 */
function row(figure, samples, unit, { check, target, note } = {}) {
  const s = summary(samples);
  let verdict = "—";
  let targetText = target ?? "—";
  if (check) {
    const f = units[unit];
    const m = s.median;
    let ok;
    if (check.op === "<=") {
      ok = m <= check.value;
      targetText = target ?? `≤ ${f(check.value)}`;
    } else if (check.op === ">=") {
      ok = m >= check.value;
      targetText = target ?? `≥ ${f(check.value)}`;
    } else {
      ok = Math.abs(m - check.value) <= check.tol;
      targetText = target ?? `${f(check.value)} ± ${check.tol}`;
    }
    verdict = ok ? "met" : `MISSED (${f(m)})`;
  }
  rows.push({ figure, unit, ...s, measured: fmtSummary(s, unit), target: targetText, verdict, note });
}
function notRunRow(figure, reason) {
  rows.push({ figure, measured: "not run", target: "—", verdict: reason, n: 0 });
}

/** Why the JS tasks contender is not run at `n`, from its 10^6 memory in this run when there is one. */
function jsTasksTooBig(n) {
  const at1e6 = results.B4?.["10^6"]?.jsHeapPeak;
  const perTask = at1e6?.length ? summary(at1e6).median / 1e6 : 500;
  const source = at1e6?.length ? "at its 10^6 memory in this run" : "at ~500 B per task";
  return `not run: ${count(n)} tasks would need ~${((perTask * n) / 2 ** 30).toFixed(1)} GB of JS heap (${source})`;
}

function failedRow(figure, target, error) {
  rows.push({ figure, measured: "did not complete", target, verdict: `MISSED (${error})`, n: 0 });
}

function table(rs) {
  return textTable(
    ["figure", "measured: median [min..max]", "target", "verdict"],
    rs.map((r) => [r.figure, r.measured, r.target, r.verdict]),
  );
}
function textTable(head, body) {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(w[i])).join("  ");
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...body.map(line)].join("\n");
}
function markdownTable(rs) {
  const esc = (s) => s.replace(/\|/g, "\\|");
  return [
    "| figure | measured: median [min..max] | target | verdict |",
    "|---|---|---|---|",
    ...rs.map((r) => `| ${esc(r.figure)} | ${esc(r.measured)} | ${esc(r.target)} | ${esc(r.verdict)} |`),
  ].join("\n");
}

// ---------------------------------------------------------------- machine
function machine(browserVersion) {
  let cpu = "unknown";
  try {
    const m = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch {
    /* not Linux */
  }
  let source = "unknown";
  try {
    const git = (...a) => execFileSync("git", ["-C", ROOT, ...a], { encoding: "utf8" }).trim();
    const dirty =
      git("status", "--porcelain", "--untracked-files=no", "--", "src", "Cargo.toml", "Cargo.lock").length > 0;
    source = `${git("rev-parse", "--short", "HEAD")}${dirty ? " + uncommitted changes in src/" : ""}`;
  } catch {
    /* not a git checkout */
  }
  return {
    source,
    nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
    cpu,
    memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    chromium: browserVersion,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------- browser plumbing
let server = null;
let browser = null;
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  try {
    if (browser) await browser.close();
  } catch {
    /* already gone */
  }
  if (server) server.stop();
}
process.on("exit", () => {
  if (server) server.stop();
  try {
    rmSync(SNAPSHOT, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    cleanup().finally(() => process.exit(128 + (os.constants.signals[sig] || 1)));
  });
}

const EXTRA_ARGS = ["--enable-precise-memory-info", "--js-flags=--expose-gc"];

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...EXTRA_ARGS],
    timeout: 30_000,
  });
}

/** A fresh context and page on bench.html, ready. */
async function benchPage(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(url);
  await page.waitForFunction(
    () => document.documentElement.dataset.ready === "true" || document.documentElement.dataset.error === "true",
    null,
    { timeout: 30_000, polling: 20 },
  );
  const err = await page.evaluate(() => window.benchError || null);
  if (err) throw new Error(`bench.html failed to start: ${err}`);
  return { page, context, watch, close: () => context.close().catch(() => {}) };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Calls window.bench[name](arg) in the page, with a timeout. */
async function call(page, name, arg, timeoutMs) {
  return withTimeout(
    page.evaluate(([n, a]) => window.bench[n](a), [name, arg]),
    timeoutMs,
    name,
  );
}

// ---------------------------------------------------------------- figures
async function figureB1(page) {
  for (const ms of [100, 10]) {
    log(`B1: gather and sequential at ${ms} ms, ${REPS} reps`);
    const r = await call(page, "b1", { reps: REPS, ms }, 120_000);
    const eOverI = pairwise(r.gatherElapsed, r.gatherIdeal, (e, i) => e / i);
    const seqOverGather = pairwise(r.seqElapsed, r.gatherElapsed, (s, g) => s / g);
    row(
      `B1 gather, ${ms} ms delays: elapsed / ideal`,
      eOverI,
      "ratio",
      ms === 100 ? { check: { op: "<=", value: 1.03 } } : {},
    );
    row(`B1 sequential / gather, ${ms} ms delays`, seqOverGather, "ratio", {
      check: { op: "within", value: 2.0, tol: 0.05 },
      target: "2.00 ± 0.05",
    });
    row(
      `B1 sequential, ${ms} ms delays: elapsed / ideal`,
      pairwise(r.seqElapsed, r.seqIdeal, (e, i) => e / i),
      "ratio",
    );
    results.B1[`${ms}ms`] = r;
  }
}

async function figureB2(page) {
  const n = QUICK ? 1e6 : 1e7;
  log(`B2: ready stream of ${n} values, ${REPS} reps (+1 warm-up)`);
  const r = await call(page, "b2", { reps: REPS, n }, 300_000);
  const rate = (ms) => n / (ms / 1000);
  const ours = r.ours.map(rate);
  row(`B2 ours: sum(range(${count(n)})), virtual clock`, ours, "items");
  row(`B2 JS async generator + for await (${count(n)} items)`, r.forAwait.map(rate), "items");
  row("B2 plain JS loop", r.jsLoop.map(rate), "items");
  row("B2 plain Rust loop (bench_plain_sum, same wasm)", r.rust.map(rate), "items");
  row(
    "B2 ours / JS for await",
    pairwise(r.forAwait, r.ours, (f, o) => f / o),
    "ratio",
    { check: { op: ">=", value: 20 } },
  );
  row(
    "B2 ours / plain Rust loop",
    pairwise(r.rust, r.ours, (rs, o) => rs / o),
    "ratio",
    { check: { op: ">=", value: 0.5 } },
  );
  row(
    "B2 ours / plain JS loop",
    pairwise(r.jsLoop, r.ours, (j, o) => j / o),
    "ratio",
  );
  results.B2 = r;
}

async function figureB3(page) {
  // Size N so that one run of ours stays within B3_MAX_REP_MS (it is 1e6 unless ours is very slow).
  const probeN = 1e4;
  const probeMs = await call(page, "b3probe", probeN, 120_000);
  let n = B3_TARGET_N;
  const projected = (probeMs / probeN) * n;
  let note = null;
  if (projected > B3_MAX_REP_MS) {
    n = Math.max(probeN, 10 ** Math.floor(Math.log10((B3_MAX_REP_MS / probeMs) * probeN)));
    note = `N scaled down from ${count(B3_TARGET_N)} to ${count(n)}: a probe of ${probeN} took ${probeMs.toFixed(0)} ms`;
    log(`B3: ${note}`);
  }
  log(`B3: ${n} event-loop hops, ${REPS} reps (+1 warm-up)`);
  const r = await call(page, "b3", { reps: REPS, n }, 600_000);
  const rate = (ms) => n / (ms / 1000);
  row(`B3 ours: sum(range(${count(n)}) every 0s), real clock`, r.ours.map(rate), "items", { note });
  row(`B3 JS: await Promise.resolve() per item (${count(n)})`, r.js.map(rate), "items");
  row(
    "B3 ours / JS await per item",
    pairwise(r.js, r.ours, (j, o) => j / o),
    "ratio",
    { check: { op: ">=", value: 1.0 } },
  );
  results.B3 = { ...r, probe: { n: probeN, ms: probeMs }, note };
}

async function figureB4(baseUrl) {
  results.B4 = {};
  for (const n of B4_SIZES) {
    const reps = n >= 1e6 ? B4_REPS_1E6 : REPS;
    const label = count(n);
    const targetWall = n === 1e5 ? 1.5 : n === 1e6 ? 3 : null;
    log(`B4: ${n} sources, ${reps} reps, fresh page`);
    // A fresh page per N: wasm memory never shrinks, so each N's figure is its own.
    const p = await benchPage(`${baseUrl}/bench.html`);
    try {
      const js = n <= B4_JS_MAX;
      const r = await call(p.page, "b4", { reps, n, js }, n >= 1e6 ? 480_000 : 240_000);
      const ideal = 300;
      row(
        `B4 ${label} sources: ours wall / ideal (300 ms)`,
        r.ours.map((w) => w / ideal),
        "ratio",
        targetWall ? { check: { op: "<=", value: targetWall } } : {},
      );
      if (js) {
        row(
          `B4 ${label}: JS setTimeout tasks wall / ideal`,
          r.js.map((w) => w / ideal),
          "ratio",
        );
        row(
          `B4 ${label}: ours / JS tasks (wall)`,
          pairwise(r.ours, r.js, (o, j) => o / j),
          "ratio",
          { check: { op: "<=", value: 1.0 }, target: "≤ 1.00× (not slower)" },
        );
      } else {
        notRunRow(`B4 ${label}: JS setTimeout tasks`, jsTasksTooBig(n));
      }
      const mem = pairwise(r.oursHeapPeak, r.wasmBytes, (h, w) => h + w);
      row(
        `B4 ${label}: ours memory (JS heap peak + wasm memory)`,
        mem,
        "mb",
        n === 1e6 ? { check: { op: "<=", value: 150 * 2 ** 20 }, target: "≤ 150 MB (issue 15)" } : {},
      );
      if (js) row(`B4 ${label}: JS tasks memory (JS heap peak)`, r.jsHeapPeak, "mb");
      results.B4[label] = r;
    } catch (e) {
      log(`B4 ${label} failed: ${e.message}`);
      failedRow(`B4 ${label} sources: ours wall / ideal (300 ms)`, targetWall ? `≤ ${targetWall}×` : "—", e.message);
      results.B4[label] = { error: e.message };
    } finally {
      await p.close();
    }
  }
}

/**
 * The two wasm packages of ./dev build (code splitting): the core is what a page
 * fetches before it is ready (the target row); the studio comes after ready.
 */
const B5_PACKAGES = [
  { label: "core (cold start, before ready)", dir: "pkg", name: "async_playground", target: 60 * 1024 },
  { label: "studio (after ready)", dir: "pkg-studio", name: "async_playground_studio" },
];

/** B5's throttled cold load: Chromium's network emulation (bytes as served: tools/serve.py does not gzip). */
const THROTTLE = {
  latency: 40,
  downloadThroughput: 4_000_000 / 8,
  uploadThroughput: 1_000_000 / 8,
  label: "throttled to 4 Mbit/s and 40 ms (uncompressed)",
};

/** Navigation → ready of index.html (its `data-ready` mark), a fresh context per load; optionally throttled. */
async function indexReady(baseUrl, network = null) {
  const ready = [];
  for (let r = 0; r < REPS; r++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      if (network) {
        const { latency, downloadThroughput, uploadThroughput } = network;
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", {
          offline: false,
          latency,
          downloadThroughput,
          uploadThroughput,
        });
      }
      // Injected through the DevTools protocol, so the page's CSP does not apply.
      await page.addInitScript(() => {
        // Runs before the document is parsed (no documentElement yet): observe the document.
        const mark = () => {
          const root = document.documentElement;
          if (window.__readyAt === undefined && root && root.dataset.ready === "true") {
            window.__readyAt = performance.now();
          }
        };
        new MutationObserver(mark).observe(document, {
          attributes: true,
          subtree: true,
          attributeFilter: ["data-ready"],
        });
      });
      await page.goto(`${baseUrl}/index.html`);
      ready.push(await pageValue(page, "window.__readyAt"));
    } finally {
      await context.close();
    }
  }
  return ready;
}

async function figureB5(baseUrl) {
  const total = (xs) => xs.reduce((a, b) => a + b, 0);
  results.B5 = { files: [] };
  const sums = { raw: 0, gzip: 0 };
  for (const { label, dir, name, target } of B5_PACKAGES) {
    const files = [`${name}_bg.wasm`, `${name}.js`].map((f) => path.join(WWW, dir, f));
    // The JS glue counts with the modules it imports (wasm-bindgen's snippets: the core's browser I/O).
    const snippets = path.join(WWW, dir, "snippets");
    if (existsSync(snippets)) {
      for (const f of readdirSync(snippets, { recursive: true })) {
        if (f.endsWith(".js")) files.push(path.join(snippets, f));
      }
    }
    if (!target && !existsSync(files[0])) {
      log(`B5: no ${dir}/ (a front end from before the split): the ${label} rows are left out`);
      continue;
    }
    const raw = files.map((f) => statSync(f).size);
    const gz = files.map((f) => gzipSync(readFileSync(f), { level: zc.Z_BEST_COMPRESSION }).length);
    row(`B5 ${label}: wasm + JS glue, raw`, [total(raw)], "kb");
    row(
      `B5 ${label}: wasm + JS glue, gzip -9`,
      [total(gz)],
      "kb",
      target ? { check: { op: "<=", value: target } } : {},
    );
    results.B5.files.push(...files.map((f, i) => ({ file: path.relative(ROOT, f), raw: raw[i], gzip: gz[i] })));
    sums.raw += total(raw);
    sums.gzip += total(gz);
  }
  row("B5 both packages: wasm + JS glue, raw", [sums.raw], "kb");
  row("B5 both packages: wasm + JS glue, gzip -9", [sums.gzip], "kb");

  // Cold loads: a fresh context (empty HTTP and code caches) per repetition.
  const cold = [];
  for (let r = 0; r < REPS; r++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/bench.html?cold`);
      cold.push(await pageValue(page, "window.benchCold", 30_000));
    } finally {
      await context.close();
    }
  }
  results.B5.benchCold = cold;

  const index = path.join(WWW, "index.html");
  if (existsSync(index)) {
    const ready = await indexReady(baseUrl);
    results.B5.indexReady = ready;
    row("B5 index.html: navigation → ready (fresh context)", ready, "ms", { check: { op: "<=", value: 150 } });
    // Loopback makes bytes nearly free; a throttled network shows what they cost.
    const throttled = await indexReady(baseUrl, THROTTLE);
    results.B5.indexReadyThrottled = { network: THROTTLE, ready: throttled };
    row(`B5 index.html: navigation → ready, network ${THROTTLE.label}`, throttled, "ms");
    row(
      "B5 bench.html: navigation → init() done",
      cold.map((c) => c.initDone),
      "ms",
    );
    row(
      "B5 bench.html: navigation → first example result (init + gather, virtual)",
      cold.map((c) => c.firstResult),
      "ms",
    );
  } else {
    row(
      "B5 bench.html: navigation → init() done (no index.html yet)",
      cold.map((c) => c.initDone),
      "ms",
      { check: { op: "<=", value: 150 } },
    );
    row(
      "B5 bench.html: navigation → first example result (gather, virtual)",
      cold.map((c) => c.firstResult),
      "ms",
    );
  }
  row(
    "B5 bench.html: init() alone",
    cold.map((c) => c.initDone - c.initStart),
    "ms",
  );
}

async function figureB6(page) {
  const sources = QUICK ? 100 : 1000;
  const values = 1000;
  log(`B6: ${sources} × ${values} timed events on the virtual clock, ${REPS} reps (+1 warm-up)`);
  const r = await call(page, "b6", { reps: REPS, sources, values }, 300_000);
  row(
    `B6 virtual time: ${count(sources * values)} timed events`,
    r.ms.map((ms) => r.events / (ms / 1000)),
    "events",
    { check: { op: ">=", value: 1e6 } },
  );
  results.B6 = r;
}

async function figureB8(page) {
  const seeds = QUICK ? 1e3 : 1e4;
  log(`B8: Run ×N, ${seeds} seeds of a 100-call gather, ${REPS} reps (+1 warm-up)`);
  const r = await call(page, "b8", { reps: REPS, seeds, calls: 100 }, 300_000);
  row(
    `B8 Run ×N: seeded virtual runs of gather(100 * first(call))`,
    r.ms.map((ms) => seeds / (ms / 1000)),
    "items",
    { check: { op: ">=", value: 5000 } },
  );
  row(`B8 Run ×N: ${count(seeds)} seeds of a 100-call gather, wall`, r.ms, "ms", {
    check: { op: "<=", value: 2000 * (seeds / 1e4) },
  });
  results.B8 = r;
}

// ---------------------------------------------------------------- B7: Pyodide (--peers)
const gzipCache = new Map();
/** Raw and gzip -9 bytes of a file of the snapshot. */
function fileBytes(file) {
  if (!gzipCache.has(file)) {
    const data = readFileSync(file);
    gzipCache.set(file, { raw: data.length, gzip: gzipSync(data, { level: zc.Z_BEST_COMPRESSION }).length });
  }
  return gzipCache.get(file);
}

/**
 * One cold load of `url` in a fresh browser context (empty caches): waits for
 * `window.benchCold` and returns it with the runtime files the page fetched
 * (those under `runtimeDir`), each with its raw and gzip -9 size on disk.
 */
async function coldLoad(url, runtimeDir) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const fetched = [];
    page.on("requestfinished", (req) => fetched.push(new URL(req.url()).pathname));
    await page.goto(url);
    const timing = await page
      .waitForFunction(() => window.benchCold || window.benchError, null, { timeout: 120_000, polling: 10 })
      .then((h) => h.jsonValue());
    if (typeof timing === "string") throw new Error(`${url}: ${timing}`);
    const files = [...new Set(fetched)]
      .filter((p) => p.startsWith(`/${runtimeDir}/`))
      .map((p) => ({ path: p, ...fileBytes(path.join(WWW, p)) }));
    return { timing, files };
  } finally {
    await context.close();
  }
}
const sumOf = (files, key) => files.reduce((a, f) => a + f[key], 0);

/** A fresh page on bench-pyodide.html with Pyodide loaded. */
async function pyodidePage(baseUrl) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl}/bench-pyodide.html`);
  await page.waitForFunction(
    () => document.documentElement.dataset.ready === "true" || document.documentElement.dataset.error === "true",
    null,
    { timeout: 120_000, polling: 50 },
  );
  const err = await page.evaluate(() => window.benchError || null);
  if (err) throw new Error(`bench-pyodide.html failed to start: ${err}`);
  return { page, close: () => context.close().catch(() => {}) };
}
const callPy = (page, name, arg, timeoutMs) =>
  withTimeout(
    page.evaluate(([n, a]) => window.benchPyodide[n](a), [name, arg]),
    timeoutMs,
    `pyodide ${name}`,
  );

/**
 * B7: the post's Python programs under Pyodide, in the same browser and run.
 * Cold loads alternate with ours (paired ratios); the gather and the tasks run
 * in a fresh Pyodide page each (so neither runtime's memory counts against the
 * other) and are compared with ours' B1 and B4 medians of this run.
 */
async function figureB7(baseUrl) {
  const b7 = { cold: [] };
  results.B7 = b7;
  log(`B7: ${REPS} cold loads each of ours and Pyodide, alternating`);
  for (let r = 0; r < REPS; r++) {
    const py = await coldLoad(`${baseUrl}/bench-pyodide.html?cold`, "pyodide");
    const ours = await coldLoad(`${baseUrl}/bench.html?cold`, "pkg");
    b7.cold.push({ pyodide: py, ours });
  }
  const version = b7.cold[0].pyodide.timing.version;
  b7.version = version;
  const pyReady = b7.cold.map((c) => c.pyodide.timing.ready);
  const oursReady = b7.cold.map((c) => c.ours.timing.initDone);
  row(`B7 Pyodide ${version}: navigation → ready (fresh context)`, pyReady, "ms");
  row(
    "B7 ours: navigation → ready, bench.html?cold init() done (fresh context, alternating with Pyodide)",
    oursReady,
    "ms",
  );
  row(
    "B7 cold start to ready: Pyodide / ours",
    pairwise(pyReady, oursReady, (p, o) => p / o),
    "ratio",
  );
  const pyFiles = b7.cold[0].pyodide.files;
  const oursFiles = b7.cold[0].ours.files;
  b7.bytes = { pyodide: pyFiles, ours: oursFiles };
  row(`B7 Pyodide runtime fetched (${pyFiles.length} files), raw`, [sumOf(pyFiles, "raw")], "kb");
  row(`B7 Pyodide runtime fetched, gzip -9`, [sumOf(pyFiles, "gzip")], "kb");
  row(`B7 ours runtime fetched (${oursFiles.length} files), gzip -9`, [sumOf(oursFiles, "gzip")], "kb");
  row("B7 runtime bytes, gzip -9: Pyodide / ours", [sumOf(pyFiles, "gzip") / sumOf(oursFiles, "gzip")], "ratio");

  let p = await pyodidePage(baseUrl);
  try {
    const info = await p.page.evaluate(() => window.benchPyodide.info());
    b7.loadedWasmBytes = info.wasmBytes;
    log(`B7: the post's gather and sequential at 100 ms under Pyodide, ${REPS} reps (+1 warm-up)`);
    const g = await callPy(p.page, "gather", { reps: REPS, ms: 100 }, 120_000);
    b7.gather = g;
    row(
      "B7 Pyodide: the post's gather, 100 ms delays: elapsed / ideal",
      g.gatherElapsed.map((e) => e / g.idealMs),
      "ratio",
    );
    row(
      "B7 Pyodide: the post's sequential / gather, 100 ms delays",
      pairwise(g.seqElapsed, g.gatherElapsed, (s, e) => s / e),
      "ratio",
    );
  } finally {
    await p.close();
  }
  b7.tasks = {};
  for (const n of B7_SIZES) {
    const reps = n >= 1e5 ? B7_REPS_1E5 : REPS;
    const label = count(n);
    log(`B7: ${n} sleeping tasks under Pyodide, up to ${reps} reps within ${B7_BUDGET_MS / 1000} s, fresh page`);
    const t = { n, wall: [], elapsed: [], heapPeak: [], wasmBytes: [] };
    b7.tasks[label] = t;
    const started = Date.now();
    p = await pyodidePage(baseUrl);
    try {
      // One call per repetition: a stall shows as a timeout of that repetition.
      for (let r = 0; r < reps && (r === 0 || Date.now() - started < B7_BUDGET_MS); r++) {
        const one = await callPy(p.page, "tasks", { reps: 1, n }, B7_REP_TIMEOUT_MS);
        if (r === 0) {
          t.loadedHeap = one.loadedHeap;
          t.loadedWasmBytes = one.loadedWasmBytes;
        }
        for (const k of ["wall", "elapsed", "heapPeak", "wasmBytes"]) t[k].push(...one[k]);
      }
    } catch (e) {
      log(`B7 ${label} failed: ${e.message}`);
      t.error = e.message;
    } finally {
      await p.close();
    }
    if (t.wall.length) {
      const note =
        t.wall.length < reps
          ? `${t.wall.length} of ${reps} repetitions within the ${B7_BUDGET_MS / 1000} s budget`
          : undefined;
      row(
        `B7 ${label} tasks: Pyodide wall / ideal (300 ms)`,
        t.wall.map((w) => w / 300),
        "ratio",
        { note },
      );
      row(
        `B7 ${label} tasks: Pyodide memory (JS heap peak + wasm memory)`,
        pairwise(t.heapPeak, t.wasmBytes, (h, w) => h + w),
        "mb",
      );
      if (n === B7_SIZES[0])
        row("B7 Pyodide memory once loaded (JS heap + wasm memory)", [t.loadedHeap + t.loadedWasmBytes], "mb");
    } else {
      rows.push({
        figure: `B7 ${label} tasks: Pyodide wall / ideal (300 ms)`,
        measured: "did not complete",
        target: "—",
        verdict: `— (${(t.error || "").split("\n")[0].slice(0, 120)})`,
        n: 0,
      });
    }
  }
}

/**
 * The side-by-side comparison with Pyodide from this run's rows (medians), or
 * null when B7 did not run. Each entry: [what, ours, Pyodide, Pyodide / ours].
 */
function sideBySide() {
  const b7 = results.B7;
  if (!b7?.cold) return null;
  const med = (prefix) => {
    const r = rows.find((x) => x.figure.startsWith(prefix));
    return r?.n ? r.median : NaN;
  };
  const out = [];
  const add = (what, ours, py, unit) => {
    const f = units[unit];
    const show = (x) => (Number.isFinite(x) ? f(x) : "—");
    out.push([what, show(ours), show(py), Number.isFinite(ours) && Number.isFinite(py) ? units.ratio(py / ours) : "—"]);
  };
  add(
    "cold start to ready (fresh context)",
    med("B7 ours: navigation"),
    med(`B7 Pyodide ${b7.version}: navigation`),
    "ms",
  );
  add("runtime fetched, gzip -9", med("B7 ours runtime fetched"), med("B7 Pyodide runtime fetched, gzip"), "kb");
  add(
    "the post's gather, 100 ms delays: elapsed / ideal",
    med("B1 gather, 100 ms"),
    med("B7 Pyodide: the post's gather"),
    "ratio",
  );
  for (const n of B7_SIZES) {
    const label = count(n);
    add(
      `${label} sleeping tasks (3 × 100 ms): wall / ideal`,
      med(`B4 ${label} sources: ours wall`),
      med(`B7 ${label} tasks: Pyodide wall`),
      "ratio",
    );
    add(
      `${label} sleeping tasks: memory (JS heap peak + wasm)`,
      med(`B4 ${label}: ours memory`),
      med(`B7 ${label} tasks: Pyodide memory`),
      "mb",
    );
  }
  return { version: b7.version, rows: out };
}

function sideBySideMarkdown(sbs) {
  return [
    `| the post's programs, same browser, same run | ours | Pyodide ${sbs.version} | Pyodide / ours |`,
    "|---|---|---|---|",
    ...sbs.rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

// ---------------------------------------------------------------- profile (--profile)
/**
 * CPU profiles of our engine alone on the B2, B3, B4 (10^5) and B6 programs,
 * through the DevTools protocol. The release wasm has
 * no names, so BENCH_WWW can point at a www/ copy with a names-kept build (see
 * README); frames are then reported by function name.
 */
async function profile(baseUrl) {
  const p = await benchPage(`${baseUrl}/bench.html`);
  const cdp = await p.context.newCDPSession(p.page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  const jobs = [
    ["B2 ours: sum(range(10^7)), virtual", { program: "ready", n: 1e7, clock: "virtual", reps: 3 }],
    ["B3 ours: sum(range(10^6) every 0s), real", { program: "hop", n: 1e6, clock: "real", reps: 3 }],
    ["B4 ours: 10^3 sources, real", { program: "scale", n: 1e3, clock: "real", reps: 10 }],
    ["B4 ours: 10^5 sources, real", { program: "scale", n: 1e5, clock: "real", reps: 2 }],
    ["B6 ours: 10^6 timed events, virtual", { program: "virtual", clock: "virtual", reps: 2 }],
  ];
  const out = {};
  for (const [label, arg] of jobs.filter(([label]) => want(label.slice(0, 2)))) {
    await call(p.page, "ours", { ...arg, reps: 1 }, 300_000); // warm-up, not profiled
    await cdp.send("Profiler.start");
    const t = await call(p.page, "ours", arg, 300_000);
    const { profile: prof } = await cdp.send("Profiler.stop");
    const self = new Map();
    const buckets = new Map();
    const dt = prof.timeDeltas;
    const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
    let total = 0;
    prof.samples.forEach((id, i) => {
      const cf = byId.get(id).callFrame;
      const file = cf.url ? path.basename(cf.url) : "";
      const key = `${cf.functionName || "(anonymous)"} ${file}`.trim();
      const bucket = file.endsWith(".wasm")
        ? "wasm (engine)"
        : file === "async_playground.js"
          ? "JS glue (wasm-bindgen)"
          : file
            ? `JS ${file}`
            : /^\((idle|program|garbage collector)\)$/.test(cf.functionName)
              ? cf.functionName
              : "browser built-ins (setTimeout, TextDecoder, ...)";
      const d = dt[i] || 0;
      total += d;
      self.set(key, (self.get(key) || 0) + d);
      buckets.set(bucket, (buckets.get(bucket) || 0) + d);
    });
    const top = [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([k, v]) => ({ fn: k, selfMs: +(v / 1000).toFixed(1), pct: +((100 * v) / total).toFixed(1) }));
    const bucketList = [...buckets.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => ({ bucket: k, selfMs: +(v / 1000).toFixed(1), pct: +((100 * v) / total).toFixed(1) }));
    out[label] = { totalMs: +(total / 1000).toFixed(1), runsMs: t, buckets: bucketList, top };
    console.log(
      `\n${label}: runs ${t.map((x) => x.toFixed(0)).join(", ")} ms; ${(total / 1000).toFixed(0)} ms sampled`,
    );
    console.log(`  by kind: ${bucketList.map((b) => `${b.bucket} ${b.pct}%`).join(", ")}`);
    console.log("  top self time:");
    for (const e of top) console.log(`  ${String(e.pct).padStart(5)}%  ${String(e.selfMs).padStart(8)} ms  ${e.fn}`);
  }
  await p.close();
  const file = path.join(os.tmpdir(), "bench-profile.json");
  writeFileSync(file, JSON.stringify(out, null, 2));
  console.log(`\nprofile summary written to ${file}`);
}

// ---------------------------------------------------------------- README
/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in `file`; false if the markers are missing. */
function replaceBlock(file, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = readFileSync(file, "utf8");
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) {
    log(`${path.relative(ROOT, file)} has no ${start} ... ${end} markers; not updated`);
    return false;
  }
  writeFileSync(file, `${text.slice(0, i)}${start}\n${body}\n${text.slice(j)}`);
  log(`updated ${path.relative(ROOT, file)}`);
  return true;
}

const runLine = (m) =>
  `${m.date.slice(0, 10)} on ${m.nproc} CPUs (${m.cpu}), load average ${m.loadavg.start[0].toFixed(1)} at start, ` +
  `Chromium ${m.chromium.split(".")[0]} headless`;

/** The top-level README's first screen: what the run measured against Pyodide, or that it did not. */
function headline(m, sbs) {
  if (!sbs) {
    return `*Not measured against Pyodide in the latest benchmark run (${runLine(m)}); \`./dev bench --peers\` adds it.*`;
  }
  const get = (prefix) => sbs.rows.find((r) => r[0].startsWith(prefix)) || ["", "—", "—", "—"];
  const [, oReady, pReady, rReady] = get("cold start");
  const [, oBytes, pBytes, rBytes] = get("runtime fetched");
  const [, oGather, pGather] = get("the post's gather");
  const big = count(B7_SIZES[B7_SIZES.length - 1]);
  const [, oWall, pWall, rWall] = get(`${big} sleeping tasks (`);
  const [, oMem, pMem, rMem] = get(`${big} sleeping tasks: memory`);
  return (
    `**Ours against the post's Python under Pyodide ${sbs.version}, same browser, same run** ` +
    `(\`./dev bench --peers\`, ${runLine(m)}; Pyodide / ours in brackets): cold start to ready ${oReady} against ${pReady} (${rReady}); ` +
    `runtime ${oBytes} against ${pBytes} gzip (${rBytes}); ${big} concurrent sleeping tasks ${oWall} the ideal time against ${pWall} (${rWall}), ` +
    `in ${oMem} against ${pMem} (${rMem}); the post's gather at 100 ms ${oGather} the ideal against ${pGather}. ` +
    "Every figure: [`bench/README.md`](bench/README.md)."
  );
}

function updateReadme(m, notes, sbs) {
  const block = [
    `Latest run: ${m.date.slice(0, 16).replace("T", " ")} UTC, source ${m.source}, \`./dev bench${PEERS ? " --peers" : ""}\` on ${m.nproc} CPUs (${m.cpu}), ` +
      `${m.memoryGB} GB RAM, Chromium ${m.chromium} headless, Node ${m.node}, ${m.os}.`,
    "",
    ...(sbs
      ? [
          "Side by side with Pyodide (medians of this run; B7 and the rows it compares with):",
          "",
          sideBySideMarkdown(sbs),
          "",
        ]
      : []),
    markdownTable(rows),
    "",
    ...notes.map((n) => `- ${n}`),
  ].join("\n");
  replaceBlock(path.join(BENCH_DIR, "README.md"), "bench:results", block);
  replaceBlock(path.join(ROOT, "README.md"), "bench:headline", headline(m, sbs));
}

// ---------------------------------------------------------------- main
const results = { B1: {} };

async function main() {
  const t0 = Date.now();
  cpSync(SOURCE_WWW, WWW, { recursive: true });
  if (!existsSync(path.join(WWW, "bench-pkg", "async_playground.js"))) {
    throw new Error(
      `${SOURCE_WWW}/bench-pkg is missing: ./dev bench builds it (the release package with --features bench)`,
    );
  }
  if (PEERS) {
    if (!existsSync(path.join(PYODIDE_SRC, "pyodide.mjs"))) {
      throw new Error(`Pyodide not found at ${PYODIDE_SRC}: ./dev bench --peers installs it (wasm-pack.toml [peers])`);
    }
    cpSync(PYODIDE_SRC, path.join(WWW, "pyodide"), { recursive: true });
  } else if (ONLY?.has("B7")) {
    log("B7 (Pyodide) needs --peers; skipped");
  }
  const loadStart = os.loadavg();
  server = await startServer({ dir: WWW, logFile: path.join(os.tmpdir(), `bench-server-${process.pid}.log`) });
  browser = await launch();
  const m = machine(browser.version());
  log(`serving a snapshot of ${SOURCE_WWW} at ${server.baseUrl}; Chromium ${m.chromium}; ${m.nproc} CPUs (${m.cpu})`);

  if (PROFILE) {
    await profile(server.baseUrl);
    return;
  }

  const notes = [];
  // B1, B2, B3, B6: one page, in this order.
  if (["B1", "B2", "B3", "B6", "B8"].some(want)) {
    let main = await benchPage(`${server.baseUrl}/bench.html`);
    const info = await main.page.evaluate(() => window.bench.info());
    if (!info.preciseMemory || !info.gc) log(`warning: precise memory ${info.preciseMemory}, gc ${info.gc}`);
    for (const [fig, fn] of [
      ["B1", figureB1],
      ["B2", figureB2],
      ["B3", figureB3],
      ["B6", figureB6],
      ["B8", figureB8],
    ]) {
      if (!want(fig)) continue;
      try {
        await fn(main.page);
      } catch (e) {
        log(`${fig} failed: ${e.message}`);
        failedRow(`${fig}`, "see issue 5", e.message.split("\n")[0].slice(0, 120));
        results[fig] = { error: e.message };
        notes.push(`${fig} did not complete: ${e.message.split("\n")[0]}; the later figures ran in a new page.`);
        await main.close();
        main = await benchPage(`${server.baseUrl}/bench.html`);
      }
    }
    await main.close();
  }
  if (want("B4")) await figureB4(server.baseUrl);
  if (want("B5")) {
    try {
      await figureB5(server.baseUrl);
    } catch (e) {
      log(`B5 failed: ${e.message}`);
      failedRow("B5 cold start", "≤ 150 ms", e.message.split("\n")[0].slice(0, 120));
      results.B5 = { ...results.B5, error: e.message };
    }
  }

  if (PEERS && want("B7")) {
    try {
      await figureB7(server.baseUrl);
    } catch (e) {
      log(`B7 failed: ${e.message}`);
      rows.push({
        figure: "B7 Pyodide",
        measured: "did not complete",
        target: "—",
        verdict: `— (${e.message.split("\n")[0].slice(0, 120)})`,
        n: 0,
      });
      results.B7 = { ...results.B7, error: e.message };
    }
  }

  // Keep the table in figure order.
  rows.sort((a, b) => a.figure.slice(0, 2).localeCompare(b.figure.slice(0, 2)));

  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  notes.push(
    `${REPS} repetitions per figure after one unmeasured warm-up (B1, B2, B3, B6); B4 has no warm-up and ` +
      `${B4_REPS_1E6} repetitions at 10^6 sources (each 10^6 run of both contenders takes several seconds), ` +
      "one fresh page per N (wasm memory never shrinks); B5 uses a fresh browser context per load.",
  );
  notes.push(
    "Ratios are computed per repetition from the two contenders run back to back in the same page, then summarised; verdicts apply to the median.",
  );
  if (results.B7?.cold) {
    notes.push(
      "B7 (Pyodide): cold loads alternate with ours, fresh context each, ratios per pair; the gather and each task count run in a fresh " +
        `Pyodide page (${REPS} repetitions, ${B7_REPS_1E5} at 10^5 tasks, fewer if a task count has used ${B7_BUDGET_MS / 1000} s; each its own runPythonAsync call), ` +
        "compared with ours' B1 and B4 medians of this run.",
    );
  }
  for (const r of rows) if (r.note) notes.push(`${r.figure}: ${r.note}.`);
  const loadEnd = os.loadavg();
  m.loadavg = { start: loadStart, end: loadEnd };
  notes.push(
    `Total benchmark time: ${seconds} s. Load average (1 min) ${loadStart[0].toFixed(2)} at start, ` +
      `${loadEnd[0].toFixed(2)} at end, on ${m.nproc} CPUs: above ~1, other processes competed for the CPU and the min..max spread widens.`,
  );

  console.log("");
  console.log(
    `async-playground benchmark — ${m.date}; source ${m.source}; ${m.nproc} CPUs (${m.cpu}); Chromium ${m.chromium}`,
  );
  console.log(table(rows));
  const sbs = sideBySide();
  if (sbs) {
    console.log("");
    console.log(
      textTable(
        ["the post's programs, same browser, same run", "ours", `Pyodide ${sbs.version}`, "Pyodide / ours"],
        sbs.rows,
      ),
    );
  }
  for (const n of notes) console.log(`note: ${n}`);
  const missed = rows.filter((r) => r.verdict.startsWith("MISSED"));
  console.log(`\n${rows.filter((r) => r.verdict === "met").length} targets met, ${missed.length} missed`);

  const json = { machine: m, quick: QUICK, only: ONLY && [...ONLY], rows, notes, raw: results };
  if (WRITE) {
    writeFileSync(path.join(BENCH_DIR, "results.json"), `${JSON.stringify(json, null, 2)}\n`);
    log("wrote bench/results.json");
    updateReadme(m, notes, sbs);
  } else {
    const file = path.join(os.tmpdir(), "bench-results-partial.json");
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    log(`partial run: wrote ${file} (bench/results.json and README untouched)`);
  }
}

try {
  await main();
} catch (e) {
  console.error(`bench failed: ${e?.stack || e}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
