// The run's budgets in the browser, on the release package: during every kind
// of long loop (fused fold, ready batches, a filter that drops everything, a
// fast endless body; tiny busy-waits, as many as the checker accepts) the main thread is never held for
// long (the page's long-task observer measures every task over 50 ms), Stop
// takes effect within 100 ms, memory stays under the cap for the memory
// reproducers, and every run settles with a report or a clear error.
import http from "node:http";
import { assert, HOST, waitFor, waitForReady } from "./harness.mjs";
import { open, playground, setCode, statusOf, waitForRunEnd } from "./playground-helpers.mjs";

/**
 * Longest task the page may see (ms). The engine gives the page a turn every
 * 20 ms (30 ms on the virtual clock); the rest is room for a loaded test
 * machine, where even a plain JavaScript loop in 30 ms pieces shows tasks of
 * 50 to 130 ms. Before the budgets, these programs held the page for seconds
 * to minutes.
 */
const MAX_TASK_MS = 250;
/**
 * How late a Stop may take effect (ms), from the press to the settled run;
 * a second and third try absorb a stall of the machine (a run that ignores
 * Stop, or holds the page too long, is late every time).
 */
const MAX_STOP_MS = 100;
const STOP_TRIES = 3;
/** The documented cap on the bytes a run holds, and the page's memory cap. */
const MEMORY_CAP_BYTES = 512 * 1024 * 1024;

async function openPage(page, baseUrl) {
  await page.goto(`${baseUrl}/index.html`, { waitUntil: "load" });
  await waitForReady(page, { timeout: 30_000 });
}

/** Top left of the page: where the probe's Stop button sits. */
const STOP_AT = { x: 8, y: 8 };
const probeStarts = new WeakMap();

/**
 * Puts a Stop button over the page's top left corner and the mouse over it,
 * and lets the page say when a probe's run starts. Stop is pressed as a
 * person presses it: input goes ahead of timers in the browser, whereas a
 * timer that falls due during a slice of the run can be overtaken by the
 * run's own next turn (a stop timer at 40 ms ran at 90 ms on the virtual clock).
 */
async function stopButton(page) {
  if (!probeStarts.has(page)) {
    const starts = { next: null };
    probeStarts.set(page, starts);
    await page.exposeFunction("probeStarted_", () => starts.next?.());
  }
  await page.evaluate(({ x, y }) => {
    if (document.getElementById("probe-stop")) return;
    const button = document.createElement("button");
    button.id = "probe-stop";
    button.textContent = "Stop";
    button.style = `position: fixed; left: ${x - 6}px; top: ${y - 6}px; width: 40px; height: 24px; z-index: 2147483647`;
    document.body.append(button);
  }, STOP_AT);
  await page.mouse.move(STOP_AT.x, STOP_AT.y);
  return probeStarts.get(page);
}

/**
 * Runs `text` in the page with a long-task observer and presses Stop
 * `stopAfterMs` after the start (none if null). Returns the longest task (0 if
 * none over 50 ms), how long after the press the run settled, how it settled,
 * and the wasm memory size at the end.
 */
async function probe(page, text, { clock = "real", stopAfterMs = null } = {}) {
  const starts = stopAfterMs === null ? null : await stopButton(page);
  const started = starts && new Promise((resolve) => (starts.next = resolve));
  const running = page.evaluate(
    async ({ text, clock, withStop }) => {
      const wasm = await import("/pkg/async_playground.js");
      const exports = await wasm.default();
      let worstTask = 0;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) worstTask = Math.max(worstTask, entry.duration);
      });
      observer.observe({ type: "longtask" });
      const stop = new AbortController();
      let stopped = null;
      if (withStop) {
        // The time the press happened, not the time its handler ran.
        document.getElementById("probe-stop").onmousedown = (event) => {
          stopped = event.timeStamp;
          stop.abort();
        };
        window.probeStarted_();
      }
      const started = performance.now();
      let outcome;
      try {
        const report = await wasm.run(text, { clock, signal: stop.signal });
        outcome = {
          cancelled: report.cancelled,
          results: report.statements.map((s) => s.result.text),
        };
      } catch (error) {
        outcome = { error: `${error.name}: ${error.message}` };
      }
      const settled = performance.now();
      // Long tasks are reported after they end.
      await new Promise((r) => setTimeout(r, 50));
      observer.disconnect();
      return {
        ...outcome,
        worstTask,
        ranMs: settled - started,
        // From the press (its wait for the page's turn included) to the settled promise.
        stopLatency: stopped === null ? null : settled - stopped,
        pressedAfter: stopped === null ? null : stopped - started,
        memory: exports.memory.buffer.byteLength,
      };
    },
    { text, clock, withStop: starts !== null },
  );
  if (starts) {
    await Promise.race([started, running]);
    await new Promise((resolve) => setTimeout(resolve, stopAfterMs));
    await page.mouse.down();
    await page.mouse.up();
  }
  return running;
}

function checkResponsive(label, got) {
  assert.ok(got.worstTask < MAX_TASK_MS, `${label}: the page was held ${got.worstTask.toFixed(1)} ms`);
}

/**
 * Runs `text`, presses Stop 40 ms in, and checks that the stop was prompt
 * (up to STOP_TRIES tries; each try is reported).
 */
async function checkStops(page, label, text, options = {}) {
  const tries = [];
  let got;
  for (let attempt = 0; attempt < STOP_TRIES; attempt++) {
    got = await probe(page, text, { stopAfterMs: 40, ...options });
    assert.equal(got.error, undefined, `${label}: ${got.error}`);
    assert.equal(got.cancelled, true, `${label}: the run was not cancelled: ${JSON.stringify(got)}`);
    tries.push(`stop ${got.stopLatency.toFixed(0)} ms, longest task ${got.worstTask.toFixed(0)} ms`);
    if (got.stopLatency < MAX_STOP_MS && got.worstTask < MAX_TASK_MS) break;
  }
  checkResponsive(label, got);
  assert.ok(got.stopLatency < MAX_STOP_MS, `${label}: Stop took effect after ${tries.join("; then ")}`);
  return `${label}: ${tries.join("; then ")} (pressed ${got.pressedAfter.toFixed(0)} ms in)`;
}

/** Long loops of every kind (each runs 100 ms or more), stopped 40 ms in. */
const LONG_LOOPS = {
  "fused fold": "stats(range(100000000))",
  "ready batches": "sum(range(100000000) | map * 2)",
  "filter dropping everything": "sum(range(100000000) | filter < 0)",
  "filter before take": "sum(range(100000000) | filter < 0 | take 1)",
  "values one by one": "sum(merge(range(50000000), range(50000000)))",
};

/**
 * A server on 127.0.0.1 (another origin, CORS open) with `/endless`, a body of
 * `1\n` lines sent as fast as the socket takes them, and `/big?mb=N&line=1`,
 * N MB of numbers (one long line with `line=1`). Stop it with `close()`.
 */
async function startBodyServer() {
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const headers = { "access-control-allow-origin": "*", "content-type": "text/plain" };
    if (url.pathname === "/endless") {
      res.writeHead(200, headers);
      const chunk = Buffer.from("1\n".repeat(32 * 1024));
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          /* until the socket is full */
        }
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
      return;
    }
    if (url.pathname === "/big") {
      const bytes = Number(url.searchParams.get("mb")) * 1024 * 1024;
      const line = url.searchParams.get("line") === "1";
      res.writeHead(200, { ...headers, "content-length": String(bytes) });
      const unit = line ? "1".repeat(1024 * 1024) : "1234567\n".repeat(128 * 1024);
      const chunk = Buffer.from(unit);
      let sent = 0;
      const pump = () => {
        while (!res.destroyed && sent < bytes) {
          const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
          sent += piece.length;
          if (!res.write(piece)) return res.once("drain", pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    res.writeHead(404, headers).end("no");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, HOST, resolve));
  return {
    origin: `http://${HOST}:${server.address().port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

export const tests = {
  "10^7 fan-out copies on the page: it keeps painting, a click gets through, the run settles": {
    timeout: 120_000,
    run: async ({ page, baseUrl }) => {
      await open(page, baseUrl);
      const pg = playground(page);
      // The most copies the checker accepts (`limits::MAX_SHARED_COPIES`).
      await setCode(pg, "source a = [10, 20, 40] every 100ms\n\ngather(10000000 * sum(a))");
      // Frames painted, and how long a click waits for its handler, while the run goes on.
      await page.evaluate(() => {
        window.frames_ = 0;
        window.clickWaits_ = [];
        const tick = () => {
          window.frames_++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
        document.addEventListener("click", (event) => window.clickWaits_.push(performance.now() - event.timeStamp));
      });
      const started = Date.now();
      await pg.locator("#run").click();
      await waitFor(
        async () => (await pg.evaluate((el) => el.hasAttribute("running"))) || Date.now() - started > 5000,
        {
          message: "the run to start",
        },
      );
      const running = await pg.evaluate((el) => el.hasAttribute("running"));
      const framesBefore = await page.evaluate(() => window.frames_);
      const clicksBefore = await page.evaluate(() => window.clickWaits_.length);
      await page.waitForTimeout(1000);
      const frames = (await page.evaluate(() => window.frames_)) - framesBefore;
      // A click during the run; a stall of the machine may hold one click, a
      // run that holds the page holds every one: up to 3 clicks while it runs.
      let clickWaits = [];
      let clicks = 0;
      while (clicks < 3) {
        await page.mouse.click(2, 2);
        clicks++;
        clickWaits = (await page.evaluate(() => window.clickWaits_)).slice(clicksBefore);
        if (clickWaits.at(-1) < MAX_TASK_MS || !(await pg.evaluate((el) => el.hasAttribute("running")))) break;
      }
      const rows = await waitForRunEnd(pg, { timeout: 90_000 });
      const tookMs = Date.now() - started;
      console.log(
        `  10^7 copies: settled in ${tookMs} ms; ${frames} frames in the second after it started${running ? "" : " (it had already ended)"}; a click waited ${clickWaits.map((ms) => ms.toFixed(0)).join(", ")} ms`,
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0].state, "done", `${JSON.stringify(rows)} ${await statusOf(pg)}`);
      assert.match(rows[0].value, /^\[70, 70, .*, … 9999900 more\]$/);
      assert.equal(rows[0].elapsedMs >= 300, true, JSON.stringify(rows[0]));
      // Loose bounds for a loaded 2-CPU machine: the run gives the page a turn every 20 ms.
      if (running) assert.ok(frames >= 3, `only ${frames} frames in 1 s during the run`);
      assert.equal(clickWaits.length, clicks, "every click reached its handler");
      assert.ok(
        clickWaits.at(-1) < MAX_TASK_MS,
        `the clicks waited ${clickWaits.map((ms) => ms.toFixed(0)).join(", ")} ms`,
      );
    },
  },

  "every long loop on the real clock keeps the page responsive and stops within 100 ms": {
    timeout: 120_000,
    run: async ({ page, baseUrl }) => {
      await openPage(page, baseUrl);
      const seen = [];
      for (const [kind, text] of Object.entries(LONG_LOOPS)) {
        seen.push(await checkStops(page, kind, text));
      }
      console.log(`  real clock: ${seen.join("; ")}`);
    },
  },

  "every long loop on the virtual clock keeps the page responsive and stops within 100 ms": {
    timeout: 120_000,
    run: async ({ page, baseUrl }) => {
      await openPage(page, baseUrl);
      const seen = [];
      for (const [kind, text] of Object.entries(LONG_LOOPS)) {
        seen.push(await checkStops(page, kind, text, { clock: "virtual" }));
      }
      console.log(`  virtual clock: ${seen.join("; ")}`);
    },
  },

  "a filter before take on 2^53 values settles with a clear error, page responsive": {
    timeout: 60_000,
    run: async ({ page, baseUrl }) => {
      await openPage(page, baseUrl);
      const got = await probe(page, "sum(range(9007199254740992) | filter < 0 | take 1)");
      checkResponsive("2^53 filter", got);
      // Refused by the checker, or stopped at run time by the value cap.
      const message = got.error ?? got.results[0];
      assert.match(message, /cap/, JSON.stringify(got));
      assert.ok(got.ranMs < 10_000, `settled after ${got.ranMs} ms`);
    },
  },

  "tiny busy-waits stay within the blocking cap, real time and overheads included": {
    timeout: 60_000,
    run: async ({ page, baseUrl }) => {
      await openPage(page, baseUrl);
      // The checker counts each blocking value as at least 0.2 ms, so 10^7
      // tiny busy-waits (before: a page frozen for good) are refused up front.
      const refused = await probe(page, "sum(range(10000000) every 1e-9ms blocking)");
      assert.match(refused.error ?? "", /busy-waits 2000 s in all; the cap is 10 s/);
      // The most it accepts runs with turns for the page in between, and
      // settles with its sum or at the run-time cap.
      const got = await probe(page, "sum(range(49999) every 1e-9ms blocking)");
      console.log(
        `  49,999 tiny busy-waits: ${got.ranMs.toFixed(0)} ms, longest task ${got.worstTask.toFixed(0)} ms, ${got.results?.[0]}`,
      );
      checkResponsive("49,999 tiny busy-waits", got);
      assert.equal(got.error, undefined, got.error);
      assert.match(got.results[0], /^1249925001$|blocking cap reached/);
      assert.ok(got.ranMs < 20_000, `ran ${got.ranMs} ms`);
    },
  },

  "collect past the memory cap fails fast with a clear error, memory under the cap": {
    timeout: 60_000,
    run: async ({ page, baseUrl }) => {
      await openPage(page, baseUrl);
      // The first run grows the page's memory (one reallocation of the list
      // touches tens of fresh MB at once: up to ~0.5 s on a loaded machine);
      // later runs reuse it.
      for (const [clock, maxTask] of [
        ["real", 1_000],
        ["real", MAX_TASK_MS],
        ["virtual", MAX_TASK_MS],
      ]) {
        const got = await probe(page, "collect(range(100000000))", { clock });
        assert.ok(got.worstTask < maxTask, `collect ${clock}: the page was held ${got.worstTask} ms`);
        assert.equal(got.error, undefined, got.error);
        assert.match(got.results[0], /^error: memory cap reached: a run may hold at most 256 MB/);
        assert.ok(got.ranMs < 5_000, `${clock}: settled after ${got.ranMs} ms`);
        assert.ok(got.memory < MEMORY_CAP_BYTES, `${clock}: wasm memory grew to ${got.memory} bytes`);
        console.log(
          `  collect(range(10^8)) ${clock}: ${got.ranMs.toFixed(0)} ms, longest task ${got.worstTask.toFixed(0)} ms, memory ${(got.memory / 2 ** 20).toFixed(0)} MB`,
        );
      }
    },
  },

  "fast endless bodies keep the page responsive and stop within 100 ms": {
    timeout: 60_000,
    run: async ({ page, baseUrl }) => {
      const server = await startBodyServer();
      try {
        await openPage(page, baseUrl);
        const one = `sum(fetch("${server.origin}/endless"))`;
        const ten = `gather(${Array(10).fill(one).join(", ")})`;
        for (const [label, text] of [
          ["one endless body", one],
          ["ten in a gather", ten],
        ]) {
          console.log(`  ${await checkStops(page, label, text, { stopAfterMs: 1_500 })}`);
        }
      } finally {
        await server.close();
      }
    },
  },

  "big bodies in a gather count towards the memory cap and settle": {
    timeout: 120_000,
    run: async ({ page, baseUrl }) => {
      const server = await startBodyServer();
      try {
        await openPage(page, baseUrl);
        for (const line of ["0", "1"]) {
          const one = `count(fetch("${server.origin}/big?mb=49&line=${line}"))`;
          const program = `gather(${Array(8).fill(one).join(", ")})`;
          // One retry absorbs a machine hiccup, as for the stops.
          let got = await probe(page, program);
          if (got.worstTask >= MAX_TASK_MS) got = await probe(page, program);
          checkResponsive(`bodies line=${line}`, got);
          assert.equal(got.error, undefined, got.error);
          const items = got.results[0];
          // 8 x 49 MB is over the run's 256 MB; a 49 MB line is over 1 MB.
          assert.match(items, line === "1" ? /line 1 is longer than 1 MB/ : /memory cap reached/, items);
          assert.ok(got.memory < MEMORY_CAP_BYTES, `line=${line}: wasm memory grew to ${got.memory} bytes`);
          console.log(
            `  8 x 49 MB bodies (long line: ${line}): ${got.ranMs.toFixed(0)} ms, longest task ${got.worstTask.toFixed(0)} ms, memory ${(got.memory / 2 ** 20).toFixed(0)} MB`,
          );
        }
      } finally {
        await server.close();
      }
    },
  },
};
