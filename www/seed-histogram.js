// <seed-histogram>: Run ×N. Runs the program under seeds 0..N-1 on the
// virtual clock (in slices, so the page stays responsive and Stop is heard)
// and shows, per statement, a histogram of elapsed time with p50, p90, p99
// and max. Every bar is a button: it fires `open-seed` with `{ seed }`, the
// first seed whose run fell in that bar, for the host to open in its timeline.
//
//   const view = document.createElement("seed-histogram");
//   view.program = () => editor.value;    // the text to run
//
// The runs are the studio package's SeedBatch (engine.js loadStudio), asked
// for on the first Run ×N if the page has not loaded it yet; meanwhile the
// progress line says it is loading, and says so if it fails.
//   view.addEventListener("open-seed", (e) => run({ seed: e.detail.seed }));
//
// Attributes: `runs` (N, default 1000), `hidden` (the host hides it for
// programs without random delays). Program text reaches the page only
// through textContent.

import { ShadowElement } from "./dom.js";
import { formatCount, formatTime } from "./format.js";
import { loadStudio } from "./engine.js";

const SVG = "http://www.w3.org/2000/svg";
/** Wall-clock budget of one slice of runs before the page gets a turn. */
const SLICE_MS = 30;
/** How often the histograms are redrawn while a batch runs. */
const REDRAW_MS = 250;
const BINS = 40;
const CHOICES = [100, 1000, 10000];

const template = document.createElement("template");
template.innerHTML = `
  <style>
    :host { display: block; margin-top: 12px; }
    :host([hidden]) { display: none; }
    .bar-controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    button, select { font: inherit; padding: 3px 10px; border-radius: 6px;
      border: 1px solid var(--ap-line, #ccc); background: var(--ap-panel, #f6f7f9); color: var(--ap-ink, #222); }
    button.primary { background: var(--ap-accent, #2f6690); color: var(--ap-accent-ink, #fff); border-color: transparent; }
    button:disabled { opacity: 0.5; }
    .progress { color: var(--ap-muted, #5b6675); font-size: 0.9em; }
    .statements { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px; margin: 8px 0 0; padding: 0; list-style: none; }
    .statement { border: 1px solid var(--ap-line, #ddd); border-radius: 6px; padding: 6px 8px; background: var(--ap-bg, #fff); }
    .label { font-family: ui-monospace, monospace; font-size: 0.85em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .kind { color: var(--ap-muted, #5b6675); font-size: 0.8em; }
    .percentiles { font-size: 0.85em; margin: 2px 0; font-variant-numeric: tabular-nums; }
    svg { display: block; width: 100%; height: 70px; }
    rect.bin { fill: var(--ap-accent, #2f6690); cursor: pointer; }
    rect.bin:hover, rect.bin:focus { fill: var(--ap-focus, #e0892b); outline: none; }
    line { pointer-events: none; }
    line.p50 { stroke: var(--ap-ok, #1f7a4d); stroke-width: 1.5; }
    line.p99 { stroke: var(--ap-error, #b42318); stroke-width: 1.5; stroke-dasharray: 3 2; }
    .axis { display: flex; justify-content: space-between; color: var(--ap-muted, #5b6675); font-size: 0.75em; }
  </style>
  <div class="bar-controls" role="group" aria-label="Run many seeds">
    <button type="button" id="run-many" class="primary" title="Run the program under many seeds on the virtual clock">Run ×N</button>
    <label>N <select id="count"></select></label>
    <button type="button" id="stop-many" disabled>Stop</button>
    <span class="progress" role="status" aria-live="polite"></span>
  </div>
  <ol class="statements" aria-label="Elapsed time over seeds"></ol>
`;

export class SeedHistogram extends ShadowElement {
  /** Returns the program text to run. */
  program = () => "";

  #parts = null;
  #stopped = null;

  connectedCallback() {
    if (this.#parts) return;
    const $ = this.render(template);
    this.#parts = {
      run: $("#run-many"),
      stop: $("#stop-many"),
      count: $("#count"),
      progress: $(".progress"),
      list: $(".statements"),
    };
    const initial = Number(this.getAttribute("runs")) || 1000;
    for (const n of new Set([...CHOICES, initial].sort((a, b) => a - b))) {
      const option = document.createElement("option");
      option.value = String(n);
      option.textContent = formatCount(n);
      option.selected = n === initial;
      this.#parts.count.append(option);
    }
    this.#parts.run.addEventListener("click", () => this.runMany());
    this.#parts.stop.addEventListener("click", () => this.stop());
  }

  get running() {
    return this.#stopped !== null;
  }

  /** Stops the batch in progress; the runs so far stay shown. */
  stop() {
    if (this.#stopped) this.#stopped.value = true;
  }

  /** Runs N seeds (the selector's value, or `count`); resolves to the spreads shown. */
  async runMany(count = Number(this.#parts.count.value)) {
    this.stop();
    const stopped = { value: false };
    this.#stopped = stopped;
    let SeedBatch;
    try {
      this.#say("Loading Run ×N…");
      ({ SeedBatch } = await loadStudio());
    } catch (error) {
      if (this.#stopped === stopped) this.#stopped = null;
      this.#say(`Run ×N could not be loaded: ${error?.message ?? error}`);
      return null;
    }
    if (stopped.value) {
      if (this.#stopped === stopped) this.#stopped = null;
      return null;
    }
    this.#say("");
    let batch;
    try {
      batch = new SeedBatch(this.program());
    } catch (error) {
      this.#stopped = null;
      this.#say(`Not run: ${error?.message ?? error}`);
      return null;
    }
    this.#setRunning(true);
    const started = performance.now();
    let drawn = 0;
    let spreads = [];
    try {
      while (batch.runs < count && !stopped.value) {
        batch.runFor(count - batch.runs, SLICE_MS);
        if (performance.now() - drawn > REDRAW_MS) {
          spreads = batch.spreads(BINS);
          this.#draw(spreads);
          drawn = performance.now();
          this.#say(`${formatCount(batch.runs)} of ${formatCount(count)} seeds…`);
        }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      spreads = batch.spreads(BINS);
      this.#draw(spreads);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const runs = formatCount(batch.runs);
      this.#say(
        stopped.value
          ? `Stopped after ${runs} seeds.`
          : `${runs} seeds in ${seconds} s of wall time. Click a bar to open that seed's run.`,
      );
    } finally {
      batch.free();
      if (this.#stopped === stopped) {
        this.#stopped = null;
        this.#setRunning(false);
      }
    }
    return spreads;
  }

  #setRunning(running) {
    this.#parts.run.disabled = running;
    this.#parts.stop.disabled = !running;
    this.toggleAttribute("running", running);
  }

  #say(text) {
    this.#parts.progress.textContent = text;
  }

  #draw(spreads) {
    const items = spreads.map((spread, index) => this.#statement(spread, index));
    this.#parts.list.replaceChildren(...items);
  }

  #statement(spread, index) {
    const item = document.createElement("li");
    item.className = "statement";
    item.dataset.statement = String(index);
    const label = document.createElement("div");
    label.className = "label";
    label.textContent = spread.label;
    label.title = spread.label;
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = spread.kind === "task" ? "" : ` ${spread.kind}`;
    label.append(kind);
    const percentiles = document.createElement("div");
    percentiles.className = "percentiles";
    const d = formatTime;
    percentiles.textContent = `p50 ${d(spread.p50Ms)} · p90 ${d(spread.p90Ms)} · p99 ${d(spread.p99Ms)} · max ${d(spread.maxMs)}`;
    item.append(label, percentiles, this.#histogram(spread));
    const axis = document.createElement("div");
    axis.className = "axis";
    const first = spread.bins[0];
    const last = spread.bins[spread.bins.length - 1];
    const low = document.createElement("span");
    low.textContent = first ? d(first.fromMs) : "";
    const high = document.createElement("span");
    high.textContent = last ? d(last.toMs) : "";
    axis.append(low, high);
    item.append(axis);
    return item;
  }

  #histogram(spread) {
    const width = 300;
    const height = 70;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("role", "group");
    svg.setAttribute("aria-label", `Histogram of ${spread.runs} runs`);
    const bins = spread.bins;
    if (!bins.length) return svg;
    const tallest = Math.max(...bins.map((b) => b.count), 1);
    const step = width / bins.length;
    const from = bins[0].fromMs;
    const to = bins[bins.length - 1].toMs;
    const x = (ms) => (to > from ? ((ms - from) / (to - from)) * width : 0);
    bins.forEach((bin, i) => {
      if (!bin.count) return;
      // A lone run still gets a visible bar.
      const h = Math.max(2, (bin.count / tallest) * (height - 4));
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("class", "bin");
      rect.setAttribute("x", String(i * step + 0.5));
      rect.setAttribute("y", String(height - h));
      rect.setAttribute("width", String(Math.max(1, step - 1)));
      rect.setAttribute("height", String(h));
      rect.setAttribute("tabindex", "0");
      rect.setAttribute("role", "button");
      rect.dataset.seed = String(bin.seed);
      const share = ((bin.count / spread.runs) * 100).toFixed(1);
      const text = `${bin.count} runs (${share} %) took ${formatTime(bin.fromMs)}–${formatTime(bin.toMs)}; open seed ${bin.seed}`;
      rect.setAttribute("aria-label", text);
      const title = document.createElementNS(SVG, "title");
      title.textContent = text;
      rect.append(title);
      const open = () =>
        this.dispatchEvent(new CustomEvent("open-seed", { detail: { seed: bin.seed }, bubbles: true, composed: true }));
      rect.addEventListener("click", open);
      rect.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open();
        }
      });
      svg.append(rect);
    });
    for (const [name, ms] of [
      ["p50", spread.p50Ms],
      ["p99", spread.p99Ms],
    ]) {
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("class", name);
      const at = Math.min(width - 1, Math.max(1, x(ms)));
      line.setAttribute("x1", String(at));
      line.setAttribute("x2", String(at));
      line.setAttribute("y1", "0");
      line.setAttribute("y2", String(height));
      svg.append(line);
    }
    return svg;
  }
}

if (!customElements.get("seed-histogram")) customElements.define("seed-histogram", SeedHistogram);
