// Where index.html's navigation → ready goes (B5's ready row): loads a page in
// a fresh browser context per load, served by tools/serve.py (HTTP/1.0, 6
// connections per host) like bench/run.mjs, and prints per load the network
// waterfall (every request's start, response start and end, from Resource
// Timing) and the page's milestones (DOMContentLoaded, the element defined,
// the core wasm compiled, ready), plus every task over 10 ms before ready (the
// main thread's long tasks, from a DevTools trace) with what ran in it.
//
//   node bench/ready-trace.mjs [--page index.html] [--loads 3] [--www DIR]... [--summary] [--tasks] [--timeline] [--profile]
//
// --www serves another copy of www/; given several times, their loads
// alternate (paired: a busy machine slows them alike) and the end prints each
// one's median milestones. --summary prints only that.
//
// Figures are ms from navigation start. --tasks records a DevTools trace per
// load (slower: the trace itself costs a few ms) and prints the long tasks;
// --timeline (implies --tasks) prints every main-thread task over 1 ms before
// ready, the critical path's gaps included.
// --profile samples the page's JavaScript every 0.1 ms until ready and prints
// the functions with the most self time (the sampling slows the page too).
import os from "node:os";
import path from "node:path";
import { launchBrowser, startServer } from "../tests/e2e/harness.mjs";
import { pageValue } from "./page-wait.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const PAGE = opt("--page", "index.html");
const LOADS = Number(opt("--loads", 3));
const WWWS = args.flatMap((a, i) => (args[i - 1] === "--www" ? [path.resolve(a)] : []));
const SUMMARY = args.includes("--summary");
const TASKS = args.includes("--tasks") || args.includes("--timeline");
const PROFILE = args.includes("--profile");
const TIMELINE = args.includes("--timeline");

const fmt = (ms) => (ms === undefined || ms === null ? "    -" : ms.toFixed(0).padStart(5));

/** Milestones recorded in the page by an init script (the page's CSP does not apply to it). */
function recordMilestones() {
  const marks = {};
  window.__marks = marks;
  const at = (name) => (marks[name] ??= performance.now());
  document.addEventListener("DOMContentLoaded", () => at("DOMContentLoaded"));
  addEventListener("load", () => at("load"));
  customElements.whenDefined("async-playground").then(() => {
    at("element defined");
    // Shown: its shadow part unhidden, which waits for the element's own stylesheet.
    const shadow = document.querySelector("async-playground")?.shadowRoot;
    const shown = () => shadow.querySelector(".playground")?.hidden === false && at("element shown");
    if (shadow) new MutationObserver(shown).observe(shadow, { attributes: true, childList: true, subtree: true });
  });
  const fetchPage = window.fetch;
  window.fetch = (...a) => {
    const wasm = String(a[0]?.url ?? a[0]).endsWith("async_playground_bg.wasm");
    if (wasm) at("wasm fetch called");
    const response = fetchPage.apply(window, a);
    if (wasm) response.then(() => at("wasm fetch answered"));
    return response;
  };
  const compile = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (...a) => {
    at("instantiateStreaming called");
    return compile.apply(WebAssembly, a).then((result) => {
      at("wasm instantiated");
      return result;
    });
  };
  new MutationObserver(() => {
    const root = document.documentElement;
    if (root?.dataset.ready === "true") at("ready");
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
}

/** The main thread's JavaScript samples in a trace: [{ ts, name }] (name: function file:line, or (program)/(idle)/(gc)). */
function traceSamples(events, main) {
  // The profile's chunks come from the profiler's own thread; the Profile event that starts it, from the main thread.
  const ids = new Set(events.filter((e) => e.name === "Profile" && e.tid === main.tid).map((e) => e.id));
  const nodes = new Map();
  const samples = [];
  const clock = new Map();
  for (const e of events) {
    if (!ids.has(e.id) || e.pid !== main.pid) continue;
    if (e.name === "Profile") clock.set(e.id, e.args.data.startTime);
    if (e.name !== "ProfileChunk") continue;
    const data = e.args.data;
    for (const node of data.cpuProfile?.nodes ?? []) {
      const { functionName, url = "", lineNumber = 0 } = node.callFrame;
      const where = url ? ` ${url.split("/").pop()}:${lineNumber + 1}` : "";
      nodes.set(`${e.id}:${node.id}`, `${functionName || "(anonymous)"}${where}`);
    }
    let ts = clock.get(e.id) ?? 0;
    (data.cpuProfile?.samples ?? []).forEach((id, i) => {
      ts += data.timeDeltas[i];
      samples.push({ ts, name: nodes.get(`${e.id}:${id}`) });
    });
    clock.set(e.id, ts);
  }
  return samples.sort((a, b) => a.ts - b.ts);
}

/**
 * CPU time of the renderer's main thread from navigation to `until` (ms): the
 * sum of its tasks' thread durations, which a busy machine stretches far less
 * than their wall time (the other processes' time is not counted).
 */
function mainThreadCpu(events, navigationTs, until) {
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const end = navigationTs + until * 1000;
  const tasks = events.filter(
    (e) => e.pid === main?.pid && e.tid === main?.tid && e.ph === "X" && e.name === "RunTask",
  );
  return tasks.filter((e) => e.ts >= navigationTs && e.ts < end).reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;
}

/** The trace's main-thread tasks over 10 ms that end before `until` (ms from navigation), with their top functions. */
function longTasks(events, navigationTs, until) {
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  if (!main) return [];
  const ms = (ts) => (ts - navigationTs) / 1000;
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const tasks = onMain.filter((e) => e.name === "RunTask" && e.dur > 10_000 && ms(e.ts) < until);
  const samples = traceSamples(events, main);
  return tasks.map((task) => {
    const self = new Map();
    const inTask = samples.filter((s) => s.ts >= task.ts && s.ts < task.ts + task.dur);
    inTask.forEach((s, i) => {
      const next = inTask[i + 1]?.ts ?? task.ts + task.dur;
      self.set(s.name, (self.get(s.name) ?? 0) + (next - s.ts) / 1000);
    });
    const js = [...self]
      .filter(([, ms]) => ms >= 1)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name} ${ms.toFixed(1)}`);
    const inside = onMain.filter(
      (e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur > 2_000,
    );
    const what = inside
      .filter((e) => e.name !== "RunTask" && e.name !== "ThreadControllerImpl::RunTask")
      .map((e) => {
        const data = e.args?.data ?? {};
        const detail = data.url?.split("/").pop() || data.functionName || data.type || "";
        return `${e.name}${detail ? `(${detail})` : ""} ${(e.dur / 1000).toFixed(1)}`;
      });
    return { start: ms(task.ts), dur: task.dur / 1000, cpu: (task.tdur ?? 0) / 1000, what, js };
  });
}

/** Every main-thread task over 1 ms that starts before `until` (ms from navigation): start, wall, CPU, its biggest events. */
function allTasks(events, navigationTs, until) {
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  if (!main) return [];
  const ms = (ts) => (ts - navigationTs) / 1000;
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const tasks = onMain.filter((e) => e.name === "RunTask" && e.dur > 1_000 && ms(e.ts) >= 0 && ms(e.ts) < until);
  return tasks.map((task) => {
    const inside = onMain
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur > 500)
      .filter((e) => e.name !== "RunTask" && e.name !== "ThreadControllerImpl::RunTask")
      .sort((a, b) => b.dur - a.dur)
      .slice(0, 5)
      .map((e) => {
        const data = e.args?.data ?? {};
        const detail = data.url?.split("/").pop() || data.functionName || data.type || "";
        return `${e.name}${detail ? `(${detail})` : ""} ${(e.dur / 1000).toFixed(1)}`;
      });
    return { start: ms(task.ts), dur: task.dur / 1000, cpu: (task.tdur ?? 0) / 1000, what: inside };
  });
}

/** [function at url:line, self ms] of a CPU profile, most first. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || "(anonymous)"} ${url.split("/").pop()}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]);
}

const servers = [];
for (const dir of WWWS.length ? WWWS : [undefined]) servers.push(await startServer(dir ? { dir } : {}));
const browser = await launchBrowser();
const milestones = servers.map(() => []);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const say = (...a) => SUMMARY || console.log(...a);
try {
  for (let load = 0; load < LOADS; load++) {
    for (const [which, server] of servers.entries()) {
      const marks = await traceLoad(server, load, WWWS[which] ?? "www");
      milestones[which].push(marks);
    }
  }
  console.log(
    `\nmedians over ${LOADS} loads (ms from navigation start; load average ${os.loadavg()[0].toFixed(2)} at the end):`,
  );
  for (const [which, loads] of milestones.entries()) {
    const names = [...new Set(loads.flatMap((m) => Object.keys(m)))].sort((a, b) => loads[0][a] - loads[0][b]);
    const parts = names.map((n) => `${n} ${median(loads.map((m) => m[n] ?? NaN)).toFixed(0)}`);
    console.log(`  ${WWWS[which] ?? "www"}: ${parts.join(", ")}`);
    console.log(`    ready each load: ${loads.map((m) => m.ready.toFixed(0)).join(" ")}`);
  }
} finally {
  await browser.close();
  for (const server of servers) server.stop();
}

/** One load in a fresh context: prints its waterfall (and trace, profile); returns its milestones. */
async function traceLoad(server, load, label) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(recordMilestones);
    let cdp = null;
    const traceEvents = [];
    if (TASKS) {
      cdp = await context.newCDPSession(page);
      cdp.on("Tracing.dataCollected", ({ value }) => traceEvents.push(...value));
      await cdp.send("Tracing.start", {
        categories:
          "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing,disabled-by-default-v8.cpu_profiler",
        transferMode: "ReportEvents",
      });
    }
    let profiler = null;
    if (PROFILE) {
      profiler = await context.newCDPSession(page);
      await profiler.send("Profiler.enable");
      await profiler.send("Profiler.setSamplingInterval", { interval: 100 });
      await profiler.send("Profiler.start");
    }
    await page.goto(`${server.baseUrl}/${PAGE}`);
    await pageValue(page, "window.__marks.ready");
    await pageValue(page, 'window.__marks["element shown"]');
    await page.waitForTimeout(50);
    const { marks, resources, navigation } = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return {
        marks: window.__marks,
        navigation: { responseStart: nav.responseStart, responseEnd: nav.responseEnd },
        resources: performance.getEntriesByType("resource").map((r) => ({
          name: r.name.replace(location.origin, ""),
          start: r.startTime,
          requestStart: r.requestStart,
          responseStart: r.responseStart,
          end: r.responseEnd,
          initiator: r.initiatorType,
        })),
      };
    });
    say(`\nload ${load + 1}: ${label}/${PAGE}, ms from navigation start`);
    say(`  document: response ${fmt(navigation.responseStart)} .. ${fmt(navigation.responseEnd)}`);
    say("  start  sent  first   end  resource");
    for (const r of resources.filter((r) => r.start <= marks.ready)) {
      say(`  ${fmt(r.start)} ${fmt(r.requestStart)} ${fmt(r.responseStart)} ${fmt(r.end)}  ${r.name} (${r.initiator})`);
    }
    for (const [name, t] of Object.entries(marks).sort((a, b) => a[1] - b[1])) {
      say(`  ${fmt(t)}  ${name}`);
    }
    if (profiler) {
      const { profile } = await profiler.send("Profiler.stop");
      say("  self time by function until ready (ms, sampled; top 25):");
      for (const [name, ms] of selfTimes(profile).slice(0, 25)) say(`  ${fmt(ms)}  ${name}`);
    }
    if (cdp) {
      const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
      await cdp.send("Tracing.end");
      await done;
      const nav = traceEvents.find((e) => e.name === "navigationStart" && e.args?.data?.isLoadingMainFrame);
      if (nav) {
        marks["main-thread CPU before ready"] = mainThreadCpu(traceEvents, nav.ts, marks.ready);
        say(`  main thread CPU before ready: ${fmt(marks["main-thread CPU before ready"])} ms`);
        say("  long tasks before ready (start, wall, CPU, inside: name(detail) ms):");
        if (TIMELINE) {
          say("  every task over 1 ms before ready (start, wall, CPU, its biggest events):");
          for (const task of allTasks(traceEvents, nav.ts, marks.ready)) {
            say(`  ${fmt(task.start)} ${fmt(task.dur)} ${fmt(task.cpu)}  ${task.what.join("; ")}`);
          }
        }
        for (const task of longTasks(traceEvents, nav.ts, marks.ready)) {
          say(`  ${fmt(task.start)} ${fmt(task.dur)} ${fmt(task.cpu)}  ${task.what.slice(0, 12).join("; ")}`);
          if (task.js.length) say(`               self: ${task.js.slice(0, 10).join("; ")}`);
        }
      }
    }
    return marks;
  } finally {
    await context.close();
  }
}
