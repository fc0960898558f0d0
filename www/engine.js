// The heavy parts, loaded once per page and shared by every <async-playground>:
// each instance awaits the same promises. Nothing is fetched until the first
// call (an element near the viewport, or a Run press); then the glue module and
// the wasm download in parallel instead of one after the other, and so does the
// timeline's whole module graph. The engine comes in two wasm packages (code
// splitting, bench/README.md B5): the core (loadEngine) is all a page needs to
// be ready; the studio (loadStudio: toPython, Replay, SeedBatch) is asked for
// after ready, on idle or on first use, and a page works without it.
// URLs resolve relative to this module, so an embed works from any page URL and
// from another origin (which must send Access-Control-Allow-Origin: see README).

/** The core package: what a page needs to be ready (parse, run, format, examples). */
const CORE = {
  glue: new URL("./pkg/async_playground.js", import.meta.url),
  wasm: new URL("./pkg/async_playground_bg.wasm", import.meta.url),
};
/** The studio package, loaded after ready: the Python export, the replay, Run ×N. Its own wasm memory. */
const STUDIO = {
  glue: new URL("./pkg-studio/async_playground_studio.js", import.meta.url),
  wasm: new URL("./pkg-studio/async_playground_studio_bg.wasm", import.meta.url),
};
const TIMELINE = new URL("./timeline-view.js", import.meta.url);
/**
 * What timeline-view.js imports, directly or not: hinted at once, not several
 * round trips deep (tests/e2e/embed.test.mjs checks the list against the imports).
 */
// biome-ignore format: tests/e2e/embed.test.mjs reads this list as JSON (no trailing comma)
const TIMELINE_IMPORTS = ["dom.js", "timeline-compare.js", "format.js", "timeline-readout.js", "io-ideal.js",
  "timeline-svg.js", "timeline-plot.js", "timeline-layout.js", "timeline-scale.js", "timeline-labels.js",
  "timeline-style.js", "timeline-moment.js", "timeline-transport.js", "svg-export.js"];

let core = null;
let studio = null;
let timeline = null;

/** Why the engine did not load, in words a page author can act on. */
export class EngineLoadError extends Error {
  name = "EngineLoadError";
}

/** Resolves to `{ run, parse, format, examples, shownItems }` once the core wasm module is ready; rejects with an EngineLoadError. */
export function loadEngine() {
  core ??= instantiate(CORE).then(({ run, parse, format, examples, shownItems }) => {
    const list = examples();
    // V8 compiles a wasm function on its first call: parsing once here (an
    // element's engine usually loads while its modules still download) takes
    // the parser's compile off the way to ready, where every element parses.
    parse(list[0]?.text ?? "");
    return { run, parse, format, examples: list, shownItems: shownItems() };
  });
  return core;
}

/** Resolves to `{ toPython, Replay, SeedBatch }` once the studio wasm module is ready; rejects with an EngineLoadError. */
export function loadStudio() {
  studio ??= instantiate(STUDIO).then(({ toPython, Replay, SeedBatch }) => ({ toPython, Replay, SeedBatch }));
  return studio;
}

/** A package's glue module with its wasm instantiated; every failure as an EngineLoadError that says what to fix. */
async function instantiate({ glue: glueUrl, wasm: wasmUrl }) {
  // Started before the glue arrives: the wasm is the long download.
  const wasm = fetch(wasmUrl).then(
    (response) => {
      if (!response.ok) throw new EngineLoadError(`${wasmUrl.href} answered HTTP ${response.status}.`);
      return response;
    },
    () => {
      throw new EngineLoadError(
        `${wasmUrl.href} could not be downloaded: a network error, or a CORS refusal (a page on another origin needs the server to send Access-Control-Allow-Origin), or the page's Content-Security-Policy (connect-src).`,
      );
    },
  );
  wasm.catch(() => {}); // reported below, once
  let glue;
  try {
    glue = await import(glueUrl.href);
  } catch {
    throw new EngineLoadError(
      `the module ${glueUrl.href} did not load: it is missing, or refused by CORS (a page on another origin needs the server to send Access-Control-Allow-Origin), or by the page's Content-Security-Policy (script-src).`,
    );
  }
  try {
    await glue.default({ module_or_path: wasm });
  } catch (error) {
    if (error instanceof EngineLoadError) throw error;
    const text = String(error?.message ?? error);
    if (/unsafe-eval|Content Security Policy|CSP/i.test(text)) {
      throw new EngineLoadError(
        "the page's Content-Security-Policy forbids WebAssembly: add 'wasm-unsafe-eval' to its script-src.",
      );
    }
    throw new EngineLoadError(`the WebAssembly module ${wasmUrl.href} did not start: ${text}`);
  }
  return glue;
}

/** Resolves to true once `timeline-view` is defined, or false if its module did not load. */
export function loadTimeline() {
  timeline ??= (() => {
    for (const file of TIMELINE_IMPORTS) {
      const link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = new URL(file, TIMELINE).href;
      document.head.append(link);
    }
    return import(TIMELINE.href).then(
      () => true,
      () => false,
    );
  })();
  return timeline;
}
