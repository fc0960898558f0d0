// Scrubbing benchmark (issue 13): how long one move of the transport's cursor
// takes to redraw on a run of 10^4 events, against one frame (16 ms).
//
//   node bench/scrub.mjs          (needs the release build: ./dev build)
//
// For each program it runs on the virtual clock in the page, then seeks the
// timeline to 200 random times (a drag), timing each seek: the wasm
// Replay.stateAt, the SVG cursor and state dots, the state panel, and the
// style and layout the browser must redo before it can paint (forced by
// reading a layout property). Three rounds of 200; prints each round's median,
// and the 95th percentile and max of all 600, with the machine's load average
// (on a shared machine a busy neighbour shows up as a slow round).
import os from "node:os";
import { startServer, launchBrowser, watchPage } from "../tests/e2e/harness.mjs";

const PROGRAMS = {
  "10 lanes x 1000 values": "source s = range(1000) every 1ms\ngather(10 * collect(s))",
  "100 lanes x 100 values": "source s = range(100) every 10ms\ngather(100 * sum(s))",
  "1000 lanes x 10 values": "source s = range(10) every 100ms\ngather(1000 * sum(s))",
};
const SEEKS = 200;
const ROUNDS = 3;
const FRAME_MS = 16;

const server = await startServer();
const browser = await launchBrowser();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const watch = watchPage(page);
  await page.goto(`${server.baseUrl}/index.html`);
  await page.waitForFunction(() => document.querySelector("async-playground")?.dataset.ready === "true");
  console.log(
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} on ${os.cpus().length} CPUs`,
  );
  console.log(`| run | events | seek + redraw: median of each round | p95 | max | best median under ${FRAME_MS} ms |`);
  console.log("|---|---|---|---|---|---|");
  for (const [name, code] of Object.entries(PROGRAMS)) {
    const result = await page.evaluate(
      async ({ code, seeks, rounds }) => {
        const pg = document.querySelector("async-playground");
        pg.code = code;
        const report = await pg.run({ at: 0 });
        const tl = pg.shadowRoot.querySelector("timeline-view");
        const end = tl.position === null ? 0 : report.elapsedMs;
        const times = [];
        for (let i = 0; i < seeks * rounds; i++) {
          const t = (((i * 7919) % seeks) / seeks) * end; // spread over the run, out of order
          const started = performance.now();
          tl.seek(t);
          void tl.shadowRoot.querySelector(".moment").getBoundingClientRect().height; // style + layout
          times.push(performance.now() - started);
          await new Promise(requestAnimationFrame);
        }
        return { events: report.events.length, times };
      },
      { code, seeks: SEEKS, rounds: ROUNDS },
    );
    const quantile = (xs, q) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    };
    const medians = Array.from({ length: ROUNDS }, (_, r) =>
      quantile(result.times.slice(r * SEEKS, (r + 1) * SEEKS), 0.5),
    );
    const fmt = (ms) => `${ms.toFixed(2)} ms`;
    const ok = Math.min(...medians) < FRAME_MS;
    failed ||= !ok;
    console.log(
      `| ${name} | ${result.events} | ${medians.map(fmt).join(", ")} | ${fmt(quantile(result.times, 0.95))} | ${fmt(Math.max(...result.times))} | ${ok ? "yes" : "NO"} |`,
    );
  }
  if (watch.errors.length) throw new Error(watch.errors.join("\n"));
} finally {
  await browser.close();
  server.stop();
}
process.exitCode = failed ? 1 : 0;
