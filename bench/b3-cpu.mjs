// B3 on CPU time: the main thread's CPU time (DevTools `Performance.getMetrics`
// ThreadTime) of ours (`sum(range(10^6) every 0s)`, real clock, `bench.ours`)
// and of the JS `await Promise.resolve()` loop, each repetition paired, in
// headless Chromium. Unlike B3's wall times, it barely moves when other
// processes compete for the CPU, so it can compare two builds on a busy
// machine (bench/README.md, "B3, the timed leaf").
//
//   node bench/b3-cpu.mjs [--reps N] [www dir ...]   (default: www/, after `./dev bench`)
//
// With several www copies (each with its own bench-pkg), it alternates them.
import os from "node:os";
import path from "node:path";
import { startServer, launchBrowser, ROOT } from "../tests/e2e/harness.mjs";

const args = process.argv.slice(2);
const repsAt = args.indexOf("--reps");
const reps = repsAt >= 0 ? Number(args.splice(repsAt, 2)[1]) : 9;
const dirs = args.length ? args : [path.join(ROOT, "www")];
const N = 1e6;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x) => `${x.toFixed(1)} ms`;

/** Paired CPU times of ours and the JS loop on `dir`'s bench.html. */
async function measure(browser, dir) {
  const server = await startServer({ dir });
  const page = await browser.newPage();
  try {
    await page.goto(`${server.baseUrl}/bench.html`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 30_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
    const cpu = async () =>
      (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime").value * 1000;
    const ours = [];
    const js = [];
    for (let r = -1; r < reps; r++) {
      let start = await cpu();
      await page.evaluate((n) => window.bench.ours({ program: "hop", n }), N);
      const o = (await cpu()) - start;
      start = await cpu();
      await page.evaluate(async (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          s += i;
          await Promise.resolve();
        }
        return s;
      }, N);
      const j = (await cpu()) - start;
      if (r < 0) continue; // warm-up
      ours.push(o);
      js.push(j);
    }
    const ratios = ours.map((o, i) => js[i] / o);
    const range = (xs, f) => `${f(median(xs))} [${f(Math.min(...xs))}..${f(Math.max(...xs))}]`;
    console.log(
      `${dir}: CPU ms ours ${range(ours, ms)}, JS ${range(js, ms)}; ours / JS (speed) ${range(ratios, (x) => `${x.toFixed(3)}×`)}`,
    );
  } finally {
    await page.close();
    server.stop();
  }
}

const browser = await launchBrowser();
try {
  const load = os.loadavg()[0].toFixed(1);
  console.log(`B3 on main-thread CPU time: 10^6 hops, ${reps} paired repetitions (+1 warm-up); load ${load}`);
  for (const dir of dirs) await measure(browser, dir);
} finally {
  await browser.close();
}
