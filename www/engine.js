// The wasm engine, initialised once per page and shared by every
// <async-playground>: each instance awaits the same promise.
// Resolved relative to this module, so an embed works from any page URL.

let loading = null;

/** Resolves to `{ run, parse, format, toPython, examples, shownItems, Replay, SeedBatch }` once the wasm module is ready. */
export function loadEngine() {
  loading ??= import(new URL("./pkg/async_playground.js", import.meta.url)).then(async (glue) => {
    await glue.default();
    const { run, parse, format, toPython, examples, shownItems, Replay, SeedBatch } = glue;
    return { run, parse, format, toPython, examples: examples(), shownItems: shownItems(), Replay, SeedBatch };
  });
  return loading;
}
