// The Pyodide contender of `./dev bench --peers`: the post's Python programs,
// unchanged in spirit (async generators, `async for`, `asyncio.gather`), run
// by CPython compiled to WebAssembly in this page. bench/run.mjs serves
// Pyodide's npm package from ./pyodide/ (127.0.0.1, no CDN) and drives this
// page through `window.benchPyodide`, as it drives bench.html for our engine.
//
// Every function returns raw samples (one per repetition); the driver
// summarises them. Each repetition is its own `runPythonAsync` call: one call
// running several large gathers can stall Pyodide's browser event loop.
import { heap, withPeakHeap } from "./bench-heap.js";
import { loadPyodide } from "./pyodide/pyodide.mjs";

const moduleStart = performance.now();
const params = new URLSearchParams(location.search);

const now = () => performance.now();
const gc = () => {
  if (typeof window.gc === "function") window.gc();
};
const settle = () => new Promise((r) => setTimeout(r, 20));

// The post's programs. `D` is the delay in seconds; the measured span is the
// post's own `time.perf_counter()` around the gather.
const PROGRAMS = `
import asyncio, json, time

D = 0.1

async def afeat1():
    for i in [10, 20, 40]:
        await asyncio.sleep(D)
        yield i

async def afeat2():
    for i in [50, 500, 5000]:
        await asyncio.sleep(D)
        yield i

async def process_feat(asyncgenerator):
    empty_list = []
    async for i in asyncgenerator:
        empty_list.append(i)
    return empty_list

async def post_gather():
    t0 = time.perf_counter()
    data = await asyncio.gather(process_feat(afeat1()), process_feat(afeat2()))
    return json.dumps({"elapsedMs": (time.perf_counter() - t0) * 1000, "data": data})

async def post_sequential():
    t0 = time.perf_counter()
    data = [await process_feat(afeat1()), await process_feat(afeat2())]
    return json.dumps({"elapsedMs": (time.perf_counter() - t0) * 1000, "data": data})

# The scale figure: n tasks, each summing its own source [10, 20, 40] with
# 100 ms before each value (ours: gather(n * sum(a))); 300 ms ideal.
async def a():
    for i in [10, 20, 40]:
        await asyncio.sleep(0.1)
        yield i

async def total(source):
    s = 0
    async for i in source:
        s += i
    return s

async def scale(n):
    t0 = time.perf_counter()
    sums = await asyncio.gather(*(total(a()) for _ in range(n)))
    elapsed = (time.perf_counter() - t0) * 1000
    return json.dumps({"elapsedMs": elapsed, "n": len(sums), "allSeventy": all(s == 70 for s in sums)})
`;

let py = null;
/** Pyodide's wasm memory (the Python heap lives there). */
const wasmBytes = () => py._module.HEAP8.buffer.byteLength;

function expect(cond, message) {
  if (!cond) throw new Error(`wrong result: ${message}`);
}

async function runJson(code) {
  const t0 = now();
  const text = await py.runPythonAsync(code);
  return { wall: now() - t0, ...JSON.parse(text) };
}

async function start() {
  py = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href });
  await py.runPythonAsync(PROGRAMS);
}

const benchPyodide = {
  /** The post's gather and its sequential twin at `ms` delays, alternating, one call each. */
  async gather({ reps = 5, ms = 100, warmup = 1 } = {}) {
    await py.runPythonAsync(`D = ${ms / 1000}`);
    const out = { gatherElapsed: [], gatherWall: [], seqElapsed: [], seqWall: [], idealMs: 3 * ms };
    const want = JSON.stringify([
      [10, 20, 40],
      [50, 500, 5000],
    ]);
    for (let r = -warmup; r < reps; r++) {
      await settle();
      const g = await runJson("await post_gather()");
      expect(JSON.stringify(g.data) === want, JSON.stringify(g.data));
      await settle();
      const s = await runJson("await post_sequential()");
      expect(JSON.stringify(s.data) === want, JSON.stringify(s.data));
      if (r < 0) continue;
      out.gatherElapsed.push(g.elapsedMs);
      out.gatherWall.push(g.wall);
      out.seqElapsed.push(s.elapsedMs);
      out.seqWall.push(s.wall);
    }
    return out;
  },

  /** n concurrent tasks sleeping 3 × 100 ms: wall (ms), JS heap peak and wasm memory per repetition. */
  async tasks({ reps = 5, n = 1e4 } = {}) {
    const out = {
      n,
      wall: [],
      elapsed: [],
      heapPeak: [],
      wasmBytes: [],
      loadedHeap: heap(),
      loadedWasmBytes: wasmBytes(),
    };
    for (let r = 0; r < reps; r++) {
      gc();
      await settle();
      const { value, peak } = await withPeakHeap(() => runJson(`await scale(${n})`));
      expect(value.n === n && value.allSeventy, `${value.n} sums, all 70: ${value.allSeventy}`);
      out.wall.push(value.wall);
      out.elapsed.push(value.elapsedMs);
      out.heapPeak.push(peak);
      out.wasmBytes.push(wasmBytes());
    }
    return out;
  },

  info() {
    return {
      version: py.version,
      preciseMemory: !!performance.memory,
      gc: typeof window.gc === "function",
      wasmBytes: wasmBytes(),
    };
  },
};

// ---------------------------------------------------------------- cold start (?cold)
// Times in ms since navigation start: this module evaluated, Pyodide loaded
// with the post's definitions run (ready for the post's program).
async function cold() {
  const loadStart = now();
  await start();
  window.benchCold = { moduleStart, loadStart, ready: now(), version: py.version };
}

async function main() {
  if (params.has("cold")) {
    await cold();
  } else {
    await start();
    window.benchPyodide = benchPyodide;
    document.getElementById("out").textContent = `Pyodide ${py.version} ready\n`;
  }
  document.documentElement.dataset.ready = "true";
}

main().catch((e) => {
  window.benchError = String(e?.stack || e);
  document.documentElement.dataset.error = "true";
  console.error("bench-pyodide page failed:", e);
});
