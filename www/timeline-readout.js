// The sentences under the timeline: elapsed against ideal with the overhead,
// how late timers fired, and what was left out. Plain strings, shown with
// textContent by the element.
import { idealText, ioStatements } from "./io-ideal.js";
import { formatOverhead, formatTime } from "./format.js";

/**
 * "elapsed 3.01 s · ideal 3.00 s · overhead +0.3 %"; with real I/O the ideal
 * is unknown, so no overhead: "elapsed 512 ms · ideal unknown: real I/O".
 */
export function elapsedVsIdeal(elapsedMs, idealMs, readsIo = false) {
  const ideal = idealText(idealMs, readsIo, formatTime);
  return readsIo
    ? `elapsed ${formatTime(elapsedMs)} · ${ideal}`
    : `elapsed ${formatTime(elapsedMs)} · ${ideal} · overhead ${formatOverhead(elapsedMs, idealMs)}`;
}

/** One line per statement, then the total when there is more than one statement. */
export function readoutLines(report) {
  const io = ioStatements(report);
  const statementOf = new Map(report.lanes.map((lane) => [lane.id, lane.statement]));
  const lines = report.statements.map((statement, index) => ({
    label: statement.label,
    text: elapsedVsIdeal(statement.elapsedMs, statement.idealMs, io.has(statementOf.get(statement.lane) ?? index)),
  }));
  if (lines.length !== 1) {
    lines.push({ label: "total", text: elapsedVsIdeal(report.elapsedMs, report.idealMs, !report.idealExact) });
  }
  if (report.cancelled) lines.push({ label: "stopped", text: `at ${formatTime(report.elapsedMs)}` });
  if (!report.idealExact) {
    lines.push({ label: "note", text: "no simulation knows how long real I/O takes, so its ideal is unknown" });
  }
  return lines;
}

/** "6 timers fired 0.4 ms late on average, worst 1.2 ms", or why there is nothing to say. */
export function timerLateness(report) {
  const { timers } = report;
  if (report.clock === "virtual") return "virtual clock: every timer fires exactly on time";
  if (!timers || timers.count === 0) return "no timers fired";
  if (timers.count === 1) return `1 timer fired ${formatTime(timers.maxLateMs)} late`;
  return `${timers.count} timers fired ${formatTime(timers.meanLateMs)} late on average, worst ${formatTime(timers.maxLateMs)}`;
}

/** "+12 lanes and 40 events not shown", or "" when everything is drawn. */
export function omittedNote(lanesHidden, eventsHidden) {
  const parts = [];
  if (lanesHidden > 0) parts.push(`${lanesHidden} lane${lanesHidden === 1 ? "" : "s"}`);
  if (eventsHidden > 0) parts.push(`${eventsHidden} event${eventsHidden === 1 ? "" : "s"}`);
  return parts.length ? `+${parts.join(" and ")} not shown` : "";
}
