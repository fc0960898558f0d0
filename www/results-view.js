// The results panel: one row per statement, like notebook cells. Rows fill in
// live from the run's events and are settled by the final report.
// Everything a program supplies (labels, values, messages) goes in through
// textContent only.
import { el } from "./dom.js";
import { formatTime, formatTiming } from "./format.js";
import { ioStatements } from "./io-ideal.js";

/** An outcome as text, with failed items of a group marked so they show red.
 * A group shows its first `shownItems` items, then "… N more", as the
 * engine's own text does (the engine says how many): a fan-out of 10^6
 * tasks must not become 10^6 elements. */
function renderOutcome(outcome, shownItems) {
  if (outcome.type === "error") return el("span", "failed", outcome.text);
  if (outcome.type !== "group") return el("span", null, outcome.text);
  const group = el("span");
  group.append("[");
  outcome.items.slice(0, shownItems).forEach((item, i) => {
    if (i > 0) group.append(", ");
    group.append(renderOutcome(item, shownItems));
  });
  // A report carries the first 1000 items of a group and `count`, all of them.
  const more = (outcome.count ?? outcome.items.length) - shownItems;
  if (more > 0) group.append(`, … ${more} more`);
  group.append("]");
  return group;
}

export class ResultsView {
  #list;
  #rows = [];
  /** Top-level lane id → statement index, learned from live batches. */
  #statementOfLane = new Map();
  #startOfLane = new Map();

  /** Items of a group shown before "… N more": the engine's `shownItems`. */
  shownItems = Infinity;

  /** @param {HTMLOListElement} list */
  constructor(list) {
    this.#list = list;
  }

  clear() {
    this.#rows = [];
    this.#statementOfLane.clear();
    this.#startOfLane.clear();
    this.#list.replaceChildren();
  }

  /** A waiting row for each statement ({ label }) about to run. */
  begin(statements) {
    this.clear();
    this.#rows = statements.map(({ label }, index) => {
      const row = el("li", "result");
      row.dataset.state = "waiting";
      row.append(
        el("span", "result-label", label || `statement ${index + 1}`),
        el("span", "result-value", "waiting"),
        el("span", "result-timing", ""),
      );
      return row;
    });
    this.#list.replaceChildren(...this.#rows);
  }

  /** Live progress from a batch of `{ lanes, events }`. */
  addBatch({ lanes, events }) {
    for (const lane of lanes) {
      if (lane.parent === null) this.#statementOfLane.set(lane.id, lane.statement);
    }
    for (const event of events) {
      const index = this.#statementOfLane.get(event.lane);
      const row = this.#rows[index];
      if (!row) continue;
      if (event.kind === "start") {
        this.#startOfLane.set(event.lane, event.t);
        this.#set(row, "running", "running…", "");
      } else if (event.kind === "end" || event.kind === "error") {
        const elapsed = event.t - (this.#startOfLane.get(event.lane) ?? 0);
        const text = event.kind === "end" ? event.result : `error: ${event.message}`;
        this.#set(row, event.kind === "end" ? "done" : "error", text, formatTime(elapsed));
      }
    }
  }

  /** The final word: every row from the report's statements. */
  finish(report) {
    const statementOfLane = new Map(report.lanes.filter((l) => l.parent === null).map((l) => [l.id, l.statement]));
    const settled = new Set();
    const io = ioStatements(report);
    report.statements.forEach((statement, i) => {
      const index = statementOfLane.get(statement.lane) ?? i;
      const row = this.#rows[index] ?? this.#appendRow(statement.label);
      settled.add(row);
      row.querySelector(".result-label").textContent = statement.label;
      const { result } = statement;
      const state = result.type === "error" ? "error" : "done";
      this.#set(
        row,
        state,
        renderOutcome(result, this.shownItems),
        formatTiming(statement.elapsedMs, statement.idealMs, io.has(index)),
      );
      row.querySelector(".result-timing").dataset.elapsedMs = String(statement.elapsedMs);
      row.querySelector(".result-timing").dataset.idealMs = String(statement.idealMs);
    });
    // A stopped run reports only the statements that finished; the one that
    // was under way is stopped, the ones after it never started.
    for (const row of this.#rows) {
      if (settled.has(row)) continue;
      const wasRunning = row.dataset.state === "running";
      this.#set(row, "stopped", wasRunning ? "stopped" : "not run", "");
    }
  }

  #appendRow(label) {
    const row = el("li", "result");
    row.append(el("span", "result-label", label), el("span", "result-value"), el("span", "result-timing"));
    this.#rows.push(row);
    this.#list.append(row);
    return row;
  }

  #set(row, state, value, timing) {
    row.dataset.state = state;
    const valueCell = row.querySelector(".result-value");
    if (typeof value === "string") valueCell.textContent = value;
    else valueCell.replaceChildren(value);
    row.querySelector(".result-timing").textContent = timing;
  }
}
