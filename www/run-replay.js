// A finished run, ready to scrub: the wasm `Replay` (pure Rust: the state of
// every lane and of the event loop at any t, and the narration) behind a
// small facade the timeline draws from. It works the same for a run just
// made, a real run's recording, and a virtual run recomputed from a link.
//
//   const replay = createReplay(studio, code, report);   // studio: engine.js loadStudio()
//   replay.stateAt(1500);   // { t, lanes: [{ status, until, values, held, text }], loop }
//                           // (the first 150 lanes; loop.queued and loop.readyCount count all)
//   replay.laneCount;       // every traced lane
//   replay.steps;           // Float64Array: the event times, where stepping stops
//   replay.endMs;           // the last moment of the run
//   replay.log();           // [{ t, line }]
//   replay.free();          // the wasm memory; the owner frees a replay it replaces

const KINDS = { start: 0, value: 1, block: 2, end: 3, error: 4, cancel: 5, note: 6 };
const STRIDE = 5;
/** Lanes (and queue entries) a moment carries: the timeline draws at most 150 rows. */
const SHOWN_LANES = 150;

/** Five numbers an event (lane, t, kind, a, b) and the texts they point to. */
export function flattenEvents(events) {
  const flat = new Float64Array(events.length * STRIDE);
  const texts = [];
  events.forEach((event, i) => {
    const at = i * STRIDE;
    const text = event.result ?? event.message ?? event.text;
    flat[at] = event.lane;
    flat[at + 1] = event.t;
    flat[at + 2] = KINDS[event.kind] ?? -1;
    if (event.kind === "value") {
      flat[at + 3] = event.value ?? NaN; // a non-finite value arrives as null
      flat[at + 4] = event.lateMs ?? 0;
    } else if (event.kind === "block") {
      flat[at + 3] = event.ms ?? 0;
    } else if (text !== undefined) {
      flat[at + 3] = texts.push(String(text)) - 1;
    }
  });
  return { flat, texts };
}

/** The replay of `report`, a run of `code`; throws if the code does not compile. */
export function createReplay(studio, code, report) {
  const { flat, texts } = flattenEvents(report.events);
  const inner = new studio.Replay(code, flat, texts, report.clock);
  const steps = inner.steps();
  let endMs = report.elapsedMs || 0;
  for (const event of report.events) endMs = Math.max(endMs, event.t + (event.kind === "block" ? event.ms || 0 : 0));
  let log = null;
  return {
    clock: report.clock,
    steps,
    endMs,
    laneCount: report.lanes.length,
    stateAt: (t) => inner.stateAt(t, SHOWN_LANES),
    log: () => (log ??= inner.log()),
    free: () => inner.free(),
  };
}
