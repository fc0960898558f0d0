// <async-playground>: an editor, a toolbar, a results panel and a timeline for
// one program. The same element serves the main page, embeds and tutorials.
// Pages include async-playground.js, which loads this module (and its whole
// module graph at once, and the engine when an element is near the viewport).
//
//   <script type="module" src=".../async-playground.js"></script>
//   <async-playground clock="virtual">
//     source a = [1, 2, 3] every 1s
//     sum(a)
//   </async-playground>
//
// Attributes: example="gather" | src="examples/gather.apg" | inline text
// (the initial program; the example picker is then hidden), readonly, autorun, clock="real|virtual",
// speed="0.25..8|instant", height="320px", theme="light|dark|auto",
// from-hash (read `#code/...` share links and `#example/<name>` from the page URL),
// t="1.5s" (open paused at that moment: the program runs on the virtual clock at
// once and the timeline's transport stops there),
// no-python (hide the Python view), python-style="script|notebook",
// view="timeline" (results and timeline only, no editor), loading="eager"
// (load the engine at once; by default it loads near the viewport or on Run).
// Events: `ready` once the engine (its core package) is loaded and the program is
// in the editor. The studio package (the Python view, the replay transport,
// Run ×N) loads after ready, on idle or on first use; until it arrives those
// parts say they are loading, and if it fails they say why, in place.
// Edits are kept as a draft in localStorage (per page and element) and come
// back after a reload, with a way back to the original; el.exportTrace() and
// el.exportSvg() give the last run as Chrome Trace JSON and the timeline as SVG.

import { el, reflectAttributes, ShadowElement } from "./dom.js";
import { loadEngine, loadStudio, loadTimeline } from "./engine.js";
import { CodeEditor } from "./code-editor.js";
import { ResultsView } from "./results-view.js";
import { decodeShareHash, isShareHash, shareUrl, MAX_RECORDING_CHARS } from "./share-link.js";
import { comparisonSentence, formatMoment, formatTime, parseMoment } from "./format.js";
import { DraftStore, draftKey } from "./draft-store.js";
import { ActionNotice } from "./action-notice.js";
import { chromeTrace } from "./trace-export.js";
import { whenIdle, whenNear, whenVisible } from "./lazy-start.js";

const DEFAULT_EXAMPLE = "gather";
const PARSE_DELAY_MS = 250;
const SPEEDS = ["0.25", "0.5", "1", "2", "4", "8", "instant"];
const DEFAULT_SPEED = "1";
const EXAMPLE_HASH = "#example/";
const STALE_NOTES = {
  edited: "The program has changed since this run: run it again to update what is below.",
  failed: "This run failed: what is below is not from it.",
};
const STYLESHEET = new URL("./async-playground.css", import.meta.url).href;

let partsLoaded = null;
/**
 * The Python view and Run ×N's histogram, asked for after ready: the first
 * render does not need them, and over HTTP/1 two modules fewer before ready is
 * most of a connection's wave. Until they arrive the elements stay undefined
 * (the stylesheet keeps the Python view's place).
 */
function loadParts() {
  partsLoaded ??= Promise.all([import("./python-view.js"), import("./seed-histogram.js")]);
  return partsLoaded;
}

// Fixed markup only: nothing from a program or a page ever goes through innerHTML.
const template = document.createElement("template");
template.innerHTML = `
  <div class="playground" hidden>
    <div class="toolbar" role="group" aria-label="Playground controls">
      <span class="control example-control">
        <label for="example">Example</label>
        <select id="example"><option value="">Choose…</option></select>
      </span>
      <button type="button" id="run" class="primary" aria-keyshortcuts="Control+Enter Meta+Enter" title="Run (Ctrl+Enter)">Run</button>
      <button type="button" id="stop" aria-keyshortcuts="Escape" title="Stop (Escape)" disabled>Stop</button>
      <fieldset class="control clock">
        <legend class="visually-hidden">Clock</legend>
        <label><input type="radio" name="clock" value="real" checked> Real time</label>
        <label><input type="radio" name="clock" value="virtual"> Virtual</label>
      </fieldset>
      <span class="control">
        <label for="speed">Replay</label>
        <select id="speed" disabled>
          <option value="0.25">0.25×</option><option value="0.5">0.5×</option>
          <option value="1">1×</option><option value="2">2×</option>
          <option value="4">4×</option><option value="8">8×</option>
          <option value="instant">instant</option>
        </select>
      </span>
      <span class="spacer"></span>
      <button type="button" id="format">Format</button>
      <button type="button" id="share">Share</button>
    </div>
    <div class="share-box" hidden>
      <label for="share-url">Share link</label>
      <input id="share-url" type="url" readonly>
    </div>
    <p class="notice" role="status" hidden></p>
    <div class="editor">
      <div class="gutter" aria-hidden="true"><div class="gutter-rows"></div></div>
      <div class="code">
        <div class="band-layer" aria-hidden="true"></div>
        <textarea id="code" wrap="off" spellcheck="false" autocapitalize="off" autocomplete="off"
          aria-label="Program" aria-describedby="diagnostics"></textarea>
      </div>
    </div>
    <ul id="diagnostics" class="diagnostics" aria-label="Problems"></ul>
    <python-view></python-view>
    <p class="status" role="status" aria-live="polite"></p>
    <p class="stale-note" hidden></p>
    <ol class="results" aria-label="Results"></ol>
    <p class="timer-warning" hidden></p>
    <div class="compare-bar" hidden><button type="button" id="compare">Compare with the previous run</button></div>
    <div class="timeline"></div>
    <p class="replay-note" role="status" hidden></p>
    <div class="export-bar" hidden>
      <button type="button" id="export-trace" title="Chrome Trace Event JSON: opens in ui.perfetto.dev and chrome://tracing">Download trace</button>
      <button type="button" id="export-svg" title="A standalone SVG of the timeline, for a post or a slide">Copy timeline as SVG</button>
    </div>
    <seed-histogram hidden></seed-histogram>
  </div>
`;

/** Inline program text as written in HTML: without the indentation of the page. */
function dedent(text) {
  const lines = text
    .replace(/^\s*\n/, "")
    .replace(/\s+$/, "")
    .split("\n");
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join("\n");
}

const isProgramError = (error) => error?.name === "ProgramError" && Array.isArray(error.diagnostics);

/** decodeURIComponent, or null for bad %-encoding (which throws a URIError). */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** At most 60 characters of a name from a URL, for a message. */
const clip = (text) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);

/** Offers `content` as a file download. */
function saveFile(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export class AsyncPlayground extends ShadowElement {
  static observedAttributes = [
    "readonly",
    "clock",
    "speed",
    "height",
    "theme",
    "example",
    "src",
    "no-python",
    "python-style",
    "view",
  ];

  #engine = null;
  /** The studio package (`Replay` for the transport) once loaded. */
  #studio = null;
  /** run-replay.js's createReplay, loaded with the studio (its only user). */
  #createReplay = null;
  /** Resolves when the studio has loaded (to null) or failed (to why); null until asked for. */
  #studioLoaded = null;
  #parts = null;
  #editor = null;
  #results = null;
  #timeline = null;
  /** Timeline calls made before timeline-view was defined, replayed once it is (null: it never will be). */
  #timelineBacklog = [];
  /** Resolves when the element may load the engine: near the viewport, or Run pressed. */
  #wanted = null;
  /** Settles when #start is done (engine loaded or failed). */
  #loaded = null;
  #hasRun = false;
  #inlineProgram = "";
  /** Settings the page author fixed with attributes; a share link does not override them. */
  #authorSettings = new Set();
  #started = false;
  #ready = false;
  /** The run in progress: { controller, report?, replaying } or null. */
  #current = null;
  #runCount = 0;
  #parseTimer = 0;
  #summaries = [];
  /** The last finished run's { replay (run-replay.js), report, code }, for the transport and share links. */
  #scrubbed = null;
  /** A moment to open once ready: { t, recording?, recordingDropped? } from a link or the `t` attribute. */
  #pendingMoment = null;
  #timelineMounted = Promise.resolve();
  /** The program as loaded, before any edit: { text, example }; a draft reverts to it. */
  #original = null;
  #drafts = null;
  #notice = null;
  /** The last finished (or stopped) run's report, for the exports. */
  #lastReport = null;
  /** The text #checkNow last parsed and showed the diagnostics of. */
  #checkedText = null;
  /** The program the Python view is to show once its module has defined it. */
  #pythonProgram = null;
  /** The program text the results and timeline show; null after a run that failed. */
  #shownText = null;
  #onHashChange = async () => {
    this.#drafts = null; // the draft of the link being left stays for when it is opened again
    await this.#loadFromHash();
    this.#restoreDraft();
  };

  connectedCallback() {
    if (this.#started) {
      if (this.hasAttribute("from-hash")) addEventListener("hashchange", this.#onHashChange);
      return;
    }
    this.#started = true;
    for (const name of ["clock", "speed"]) if (this.hasAttribute(name)) this.#authorSettings.add(name);
    // Read before rendering: without JS this text is what the reader sees.
    this.#inlineProgram = dedent(this.textContent);
    this.#render();
    this.#wanted = whenNear(this);
    this.#loaded = this.#start();
  }

  disconnectedCallback() {
    removeEventListener("hashchange", this.#onHashChange);
    this.stop();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (!this.#parts || oldValue === value) return;
    if (name === "readonly") this.#applyReadonly();
    else if (name === "clock") this.#setClock(value);
    else if (name === "speed") this.#setSpeed(value);
    else if (name === "height") this.#applyHeight();
    else if (name === "view") this.#applyView();
    else if ((name === "example" || name === "src") && this.#ready && value) this.#loadAttributeProgram();
    else if (name === "no-python" || name === "python-style") this.#applyPython();
  }

  /** A bubbling, composed `CustomEvent` carrying `detail`. */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** The program text in the editor. */
  get code() {
    return this.#editor ? this.#editor.value : this.#inlineProgram;
  }

  set code(text) {
    if (!this.#editor) {
      this.#inlineProgram = String(text);
      return;
    }
    this.#setProgram(String(text));
    this.#checkNow();
  }

  /** The last run as Chrome Trace Event JSON (an object), or null before any run. */
  exportTrace() {
    return this.#lastReport ? chromeTrace(this.#lastReport) : null;
  }

  /** The timeline as a standalone SVG document, or null when there is none to show. */
  exportSvg() {
    return this.#lastReport && this.#timeline ? this.#timeline.toSvg() : null;
  }

  /** The clock the next run uses (the toolbar's choice); setting it sets the `clock` attribute. */
  get clock() {
    return (
      this.#parts?.root.querySelector('input[name="clock"]:checked')?.value ?? this.getAttribute("clock") ?? "real"
    );
  }
  set clock(value) {
    this.setAttribute("clock", String(value));
  }

  /** The replay speed (the toolbar's choice); setting it sets the `speed` attribute. */
  get speed() {
    return this.#parts?.speed.value ?? this.getAttribute("speed") ?? DEFAULT_SPEED;
  }
  set speed(value) {
    this.setAttribute("speed", String(value));
  }

  /**
   * Runs the program (loading the engine first if needed); a run in progress is stopped first. Resolves to the report, or null.
   * With `at` (ms), it runs on the virtual clock at once and opens paused at that moment.
   * `seed` overrides the program's `seed` line (a Run ×N bar opens its seed).
   */
  async run({ at = null, seed } = {}) {
    if (!this.#engine) {
      this.#wanted?.now();
      await this.#loaded;
      if (!this.#engine) return null;
    }
    this.stop({ quiet: true });
    clearTimeout(this.#parseTimer);
    const text = this.#editor.value;
    const parsed = this.#engine.parse(text);
    if (!parsed.ok) {
      this.#showDiagnostics(parsed.diagnostics);
      const count = parsed.diagnostics.length;
      this.#say(
        `Not run: ${count} ${count === 1 ? "error" : "errors"} in the program. Fix ${count === 1 ? "it" : "them"} and run again.`,
        "error",
      );
      // Nothing ran, so the last two runs are still the last two: the comparison stays.
      this.#markStale("failed");
      return null;
    }
    this.#showDiagnostics([]);
    // Loaded on the first run, not before ready: one module fewer on the way there.
    const slowProblem = await import("./slow-worker.js").then(
      ({ slowWorkerProblem }) => slowWorkerProblem(text),
      (error) => `The check for the /slow/ service worker did not load: ${error?.message ?? error}`,
    );
    if (slowProblem) {
      this.#say(slowProblem, "error");
      return null;
    }

    const opening = Number.isFinite(at);
    const clock = opening ? "virtual" : this.clock;
    const speed = opening ? "instant" : this.speed;
    const current = { controller: new AbortController(), report: null, replaying: false, id: ++this.#runCount };
    this.#current = current;
    const live = () => this.#current === current;
    this.#results.begin(parsed.statements);
    this.#parts.timerWarning.hidden = true;
    this.#parts.compareBar.hidden = true;
    this.#parts.exportBar.hidden = true;
    this.#lastReport = null;
    this.#shownText = text;
    this.#clearStale();
    this.#hasRun = true;
    this.#showTimelineIfReady();
    this.#withTimeline((timeline) => timeline.reset(), { reset: true });
    this.#setRunning(true);
    this.#say(clock === "virtual" ? "Running on the virtual clock…" : "Running…");
    this.#emit("run-start", { clock, speed });

    const started = performance.now();
    let report;
    try {
      report = await this.#engine.run(text, {
        clock,
        seed,
        signal: current.controller.signal,
        onEvent:
          clock === "real"
            ? (batch) => {
                if (!live()) return;
                this.#results.addBatch(batch);
                this.#withTimeline((timeline) => timeline.addBatch(batch));
              }
            : undefined,
      });
    } catch (error) {
      if (!live()) return null;
      this.#current = null;
      this.#setRunning(false);
      this.#emit("run-end", { error });
      if (isProgramError(error)) this.#showDiagnostics(error.diagnostics);
      this.#say(`The run failed: ${error?.message ?? error}`, "error");
      this.#shownText = null;
      this.#markStale("failed");
      this.#summaries = [];
      return null;
    }
    if (!live()) return report;
    current.report = report;
    this.#lastReport = report;
    this.#emit("run-end", { report });
    this.#results.finish(report);
    this.#showTimerWarning(report);
    const replay = this.#keepReplay(text, report, { t: opening ? at : null });

    if (clock === "virtual" && speed !== "instant" && !report.cancelled && this.#timeline?.replay) {
      current.replaying = true;
      this.#say(`${this.#doneText(report)} Replaying at ${speed}×…`);
      try {
        const done = this.#timeline.replay(report, Number(speed));
        this.#withTimeline((timeline) => timeline.attachReplay(replay, { speed: Number(speed) }));
        await done;
      } catch {
        // A replay interrupted by reset() may reject; the run itself is done.
      }
      if (!live()) return report;
    } else {
      if (clock === "virtual")
        this.#withTimeline((timeline) => timeline.addBatch({ lanes: report.lanes, events: report.events }));
      this.#withTimeline((timeline) => timeline.finish(report));
      this.#withTimeline((timeline) => timeline.attachReplay(replay, { t: opening ? at : null }));
    }
    this.#current = null;
    this.#setRunning(false);
    this.#showExports();
    if (report.cancelled) {
      this.#say(`Stopped after ${formatTime(performance.now() - started)}.`);
      // A stopped run breaks the pair the comparison would describe.
      this.#summaries = [];
    } else {
      const done = opening ? `${this.#doneText(report)} Paused at ${formatMoment(at)}.` : this.#doneText(report);
      this.#say(`${seed === undefined ? "" : `Seed ${seed}: `}${done}`);
      this.#remember(parsed.statements, report);
    }
    return report;
  }

  /**
   * Makes a finished run scrubbable (and shareable at a moment); frees the previous one.
   * Without the studio yet, the transport comes once it arrives, opened at `t` (default: the end).
   */
  #keepReplay(code, report, { t = null } = {}) {
    this.#scrubbed?.replay?.free();
    const scrubbed = { replay: null, report, code };
    this.#scrubbed = scrubbed;
    if (!this.#studio) {
      const owner = this.#current;
      this.#replayNote("Loading the replay controls…");
      this.#askStudio().then((problem) => {
        if (problem) {
          this.#replayNote(
            `The replay controls could not be loaded: ${problem} The run and its timeline are complete without them.`,
            "error",
          );
          return;
        }
        this.#replayNote("");
        // A later run owns the timeline now: its own #keepReplay gives it a transport.
        if (this.#scrubbed !== scrubbed || (this.#current && this.#current !== owner)) return;
        const replay = this.#makeReplay(scrubbed);
        this.#withTimeline((timeline) => timeline.attachReplay(replay, { t }));
      });
      return null;
    }
    return this.#makeReplay(scrubbed);
  }

  #makeReplay(scrubbed) {
    try {
      scrubbed.replay = this.#createReplay(this.#studio, scrubbed.code, scrubbed.report);
    } catch (error) {
      console.warn("no replay for this run:", error);
    }
    return scrubbed.replay;
  }

  /** Loads the studio (and run-replay.js) once; resolves to null once it is here, or to why it did not load. */
  #askStudio() {
    this.#studioLoaded ??= Promise.all([loadStudio(), import("./run-replay.js")]).then(
      ([studio, { createReplay }]) => {
        this.#studio = studio;
        this.#createReplay = createReplay;
        return null;
      },
      (error) => String(error?.message ?? error),
    );
    return this.#studioLoaded;
  }

  /** The line under the timeline about its replay controls; "" hides it. */
  #replayNote(text, tone = "info") {
    const note = this.#parts.replayNote;
    note.textContent = text;
    note.dataset.tone = tone;
    note.hidden = !text;
  }

  /**
   * Opens the pending moment: a real run's recording as recorded (nothing
   * runs), otherwise the program recomputed on the virtual clock, paused at t.
   */
  async #openPendingMoment() {
    await this.#timelineMounted;
    const pending = this.#pendingMoment;
    this.#pendingMoment = null;
    if (!pending || !this.#engine) return;
    const { t, recording, recordingDropped } = pending;
    const code = this.#editor.value;
    const parsed = this.#engine.parse(code);
    if (recording && parsed.ok && Array.isArray(recording.events) && Array.isArray(recording.lanes)) {
      this.stop({ quiet: true });
      this.#hasRun = true;
      this.#showTimelineIfReady();
      this.#results.begin(parsed.statements);
      this.#results.finish(recording);
      this.#showTimerWarning(recording);
      const replay = this.#keepReplay(code, recording, { t });
      this.#withTimeline((timeline) => timeline.reset(), { reset: true });
      this.#withTimeline((timeline) => timeline.finish(recording));
      this.#withTimeline((timeline) => timeline.attachReplay(replay, { t }));
      this.#say(`Opened the recorded real-clock run, paused at ${formatMoment(t)}.`);
      return;
    }
    await this.run({ at: t });
    if (recordingDropped) {
      this.#say(
        `The real-clock recording was too big for the link, so the program was recomputed on the virtual clock, paused at ${formatMoment(t)}.`,
      );
    }
  }

  /** Stops the run (or the replay) in progress, if any. */
  stop({ quiet = false } = {}) {
    const current = this.#current;
    if (!current) return;
    if (current.replaying) {
      // The results are in; jump the picture to its end.
      this.#current = null;
      this.#withTimeline((timeline) => timeline.reset(), { reset: true });
      this.#withTimeline((timeline) =>
        timeline.addBatch({ lanes: current.report.lanes, events: current.report.events }),
      );
      this.#withTimeline((timeline) => timeline.finish(current.report));
      this.#withTimeline((timeline) => timeline.attachReplay(this.#scrubbed?.replay));
      this.#setRunning(false);
      this.#showExports();
      if (!quiet) this.#say(`Replay stopped. ${this.#doneText(current.report)}`);
      return;
    }
    current.controller.abort();
    if (!quiet) this.#say("Stopping…");
  }

  // ---- setup ------------------------------------------------------------

  #render() {
    const shadow = this.shadowRoot;
    const styles = document.createElement("link");
    styles.rel = "stylesheet";
    styles.href = STYLESHEET;
    shadow.append(styles, template.content.cloneNode(true));
    const $ = (selector) => shadow.querySelector(selector);
    const root = $(".playground");
    // Shown once styled, so the page never flashes raw controls.
    const show = () => (root.hidden = false);
    styles.addEventListener("load", show, { once: true });
    styles.addEventListener("error", show, { once: true });
    this.#parts = {
      root,
      example: $("#example"),
      run: $("#run"),
      stop: $("#stop"),
      speed: $("#speed"),
      format: $("#format"),
      share: $("#share"),
      shareBox: $(".share-box"),
      shareUrl: $("#share-url"),
      textarea: $("#code"),
      diagnostics: $("#diagnostics"),
      status: $(".status"),
      timerWarning: $(".timer-warning"),
      compareBar: $(".compare-bar"),
      compare: $("#compare"),
      exportBar: $(".export-bar"),
      exportSvg: $("#export-svg"),
      staleNote: $(".stale-note"),
      results: $(".results"),
      timelineSlot: $(".timeline"),
      replayNote: $(".replay-note"),
      python: $("python-view"),
    };
    const parts = this.#parts;
    this.#editor = new CodeEditor({
      textarea: parts.textarea,
      gutterRows: $(".gutter-rows"),
      bandLayer: $(".band-layer"),
    });
    this.#results = new ResultsView($(".results"));
    this.#notice = new ActionNotice($(".notice"));
    this.#editor.value = this.#inlineProgram;

    parts.run.addEventListener("click", () => this.run());
    parts.stop.addEventListener("click", () => this.stop());
    parts.format.addEventListener("click", () => this.#format());
    parts.share.addEventListener("click", () => this.#share());
    parts.compare.addEventListener("click", () => this.#compare());
    $("#export-trace").addEventListener("click", () => this.#downloadTrace());
    parts.exportSvg.addEventListener("click", () => this.#copySvg());
    parts.example.addEventListener("change", () => this.#pickExample(parts.example.value));
    parts.speed.addEventListener("change", () => this.setAttribute("speed", parts.speed.value));
    for (const radio of root.querySelectorAll('input[name="clock"]')) {
      radio.addEventListener("change", () => this.setAttribute("clock", this.clock));
    }
    parts.textarea.addEventListener("input", () => this.#edited());
    parts.textarea.addEventListener("linecount", () => this.#applyHeight());
    this.addEventListener("keydown", (event) => this.#onKey(event));

    this.#setClock(this.getAttribute("clock"));
    this.#setSpeed(this.getAttribute("speed"));
    this.#applyReadonly();
    this.#applyHeight();
    this.#setRunning(false);
    this.#mountTimeline();
    this.#applyView();
    this.#applyPython();
  }

  #applyPython() {
    this.#parts.python.hidden = this.hasAttribute("no-python");
    const style = this.getAttribute("python-style");
    if (style) this.#parts.python.setAttribute("python-style", style);
  }

  async #start() {
    this.#say("The engine loads when this example is on screen, or when you press Run.");
    await this.#wanted.promise;
    this.#say("Loading the engine…");
    try {
      this.#engine = await loadEngine();
      this.#results.shownItems = this.#engine.shownItems;
      // After the engine, so its downloads do not queue behind the timeline's, and
      // in a task of its own: asking for its modules takes the main thread several
      // ms, and ready does not need it. The timeline is another module; without it
      // the element still runs programs (a run before it arrives waits in the backlog).
      const timelineLoaded = new Promise((resolve) => setTimeout(resolve)).then(loadTimeline);
      // Settles either way: with the timeline, or knowing there is none.
      this.#timelineMounted = Promise.race([this.#timelineMounted, timelineLoaded]);
      timelineLoaded.then((loaded) => {
        if (loaded || customElements.get("timeline-view")) return;
        this.#parts.timelineSlot.remove();
        this.#timelineBacklog = null;
      });
    } catch (error) {
      // The program stays readable in the editor; the message says what to fix.
      this.#say(`The engine could not be loaded: ${error?.message ?? error}`, "error");
      this.dataset.ready = "false";
      return;
    }
    this.#fillExamplePicker();
    try {
      await this.#loadInitialProgram();
    } catch (error) {
      // Whatever the page URL or attributes hold, the element must end up usable.
      this.#pickExample(DEFAULT_EXAMPLE);
      this.#say(`Could not load the program (${error?.message ?? error}); showing an example instead.`, "error");
    }
    this.#restoreDraft();
    this.#checkNow();
    this.#ready = true;
    this.dataset.ready = "true";
    document.documentElement.dataset.ready = "true";
    this.dispatchEvent(new Event("ready"));
    // Every run's transport needs the studio: fetch it once the page is idle after ready.
    whenIdle().then(() => this.#askStudio());
    setTimeout(() => this.#defineParts());
    if (this.hasAttribute("from-hash")) addEventListener("hashchange", this.#onHashChange);
    const at = parseMoment(this.getAttribute("t"));
    if (!this.#pendingMoment && at !== null) this.#pendingMoment = { t: at };
    if (this.#pendingMoment) this.#openPendingMoment();
    else if (this.hasAttribute("autorun")) whenVisible(this).then(() => this.run());
  }

  /** Loads the Python view and Run ×N's histogram, then gives them what they missed meanwhile. */
  async #defineParts() {
    try {
      await loadParts();
    } catch (error) {
      // Said in place: an undefined element shows its text.
      this.#parts.python.textContent = `The Python view could not be loaded: ${error?.message ?? error}`;
      return;
    }
    this.#wireSeedRuns();
    if (this.#pythonProgram) this.#parts.python.show(this.#pythonProgram);
    this.#pythonProgram = null;
  }

  /** Shows `program` in the Python view, or keeps it for the view's definition. */
  #showPython(program) {
    if (!customElements.get("python-view")) {
      this.#pythonProgram = program;
      return;
    }
    // Defined before #defineParts resumes (seed-histogram.js may still be on its way): what it kept is stale now.
    this.#pythonProgram = null;
    this.#parts.python.show(program);
  }

  /** Run ×N runs the editor's program; a bar opens its seed here. */
  #wireSeedRuns() {
    const seeds = this.#parts.root.querySelector("seed-histogram");
    seeds.program = () => this.#editor.value;
    seeds.addEventListener("open-seed", (event) => {
      // Seeds are virtual runs: the one opened is the one Run ×N measured.
      this.setAttribute("clock", "virtual");
      this.run({ seed: event.detail.seed });
    });
  }

  #mountTimeline() {
    const timeline = document.createElement("timeline-view");
    this.#parts.timelineSlot.hidden = true;
    this.#parts.timelineSlot.append(timeline);
    const defined = customElements.whenDefined("timeline-view").then(() => {
      this.#timeline = timeline;
      // A run (autorun on a cold load) may have finished before the timeline module arrived.
      for (const call of this.#timelineBacklog?.splice(0) ?? []) call(timeline);
      this.#showTimelineIfReady();
    });
    // Settles when the timeline is defined; #start races it with the module's load.
    this.#timelineMounted = defined;
  }

  /** An empty chart before the first run is only noise. */
  #showTimelineIfReady() {
    if (this.#timeline && this.#hasRun) this.#parts.timelineSlot.hidden = false;
  }

  /**
   * Calls the timeline now, or once it is defined: a run (autorun on a cold
   * load) may finish before the timeline module arrives. A reset empties the
   * backlog. The element works without a timeline; a failing call throws here.
   */
  #withTimeline(call, { reset = false } = {}) {
    const timeline = this.#timeline;
    if (timeline) return call(timeline);
    if (this.#timelineBacklog && reset) this.#timelineBacklog = [];
    this.#timelineBacklog?.push(call);
  }

  #fillExamplePicker() {
    const options = this.#engine.examples.map(({ name, title }) => {
      const option = el("option", null, title);
      option.value = name;
      return option;
    });
    this.#parts.example.append(...options);
  }

  // ---- where the program comes from ---------------------------------------

  async #loadInitialProgram() {
    if (this.hasAttribute("from-hash") && (await this.#loadFromHash())) return;
    if (this.#inlineProgram.trim()) {
      this.#setProgram(this.#inlineProgram);
      this.#say("Ready. Press Run or Ctrl+Enter.");
      return;
    }
    await this.#loadAttributeProgram();
  }

  /** True when the page URL held a program (or a damaged link, already reported). */
  async #loadFromHash() {
    const hash = location.hash;
    if (hash.startsWith(EXAMPLE_HASH)) {
      const name = safeDecode(hash.slice(EXAMPLE_HASH.length));
      if (name !== null && this.#pickExample(name)) return true;
      const shown = name === null ? hash.slice(EXAMPLE_HASH.length) : name;
      await this.#loadAttributeProgram();
      this.#say(
        name === null
          ? `This link's example name is damaged (bad %-encoding in “${clip(shown)}”). The default program is loaded instead.`
          : `This link names no example “${clip(shown)}”. The default program is loaded instead.`,
        "error",
      );
      return true;
    }
    if (!isShareHash(hash)) return false;
    try {
      const shared = await decodeShareHash(hash);
      this.stop({ quiet: true });
      this.#setProgram(shared.code);
      if (shared.clock && !this.#authorSettings.has("clock")) this.setAttribute("clock", shared.clock);
      if (SPEEDS.includes(shared.speed) && !this.#authorSettings.has("speed")) this.setAttribute("speed", shared.speed);
      this.#checkNow();
      this.#say("Loaded the program from the link. Press Run or Ctrl+Enter.");
      if (Number.isFinite(shared.t)) {
        this.#pendingMoment = { t: shared.t, recording: shared.recording, recordingDropped: shared.recordingDropped };
        if (this.#ready) this.#openPendingMoment();
      }
    } catch (error) {
      const reason = error?.name === "ShareLinkError" ? error.message : "it could not be read";
      await this.#loadAttributeProgram();
      this.#say(`This share link is damaged: ${reason}. The default program is loaded instead.`, "error");
    }
    return true;
  }

  async #loadAttributeProgram() {
    const src = this.getAttribute("src");
    if (src) {
      try {
        const response = await fetch(new URL(src, document.baseURI));
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        this.#setProgram(await response.text());
        this.#checkNow();
        this.#say("Ready. Press Run or Ctrl+Enter.");
        return;
      } catch (error) {
        this.#say(`Could not load ${src} (${error.message}); showing an example instead.`, "error");
      }
    }
    const name = this.getAttribute("example") || DEFAULT_EXAMPLE;
    if (!this.#pickExample(name)) this.#pickExample(DEFAULT_EXAMPLE);
  }

  /** Loads a built-in example by name; false if there is none. Edits it replaces can be undone. */
  #pickExample(name) {
    const example = this.#engine?.examples.find((e) => e.name === name);
    if (!example) return false;
    this.stop({ quiet: true });
    const replaced = this.#isEdited() ? { text: this.#editor.value, original: this.#original } : null;
    this.#setProgram(example.text, name);
    this.#results.clear();
    this.#checkNow();
    this.#say(`Loaded “${example.title}”. Press Run or Ctrl+Enter.`);
    if (replaced) {
      this.#notice.show(
        `Your edited program was replaced by “${example.title}”.`,
        "Undo",
        () => this.#undoReplace(replaced),
        "undo",
      );
    }
    return true;
  }

  #undoReplace({ text, original }) {
    this.#setProgram(original.text, original.example);
    this.#editor.value = text;
    this.#edited();
    this.#checkNow();
    this.#say("Your edited program is back.");
  }

  // ---- drafts and staleness ---------------------------------------------------

  /** Puts a freshly loaded program in the editor: it becomes the original that drafts revert to. */
  #setProgram(text, example = "") {
    this.#editor.value = text;
    this.#original = { text, example };
    this.#parts.example.value = example;
    this.#notice.hide();
    this.#drafts?.clear();
    this.#programChanged();
  }

  #isEdited() {
    return this.#original !== null && this.#editor.value !== this.#original.text;
  }

  /** The user typed: check soon, keep the draft, and say what no longer matches. */
  #edited() {
    this.#checkSoon();
    if (this.#notice.kind === "undo") this.#notice.hide();
    this.#saveDraft();
    this.#programChanged();
  }

  #saveDraft() {
    if (!this.#drafts || !this.#original) return;
    if (this.#isEdited())
      this.#drafts.save({ text: this.#editor.value, original: this.#original.text, example: this.#original.example });
    else this.#drafts.clear();
  }

  /** After the initial program is in: a saved draft of this page's element wins, with a way back. */
  #restoreDraft() {
    if (this.hasAttribute("readonly")) return;
    // A link (#code/... or #example/...) opens what it names: its drafts are its own.
    const hash = location.hash;
    const fromLink = this.hasAttribute("from-hash") && (isShareHash(hash) || hash.startsWith(EXAMPLE_HASH)) ? hash : "";
    this.#drafts = new DraftStore(draftKey(this, { fromLink }));
    const draft = this.#drafts.load();
    if (!draft || draft.text === this.#editor.value) return;
    this.#original = { text: draft.original, example: draft.example };
    this.#parts.example.value = draft.example;
    this.#editor.value = draft.text;
    this.#saveDraft();
    this.#checkNow();
    this.#notice.show(
      "Your draft from last time is restored.",
      "Revert to the original",
      () => this.#revertDraft(),
      "draft",
    );
    this.#say("Draft restored. Press Run or Ctrl+Enter.");
  }

  #revertDraft() {
    const { text, example } = this.#original;
    this.#setProgram(text, example);
    this.#checkNow();
    this.#say("Back to the original program.");
  }

  /** Results and timeline describe the last run's text: dim them once the editor holds another. */
  #programChanged() {
    if (this.#shownText === null) return; // nothing run yet, or a failed run: stays as it is
    if (this.#editor.value === this.#shownText) this.#clearStale();
    else this.#markStale("edited");
  }

  /** Dims the results and the timeline with a note saying why: `reason` is "edited" or "failed". */
  #markStale(reason) {
    if (!this.#hasRun) return;
    const { staleNote, results, timelineSlot } = this.#parts;
    staleNote.textContent = STALE_NOTES[reason];
    staleNote.hidden = false;
    results.classList.add("stale");
    timelineSlot.classList.add("stale");
    this.toggleAttribute("stale", true);
  }

  #clearStale() {
    const { staleNote, results, timelineSlot } = this.#parts;
    staleNote.hidden = true;
    results.classList.remove("stale");
    timelineSlot.classList.remove("stale");
    this.toggleAttribute("stale", false);
  }

  // ---- diagnostics ----------------------------------------------------------

  #checkSoon() {
    clearTimeout(this.#parseTimer);
    this.#parseTimer = setTimeout(() => this.#checkNow(), PARSE_DELAY_MS);
  }

  #checkNow() {
    clearTimeout(this.#parseTimer);
    if (!this.#engine) return;
    const text = this.#editor.value;
    // The same text shows the same diagnostics (ready's path checks the program as loaded, then after its draft).
    if (text === this.#checkedText) return;
    this.#checkedText = text;
    const parsed = this.#engine.parse(text);
    this.#showDiagnostics(parsed.ok ? [] : parsed.diagnostics);
    this.#showPython({
      text,
      diagnostics: parsed.ok ? [] : parsed.diagnostics,
    });
    // Run ×N only matters when seeds change the run; errors keep it as it was.
    if (parsed.ok) this.#parts.root.querySelector("seed-histogram").hidden = !parsed.randomDelays;
  }

  #showDiagnostics(diagnostics) {
    this.#editor.showErrors(diagnostics);
    this.#parts.textarea.setAttribute("aria-invalid", String(diagnostics.length > 0));
    this.#parts.diagnostics.replaceChildren(
      ...diagnostics.map((d) => {
        const item = el("li");
        const button = el("button", "diagnostic");
        button.type = "button";
        const where = el("span", "where", `${d.line}:${d.column}`);
        button.append(where, ` ${d.message}`);
        button.setAttribute("aria-label", `Line ${d.line}, column ${d.column}: ${d.message}. Go to the error.`);
        button.addEventListener("click", () => this.#editor.moveCaretTo(d.from));
        item.append(button);
        return item;
      }),
    );
  }

  // ---- toolbar actions ------------------------------------------------------

  #format() {
    if (!this.#engine || this.hasAttribute("readonly")) return;
    const text = this.#editor.value;
    try {
      const formatted = this.#engine.format(text);
      this.#editor.value = formatted;
      this.#edited();
      this.#checkNow();
      this.#say("Formatted.");
    } catch (error) {
      if (isProgramError(error)) this.#showDiagnostics(error.diagnostics);
      this.#say("Cannot format a program with errors; fix them first.", "error");
    }
  }

  async #share() {
    const settings = { code: this.#editor.value, clock: this.clock, speed: this.speed };
    // The moment the transport stands at, when it shows this very program.
    const position = this.#timeline?.position;
    const scrubbed = this.#scrubbed?.code === settings.code ? this.#scrubbed : null;
    let note = "";
    if (position && scrubbed) {
      settings.t = Math.round(position.t * 1000) / 1000;
      if (scrubbed.report.clock === "real") {
        const recording = JSON.stringify(scrubbed.report);
        if (recording.length <= MAX_RECORDING_CHARS) settings.recording = scrubbed.report;
        else {
          settings.recordingDropped = true;
          note = ` The real-clock recording (${Math.ceil(recording.length / 1000)} kB) is over the link's ${MAX_RECORDING_CHARS / 1000} kB cap: the link holds the program, recomputed on the virtual clock.`;
        }
      }
    }
    const playground = new URL("./index.html", import.meta.url);
    let url;
    try {
      url = await shareUrl(playground, settings);
    } catch (error) {
      this.#say(`Could not build a share link: ${error.message}`, "error");
      return;
    }
    const { shareBox, shareUrl: field } = this.#parts;
    field.value = url;
    shareBox.hidden = false;
    field.focus();
    field.select();
    if (this.hasAttribute("from-hash") && location.pathname === playground.pathname) {
      history.replaceState(null, "", new URL(url).hash);
    }
    try {
      await navigator.clipboard.writeText(url);
      this.#say(`Share link copied to the clipboard.${note}`);
    } catch {
      this.#say(`Share link ready: copy it from the box above.${note}`);
    }
  }

  #showExports() {
    this.#parts.exportBar.hidden = !this.#lastReport;
    this.#parts.exportSvg.hidden = !this.#timeline;
  }

  #downloadTrace() {
    const trace = this.exportTrace();
    if (!trace) return;
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    saveFile(`async-playground-trace-${stamp}.json`, "application/json", JSON.stringify(trace));
    this.#say("Trace downloaded: open it in ui.perfetto.dev or chrome://tracing.");
  }

  async #copySvg() {
    const text = this.exportSvg();
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
      this.#say("Timeline copied to the clipboard as SVG.");
    } catch {
      saveFile("async-playground-timeline.svg", "image/svg+xml", text);
      this.#say("The clipboard is not available here, so the SVG was downloaded instead.");
    }
  }

  #remember(statements, report) {
    const label = statements.map((s) => s.label).join(" + ") || "run";
    this.#summaries = [
      ...this.#summaries.slice(-1),
      { label, elapsedMs: report.elapsedMs, idealMs: report.idealMs, clock: report.clock },
    ];
    this.#parts.compareBar.hidden = !(this.#summaries.length === 2 && this.#timeline);
  }

  #compare() {
    const [previous, current] = this.#summaries;
    if (!previous || !current) return;
    this.#withTimeline((timeline) => timeline.compare(previous, current));
    this.#parts.compareBar.hidden = true;
    this.#say(`${comparisonSentence(previous, current)}.`);
  }

  // ---- state shown in the controls -------------------------------------------

  #onKey(event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.run();
    } else if (event.key === "Escape" && this.#current) {
      event.preventDefault();
      this.stop();
    }
  }

  #setRunning(running) {
    const { run, stop, root } = this.#parts;
    stop.disabled = !running;
    run.textContent = running ? "Run again" : "Run";
    root.classList.toggle("running", running);
    this.toggleAttribute("running", running);
  }

  #setClock(value) {
    const clock = value === "virtual" ? "virtual" : "real";
    for (const radio of this.#parts.root.querySelectorAll('input[name="clock"]')) radio.checked = radio.value === clock;
    this.#parts.speed.disabled = clock !== "virtual";
  }

  #setSpeed(value) {
    this.#parts.speed.value = SPEEDS.includes(value) ? value : DEFAULT_SPEED;
  }

  #applyReadonly() {
    const readonly = this.hasAttribute("readonly");
    this.#parts.textarea.readOnly = readonly;
    this.#parts.format.hidden = readonly;
    // A program written into the page is the point of that box: no picker to wander off.
    this.#parts.root.querySelector(".example-control").hidden = readonly || this.#inlineProgram.trim() !== "";
  }

  #applyHeight() {
    const height = this.getAttribute("height");
    const editor = this.#parts.root.querySelector(".editor");
    if (height) editor.style.height = height;
    else {
      editor.style.removeProperty("height");
      editor.style.setProperty("--lines", String(Math.min(Math.max(this.#editor?.lineCount ?? 8, 4), 22)));
    }
  }

  /** view="timeline": the results and the timeline without the editor. */
  #applyView() {
    this.#parts.root.classList.toggle("output-only", this.getAttribute("view") === "timeline");
  }

  /** The timeline follows the element's theme (light, dark or the system's). */
  #showTimerWarning(report) {
    const warning = report.timers?.warning;
    this.#parts.timerWarning.hidden = !warning;
    this.#parts.timerWarning.textContent = warning ? `Timers: ${warning}` : "";
  }

  #doneText(report) {
    const time = report.clock === "virtual" ? " of virtual time" : "";
    return `Done in ${formatTime(report.elapsedMs)}${time}.`;
  }

  #say(message, tone = "info") {
    const status = this.#parts.status;
    status.textContent = message;
    status.dataset.tone = tone;
  }
}

// `clock` and `speed` have their own accessors above: they read the toolbar.
reflectAttributes(AsyncPlayground, {
  readonly: Boolean,
  theme: String,
  height: String,
  example: String,
  src: String,
  "no-python": Boolean,
  "python-style": String,
});

if (!customElements.get("async-playground")) customElements.define("async-playground", AsyncPlayground);
