// The in-page benchmark: every figure's contenders run here, in the same page,
// one after the other within each repetition. bench/run.mjs drives it through
// `window.bench` and turns the raw samples into the table; the button on
// bench.html runs a quick subset by hand.
//
// Every function returns raw samples (one per repetition), never a summary:
// medians, min/max and ratios are computed by the driver from these.
import { heap, withPeakHeap } from "./bench-heap.js";
const moduleStart = performance.now();
const params = new URLSearchParams(location.search);

// The cold load measures the production package (./dev build); the figures
// need the benchmark build (./dev bench: `--features bench`, www/bench-pkg),
// which adds reference loops such as `bench_plain_sum`.
const api = await import(params.has("cold") ? "./pkg/async_playground.js" : "./bench-pkg/async_playground.js");
const init = api.default;

const now = () => performance.now();
const gc = () => {
  if (typeof window.gc === "function") window.gc();
};
const settle = () => new Promise((r) => setTimeout(r, 20));

let wasm = null;
const wasmBytes = () => wasm.memory.buffer.byteLength;

// ---------------------------------------------------------------- programs
const gatherText = (ms) =>
  `source afeat1 = [10, 20, 40] every ${ms}ms\nsource afeat2 = [50, 500, 5000] every ${ms}ms\n\ngather(collect(afeat1), collect(afeat2))\n`;
const sequentialText = (ms) =>
  `source afeat1 = [10, 20, 40] every ${ms}ms\nsource afeat2 = [50, 500, 5000] every ${ms}ms\n\nsequential(collect(afeat1), collect(afeat2))\n`;
const readyText = (n) => `sum(range(${n}))\n`;
const hopText = (n) => `sum(range(${n}) every 0s)\n`;
const scaleText = (n) => `source a = [10, 20, 40] every 100ms\n\ngather(${n} * sum(a))\n`;
const tailText = (calls) => `source call = [1] every 100ms spike 1% 2s\n\ngather(${calls} * first(call))\n`;
const virtualText = (sources, values) => `source t = range(${values}) every 1ms\n\ngather(${sources} * count(t))\n`;

function expect(cond, message) {
  if (!cond) throw new Error(`wrong result: ${message}`);
}

function first(report) {
  const s = report.statements[0];
  if (s.result.type === "error") throw new Error(`program failed: ${s.result.message}`);
  return s;
}

// ---------------------------------------------------------------- contenders
async function oursTimed(text) {
  const t0 = now();
  const report = await api.run(text, { clock: "real" });
  const wall = now() - t0;
  const s = first(report);
  return { wall, elapsed: s.elapsedMs, ideal: s.idealMs, report };
}

async function* jsCounter(n) {
  for (let i = 0; i < n; i++) yield i;
}

async function jsForAwait(n) {
  let s = 0;
  for await (const v of jsCounter(n)) s += v;
  return s;
}

function jsPlainLoop(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += i;
  return s;
}

async function jsAwaitPerItem(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += i;
    await Promise.resolve();
  }
  return s;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function jsTasks(n) {
  const task = async () => {
    await sleep(100);
    await sleep(100);
    await sleep(100);
  };
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = task();
  await Promise.all(tasks);
}

const sumTo = (n) => (n * (n - 1)) / 2;

// Times fn() once; returns ms.
async function timed(fn) {
  const t0 = now();
  const value = await fn();
  return { ms: now() - t0, value };
}

// ---------------------------------------------------------------- figures
const bench = {
  /** B8: Run ×N: seeded virtual runs of a `calls`-call gather, `seeds` per repetition. */
  async b8({ reps = 5, seeds = 1e4, calls = 100, warmup = 1 } = {}) {
    const out = { ms: [], seeds, calls };
    for (let r = -warmup; r < reps; r++) {
      await settle();
      const batch = new api.SeedBatch(tailText(calls));
      const t0 = now();
      batch.run(seeds);
      const ms = now() - t0;
      const [spread] = batch.spreads(10);
      batch.free();
      expect(
        spread.runs === seeds && spread.p50Ms === 2000 && spread.minMs === 100,
        JSON.stringify(spread).slice(0, 200),
      );
      if (r >= 0) out.ms.push(ms);
    }
    return out;
  },

  /** B1: gather and sequential at `ms` delays on the real clock, interleaved. */
  async b1({ reps = 5, ms = 100, warmup = 1 } = {}) {
    const out = { gatherWall: [], gatherElapsed: [], gatherIdeal: [], seqWall: [], seqElapsed: [], seqIdeal: [] };
    for (let r = -warmup; r < reps; r++) {
      await settle();
      const g = await oursTimed(gatherText(ms));
      expect(
        g.report.statements[0].result.text === "[[10, 20, 40], [50, 500, 5000]]",
        g.report.statements[0].result.text,
      );
      await settle();
      const s = await oursTimed(sequentialText(ms));
      if (r < 0) continue;
      out.gatherWall.push(g.wall);
      out.gatherElapsed.push(g.elapsed);
      out.gatherIdeal.push(g.ideal);
      out.seqWall.push(s.wall);
      out.seqElapsed.push(s.elapsed);
      out.seqIdeal.push(s.ideal);
    }
    return out;
  },

  /** B2: n ready values summed: ours (virtual clock), for-await, plain JS, plain Rust. */
  async b2({ reps = 5, n = 1e7, warmup = 1 } = {}) {
    const out = { n, ours: [], forAwait: [], jsLoop: [], rust: [] };
    const want = sumTo(n);
    for (let r = -warmup; r < reps; r++) {
      gc();
      await settle();
      const o = await timed(() => api.run(readyText(n), { clock: "virtual" }));
      const ov = first(o.value).result.value;
      expect(ov === want, `ours ${ov} != ${want}`);
      // The plain Rust loop right after ours: the ratio with the limit pairs runs close in time.
      await settle();
      const rs = await timed(() => api.bench_plain_sum(n));
      expect(rs.value === want, `rust loop ${rs.value}`);
      await settle();
      const jl = await timed(() => jsPlainLoop(n));
      expect(jl.value === want, `js loop ${jl.value}`);
      gc();
      await settle();
      const fa = await timed(() => jsForAwait(n));
      expect(fa.value === want, `for-await ${fa.value}`);
      if (r < 0) continue;
      out.ours.push(o.ms);
      out.forAwait.push(fa.ms);
      out.jsLoop.push(jl.ms);
      out.rust.push(rs.ms);
    }
    return out;
  },

  /** B3: every value hops through the event loop: ours (real clock) vs JS await per item. */
  async b3({ reps = 5, n = 1e6, warmup = 1 } = {}) {
    const out = { n, ours: [], js: [] };
    const want = sumTo(n);
    for (let r = -warmup; r < reps; r++) {
      gc();
      await settle();
      const t0 = now();
      const report = await api.run(hopText(n), { clock: "real" });
      const oursMs = now() - t0;
      const ov = first(report).result.value;
      expect(ov === want, `ours ${ov} != ${want}`);
      gc();
      await settle();
      const js = await timed(() => jsAwaitPerItem(n));
      expect(js.value === want, `js ${js.value}`);
      if (r < 0) continue;
      out.ours.push(oursMs);
      out.js.push(js.ms);
    }
    return out;
  },

  /** Only our engine, on one of the benchmark programs (for profiling): ms per repetition. */
  async ours({ program, n, clock = "real", reps = 1, sources = 1000, values = 1000 }) {
    const texts = { ready: readyText, hop: hopText, scale: scaleText, gather: gatherText };
    const text = program === "virtual" ? virtualText(sources, values) : texts[program](n);
    const ms = [];
    for (let r = 0; r < reps; r++) {
      gc();
      await settle();
      const o = await timed(() => api.run(text, { clock }));
      first(o.value);
      ms.push(o.ms);
    }
    return ms;
  },

  /** One hop-per-item run of ours, for sizing B3 (ms). */
  async b3probe(n) {
    const t0 = now();
    await api.run(hopText(n), { clock: "real" });
    return now() - t0;
  },

  /** B4: n concurrent 3-value sources at 100 ms vs n JS setTimeout tasks (unless `js` is false). */
  async b4({ reps = 5, n = 1000, warmup = 0, js: withJs = true } = {}) {
    const out = {
      n,
      ours: [],
      oursElapsed: [],
      oursIdeal: [],
      oursHeapPeak: [],
      wasmBytes: [],
      js: [],
      jsHeapPeak: [],
      heapBaseline: [],
      timersMeanLateMs: [],
      timersMaxLateMs: [],
    };
    for (let r = -warmup; r < reps; r++) {
      const runOurs = async () => {
        gc();
        await settle();
        const base = heap();
        const { value: o, peak } = await withPeakHeap(() => oursTimed(scaleText(n)));
        const res = o.report.statements[0].result;
        expect(res.type === "group" && res.count === n, `group of ${res.count}`);
        expect(res.items[0].value === 70 && res.items.at(-1).value === 70, "sum 70");
        const timers = o.report.timers;
        o.report = null;
        return { o, peak, base, timers };
      };
      const runJs = async () => {
        if (!withJs) return null;
        gc();
        await settle();
        const t = await withPeakHeap(() => timed(() => jsTasks(n)));
        return { ms: t.value.ms, peak: t.peak };
      };
      // Alternate which contender goes first, so neither always inherits the other's garbage.
      let ours, js;
      if ((r & 1) === 1) {
        js = await runJs();
        ours = await runOurs();
      } else {
        ours = await runOurs();
        js = await runJs();
      }
      if (r < 0) continue;
      out.ours.push(ours.o.wall);
      out.oursElapsed.push(ours.o.elapsed);
      out.oursIdeal.push(ours.o.ideal);
      out.oursHeapPeak.push(ours.peak);
      out.heapBaseline.push(ours.base);
      out.wasmBytes.push(wasmBytes());
      out.timersMeanLateMs.push(ours.timers.meanLateMs);
      out.timersMaxLateMs.push(ours.timers.maxLateMs);
      if (js) {
        out.js.push(js.ms);
        out.jsHeapPeak.push(js.peak);
      }
    }
    return out;
  },

  /** B6: `sources` × `values` timed events on the virtual clock. */
  async b6({ reps = 5, sources = 1000, values = 1000, warmup = 1 } = {}) {
    const out = { events: sources * values, ms: [], simulatedMs: [] };
    for (let r = -warmup; r < reps; r++) {
      gc();
      await settle();
      const o = await timed(() => api.run(virtualText(sources, values), { clock: "virtual" }));
      const s = first(o.value);
      expect(s.result.type === "group" && s.result.count === sources, "group");
      expect(s.result.items[0].value === values, `count ${s.result.items[0].value}`);
      if (r < 0) continue;
      out.ms.push(o.ms);
      out.simulatedMs.push(s.elapsedMs);
    }
    return out;
  },

  info() {
    return {
      userAgent: navigator.userAgent,
      preciseMemory: !!performance.memory,
      gc: typeof window.gc === "function",
      crossOriginIsolated: window.crossOriginIsolated,
      wasmBytes: wasmBytes(),
    };
  },
};

// ---------------------------------------------------------------- cold start (bench.html?cold)
// Times, in ms since navigation start: this module evaluated, init() resolved,
// and the gather example's result on the virtual clock.
async function cold() {
  const initStart = now();
  wasm = await init();
  const initDone = now();
  const example = api.examples().find((e) => e.name === "gather");
  const report = await api.run(example.text, { clock: "virtual" });
  const firstResult = now();
  window.benchCold = {
    moduleStart,
    initStart,
    initDone,
    firstResult,
    result: report.statements[0].result.text,
  };
}

async function main() {
  if (params.has("cold")) {
    await cold();
  } else {
    wasm = await init();
    window.bench = bench;
    const button = document.getElementById("run-quick");
    const out = document.getElementById("out");
    button.disabled = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      out.textContent = "running…\n";
      try {
        const show = (name, v) => {
          out.textContent += `${name}: ${JSON.stringify(v)}\n`;
        };
        show("B1 100ms", await bench.b1({ reps: 3 }));
        show("B2 1e6", await bench.b2({ reps: 3, n: 1e6 }));
        show("B3 1e5", await bench.b3({ reps: 3, n: 1e5 }));
        show("B4 1e4", await bench.b4({ reps: 3, n: 1e4 }));
        show("B6 1e5", await bench.b6({ reps: 3, sources: 100 }));
        out.textContent += "done\n";
      } catch (e) {
        out.textContent += `failed: ${e.message}\n`;
      } finally {
        button.disabled = false;
      }
    });
  }
  document.documentElement.dataset.ready = "true";
}

main().catch((e) => {
  window.benchError = String(e?.stack || e);
  document.documentElement.dataset.error = "true";
  console.error("bench page failed:", e);
});
