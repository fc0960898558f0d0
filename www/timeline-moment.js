// The panel under the transport: the event loop's view at the cursor (the
// rule that fired, the timer queue, the ready tasks), every lane's state
// (waiting until when, values so far, what its aggregator holds), and the
// narration of every step as a text log for screen readers and copying.
// Everything it shows is computed in Rust (Replay.stateAt, Replay.log).
//
//   const panel = new MomentPanel(parent);
//   panel.load(replay);    // a new run: the log, one row per lane
//   panel.show(moment);    // replay.stateAt(t)
import { formatMoment } from "./format.js";

/**
 * Lanes listed; a larger fan-out says how many more there are (the dots on
 * the cursor show every drawn lane). Each listed lane costs layout per move.
 */
const MAX_LISTED_LANES = 32;
/** Entries of the timer queue and of the ready list shown. */
const MAX_LISTED_ITEMS = 8;

export class MomentPanel {
  constructor(parent) {
    const el = (tag, attributes = {}, into = null) => {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      if (into) into.append(node);
      return node;
    };
    this.root = el("section", { class: "moment", "aria-label": "The run at the cursor" }, parent);
    this.root.hidden = true;
    const loop = el("div", { class: "loop" }, this.root);
    const heading = el("h3", {}, loop);
    heading.textContent = "Event loop";
    this.line = el("p", { class: "loop-line", role: "status", "aria-live": "polite" }, loop);
    const facts = el("dl", {}, loop);
    el("dt", {}, facts).textContent = "Timer queue";
    this.queue = el("dd", { class: "queue" }, facts);
    el("dt", {}, facts).textContent = "Ready";
    this.ready = el("dd", { class: "ready" }, facts);
    const lanesHeading = el("h3", {}, this.root);
    lanesHeading.textContent = "Tasks";
    this.lanes = el("ul", { class: "lane-states" }, this.root);
    this.more = el("p", { class: "more" }, this.root);
    this.log = el("details", { class: "log" }, this.root);
    this.logSummary = el("summary", {}, this.log);
    this.logList = el("ol", {}, this.log);
    this.log.addEventListener("toggle", () => this.#fillLog());
    this.rows = [];
    this.replay = null;
    this.logFilled = false;
  }

  /** A new run: rows for its lanes, and its log (filled when opened). */
  load(replay, laneCount) {
    this.replay = replay;
    this.root.hidden = false;
    const listed = Math.min(laneCount, MAX_LISTED_LANES);
    this.rows = Array.from({ length: listed }, (_, lane) => {
      const item = document.createElement("li");
      item.dataset.lane = String(lane);
      const name = document.createElement("span");
      name.className = "name";
      const text = document.createElement("span");
      text.className = "state";
      item.append(name, text);
      return { item, name, text };
    });
    this.lanes.replaceChildren(...this.rows.map((row) => row.item));
    this.more.textContent = laneCount > listed ? `… and ${laneCount - listed} more tasks (not listed)` : "";
    this.logSummary.textContent = `Narration: ${replay.steps.length} steps, as text`;
    this.logFilled = false;
    this.logList.replaceChildren();
    if (this.log.open) this.#fillLog();
  }

  hide() {
    this.root.hidden = true;
    this.replay = null;
  }

  /** Draws `moment` (Replay.stateAt): only what changed is touched. */
  show(moment) {
    const { loop, lanes } = moment;
    setText(this.line, loop.line);
    this.line.dataset.mode = loop.mode;
    setText(
      this.queue,
      loop.queued
        ? shortList(
            loop.queue.map((q) => `${q.name} at ${formatMoment(q.until)}`),
            loop.queued,
          )
        : "empty",
    );
    setText(
      this.ready,
      loop.readyCount
        ? shortList(loop.ready, loop.readyCount)
        : loop.busy !== null
          ? "none: the loop is frozen"
          : "none",
    );
    this.rows.forEach((row, lane) => {
      const state = lanes[lane];
      if (!state) return;
      if (row.item.dataset.status !== state.status) row.item.dataset.status = state.status;
      setText(row.name, state.name);
      setText(row.text, state.text);
    });
    this.shownAt = moment.t;
    this.#markStep(moment.t);
  }

  #fillLog() {
    if (!this.log.open || this.logFilled || !this.replay) return;
    this.logFilled = true;
    const items = this.replay.log().map(({ t, line }) => {
      const item = document.createElement("li");
      item.dataset.t = String(t);
      const time = document.createElement("time");
      time.textContent = formatMoment(t);
      item.append(time, ` ${line}`);
      return item;
    });
    this.logList.replaceChildren(...items);
    this.current = null;
    if (this.shownAt !== undefined) this.#markStep(this.shownAt);
  }

  /** Marks the log's line for the step at or before `t`. */
  #markStep(t) {
    if (!this.logFilled) return;
    const item = this.logList.children[stepsUpTo(this.replay.steps, t) - 1] ?? null;
    if (item === this.current) return;
    this.current?.removeAttribute("aria-current");
    item?.setAttribute("aria-current", "step");
    this.current = item;
  }
}

/** The first few of `total` items and how many more: a long line costs layout on every move. */
function shortList(items, total) {
  const shown = items.slice(0, MAX_LISTED_ITEMS);
  return total > shown.length ? `${shown.join(", ")}, … ${total - shown.length} more` : shown.join(", ");
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** How many of the ascending `steps` are at or before `t` (before it, when
 * `inclusive` is false): a binary search. */
export function stepsUpTo(steps, t, inclusive = true) {
  let low = 0;
  let high = steps.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (steps[mid] < t || (inclusive && steps[mid] === t)) low = mid + 1;
    else high = mid;
  }
  return low;
}
