// The <timeline-view> test bench: runs one program (an example or ?program=)
// on the real or virtual clock into a timeline, with Stop, and compares each
// run with the one before. Tests read window.timelineDemo.
import init, { examples, run } from "./pkg/async_playground.js";
import { slowReady } from "./sw-register.js";
import "./timeline-view.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const timeline = $("timeline");
let controller = null;
let replaying = null;
let previous = null;

const demo = {
  timeline,
  /** The last finished report. */
  report: null,
  /** "idle" | "running" | "done" */
  state: "idle",
  run: runProgram,
  stop,
};
window.timelineDemo = demo;

function setState(state) {
  demo.state = state;
  document.documentElement.dataset.state = state;
  $("run").disabled = state === "running";
  $("stop").disabled = state !== "running";
}

function labelOf(report) {
  return report.statements.map((statement) => statement.label).join(" + ") || "run";
}

async function runProgram() {
  const text = $("program").value;
  const clock = $("clock").value;
  const speed = Number($("speed").value) || 0;
  controller = new AbortController();
  $("error").hidden = true;
  setState("running");
  try {
    if (clock === "virtual" && speed > 0) {
      const report = await run(text, { clock });
      replaying = report;
      await timeline.replay(report, speed);
      finishWith(report);
    } else {
      timeline.reset();
      const report = await run(text, {
        clock,
        signal: controller.signal,
        onEvent: (batch) => timeline.addBatch(batch),
      });
      timeline.finish(report);
      finishWith(report);
    }
  } catch (error) {
    $("error").textContent = error.message || String(error);
    $("error").hidden = false;
    setState("done");
  } finally {
    controller = null;
    replaying = null;
  }
}

function finishWith(report) {
  demo.report = report;
  const current = { label: labelOf(report), elapsedMs: report.elapsedMs };
  if (previous && !report.cancelled) timeline.compare(previous, current);
  if (!report.cancelled) previous = current;
  setState("done");
}

/** Stops a live run (its report comes back cancelled) or skips a replay to its end. */
function stop() {
  if (replaying) timeline.finish(replaying);
  controller?.abort();
}

async function main() {
  // The I/O examples fetch slow/... URLs that the page's service worker answers.
  await Promise.all([init(), slowReady]);
  const list = examples();
  for (const example of list) {
    const option = document.createElement("option");
    option.value = example.name;
    option.textContent = example.title;
    $("example").append(option);
  }
  const chosen = list.find((example) => example.name === params.get("example")) || list[0];
  $("example").value = chosen.name;
  $("program").value = params.get("program") ?? chosen.text;
  $("clock").value = params.get("clock") === "virtual" ? "virtual" : "real";
  $("speed").value = params.get("speed") ?? "0";
  const theme = params.get("theme");
  if (theme) {
    document.documentElement.dataset.theme = theme;
    timeline.setAttribute("theme", theme);
  }

  $("example").addEventListener("change", () => {
    $("program").value = list.find((example) => example.name === $("example").value).text;
  });
  $("controls").addEventListener("submit", (event) => {
    event.preventDefault();
    runProgram();
  });
  $("stop").addEventListener("click", stop);
  setState("idle");
  document.documentElement.dataset.ready = "true";
  if (params.has("autorun")) runProgram();
}

main();
