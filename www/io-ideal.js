// Real I/O has no known ideal time. The ideal of a statement is the same
// program with zero overhead, simulated on a virtual clock; a request or a
// database scan can't be simulated, so it counts as instant there, and
// "ideal 0 ms" beside a 500 ms request would call the network overhead.
// Statements that read real I/O therefore show their ideal as unknown, or
// as a lower bound when they also wait on timers.

/** Indices of the statements that read real I/O: their lanes carry I/O notes ("GET ..."). */
export function ioStatements(report) {
  const statementOf = new Map(report.lanes.map((lane) => [lane.id, lane.statement]));
  const io = new Set();
  for (const event of report.events) {
    if (event.kind === "note" && statementOf.has(event.lane)) io.add(statementOf.get(event.lane));
  }
  return io;
}

/** "ideal 300 ms", or for real I/O "ideal unknown: real I/O" / "ideal ≥ 300 ms + real I/O". */
export function idealText(idealMs, readsIo, formatDuration) {
  if (!readsIo) return `ideal ${formatDuration(idealMs)}`;
  return idealMs > 0 ? `ideal ≥ ${formatDuration(idealMs)} + real I/O` : "ideal unknown: real I/O";
}
