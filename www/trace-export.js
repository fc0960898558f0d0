// A run's report as Chrome Trace Event JSON, which Perfetto (ui.perfetto.dev)
// and chrome://tracing open:
//
//   const trace = chromeTrace(report);   // { traceEvents, displayTimeUnit, otherData }
//   download(JSON.stringify(trace));
//
// Each lane is a thread (tid = lane id + 1) named by `thread_name` metadata
// and kept in lane order by `thread_sort_index`; its run from `start` to
// `end`/`error`/`cancel` is one complete ("X") event. Values and I/O notes
// are thread-scoped instant ("i") events; a blocking busy-wait is an "X"
// event of its length. Times are µs (the report's are ms). Every event of
// the report appears in exactly one trace event (a span covers its start
// and its end).

const PID = 1;
const US_PER_MS = 1000;
const ENDINGS = new Set(["end", "error", "cancel"]);

const tidOf = (lane) => lane + 1;
const us = (ms) => Math.round(ms * US_PER_MS * 1000) / 1000;

/** @param {import("./pkg/async_playground.js").Report} report */
export function chromeTrace(report) {
  const metadata = [
    { name: "process_name", ph: "M", pid: PID, tid: 0, args: { name: `async-playground (${report.clock} clock)` } },
  ];
  for (const lane of report.lanes) {
    const tid = tidOf(lane.id);
    const name = lane.kind === "task" || lane.kind === lane.label ? lane.label : `${lane.label} (${lane.kind})`;
    metadata.push(
      { name: "thread_name", ph: "M", pid: PID, tid, args: { name } },
      { name: "thread_sort_index", ph: "M", pid: PID, tid, args: { sort_index: lane.id } },
    );
  }

  const laneOf = new Map(report.lanes.map((lane) => [lane.id, lane]));
  const open = new Map(); // lane id → its span, until it ends
  const events = [];
  for (const event of report.events) {
    const tid = tidOf(event.lane);
    const lane = laneOf.get(event.lane);
    if (event.kind === "start") {
      const span = {
        name: lane?.label ?? `lane ${event.lane}`,
        cat: lane?.kind ?? "task",
        ph: "X",
        ts: us(event.t),
        dur: 0,
        pid: PID,
        tid,
        args: {},
      };
      open.set(event.lane, span);
      events.push(span);
    } else if (ENDINGS.has(event.kind) && open.has(event.lane)) {
      const span = open.get(event.lane);
      open.delete(event.lane);
      span.dur = Math.max(us(event.t) - span.ts, 0);
      span.args = {
        outcome: event.kind,
        ...(event.result !== undefined && { result: event.result }),
        ...(event.message !== undefined && { message: event.message }),
      };
    } else if (event.kind === "block") {
      events.push({
        name: "blocked the loop",
        cat: "block",
        ph: "X",
        ts: us(event.t),
        dur: us(event.ms ?? 0),
        pid: PID,
        tid,
        args: { ms: event.ms ?? 0 },
      });
    } else {
      // value, note, and an ending without a start (not traced): one instant each.
      const name = event.kind === "value" ? String(event.value) : event.kind === "note" ? event.text : event.kind;
      const args = { ...event };
      delete args.lane;
      delete args.t;
      events.push({ name: name ?? event.kind, cat: event.kind, ph: "i", s: "t", ts: us(event.t), pid: PID, tid, args });
    }
  }
  // A stopped run leaves lanes open: they last until the report's end.
  for (const span of open.values()) {
    span.dur = Math.max(us(report.elapsedMs) - span.ts, 0);
    span.args = { outcome: "open" };
  }

  return {
    traceEvents: [...metadata, ...events],
    displayTimeUnit: "ms",
    otherData: {
      generator: "async-playground",
      clock: report.clock,
      cancelled: report.cancelled,
      elapsedMs: report.elapsedMs,
      idealMs: report.idealMs,
      lanesOmitted: report.lanesOmitted,
      eventsOmitted: report.eventsOmitted,
    },
  };
}
