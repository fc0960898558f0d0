// <async-playground>: an editor, a toolbar, a results panel and a timeline for
// one program. The same element serves the main page, embeds and tutorials.
//
//   <script type="module" src=".../async-playground.js"></script>
//   <async-playground clock="virtual">
//     source a = [1, 2, 3] every 1s
//     sum(a)
//   </async-playground>
//
// Attributes: example="gather" | src="examples/gather.apg" | inline text
// (the initial program; the example picker is then hidden), readonly, autorun, clock="real|virtual",
// speed="0.25..8|instant", height="320px", theme="light|dark|auto", and
// from-hash (read `#code/...` share links and `#example/<name>` from the page URL),
// no-python (hide the Python view), python-style="script|notebook".
// Events: `ready` once the engine is loaded and the program is in the editor.

import { loadEngine } from "./engine.js";
import { CodeEditor } from "./code-editor.js";
import { ResultsView, formatDuration } from "./results-view.js";
import { decodeShareHash, isShareHash, shareUrl } from "./share-link.js";
import "./python-view.js";

const DEFAULT_EXAMPLE = "gather";
const PARSE_DELAY_MS = 250;
const SPEEDS = ["0.25", "0.5", "1", "2", "4", "8", "instant"];
const DEFAULT_SPEED = "1";
const EXAMPLE_HASH = "#example/";
const STYLESHEET = new URL("./async-playground.css", import.meta.url).href;

// The timeline is another module; without it the element still runs programs.
const timelineLoaded = import(new URL("./timeline-view.js", import.meta.url)).then(
  () => true,
  () => false,
);

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
    <ol class="results" aria-label="Results"></ol>
    <p class="timer-warning" hidden></p>
    <div class="compare-bar" hidden><button type="button" id="compare">Compare with the previous run</button></div>
    <div class="timeline"></div>
  </div>
`;

/** Inline program text as written in HTML: without the indentation of the page. */
function dedent(text) {
  const lines = text.replace(/^\s*\n/, "").replace(/\s+$/, "").split("\n");
  const indents = lines.filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(common)).join("\n");
}

const isProgramError = (error) => error?.name === "ProgramError" && Array.isArray(error.diagnostics);

export class AsyncPlayground extends HTMLElement {
  static observedAttributes = ["readonly", "clock", "speed", "height", "theme", "example", "src", "no-python", "python-style"];

  #engine = null;
  #parts = null;
  #editor = null;
  #results = null;
  #timeline = null;
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
  #onHashChange = () => this.#loadFromHash();

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
    this.#start();
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
    else if (name === "theme") this.#applyTheme();
    else if ((name === "example" || name === "src") && this.#ready && value) this.#loadAttributeProgram();
    else if (name === "no-python" || name === "python-style") this.#applyPython();
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
    this.#editor.value = String(text);
    this.#checkNow();
  }

  get clock() {
    return this.#parts?.root.querySelector('input[name="clock"]:checked')?.value ?? "real";
  }

  get speed() {
    return this.#parts?.speed.value ?? DEFAULT_SPEED;
  }

  /** Runs the program; a run in progress is stopped first. Resolves to the report, or null. */
  async run() {
    if (!this.#engine) return null;
    this.stop({ quiet: true });
    clearTimeout(this.#parseTimer);
    const text = this.#editor.value;
    const parsed = this.#engine.parse(text);
    if (!parsed.ok) {
      this.#showDiagnostics(parsed.diagnostics);
      const count = parsed.diagnostics.length;
      this.#say(`Not run: ${count} ${count === 1 ? "error" : "errors"} in the program. Fix ${count === 1 ? "it" : "them"} and run again.`, "error");
      return null;
    }
    this.#showDiagnostics([]);

    const clock = this.clock;
    const speed = this.speed;
    const current = { controller: new AbortController(), report: null, replaying: false, id: ++this.#runCount };
    this.#current = current;
    const live = () => this.#current === current;
    this.#results.begin(parsed.statements);
    this.#parts.timerWarning.hidden = true;
    this.#parts.compareBar.hidden = true;
    this.#hasRun = true;
    this.#showTimelineIfReady();
    this.#timelineCall("reset");
    this.#setRunning(true);
    this.#say(clock === "virtual" ? "Running on the virtual clock…" : "Running…");

    const started = performance.now();
    let report;
    try {
      report = await this.#engine.run(text, {
        clock,
        signal: current.controller.signal,
        onEvent:
          clock === "real"
            ? (batch) => {
                if (!live()) return;
                this.#results.addBatch(batch);
                this.#timelineCall("addBatch", batch);
              }
            : undefined,
      });
    } catch (error) {
      if (!live()) return null;
      this.#current = null;
      this.#setRunning(false);
      if (isProgramError(error)) this.#showDiagnostics(error.diagnostics);
      this.#say(`The run failed: ${error?.message ?? error}`, "error");
      return null;
    }
    if (!live()) return report;
    current.report = report;
    this.#results.finish(report);
    this.#showTimerWarning(report);

    if (clock === "virtual" && speed !== "instant" && !report.cancelled && this.#timeline?.replay) {
      current.replaying = true;
      this.#say(`${this.#doneText(report)} Replaying at ${speed}×…`);
      try {
        await this.#timeline.replay(report, Number(speed));
      } catch {
        // A replay interrupted by reset() may reject; the run itself is done.
      }
      if (!live()) return report;
    } else if (clock === "virtual") {
      this.#timelineCall("addBatch", { lanes: report.lanes, events: report.events });
      this.#timelineCall("finish", report);
    } else {
      this.#timelineCall("finish", report);
    }
    this.#current = null;
    this.#setRunning(false);
    if (report.cancelled) {
      this.#say(`Stopped after ${formatDuration(performance.now() - started)}.`);
    } else {
      this.#say(this.#doneText(report));
      this.#remember(parsed.statements, report);
    }
    return report;
  }

  /** Stops the run (or the replay) in progress, if any. */
  stop({ quiet = false } = {}) {
    const current = this.#current;
    if (!current) return;
    if (current.replaying) {
      // The results are in; jump the picture to its end.
      this.#current = null;
      this.#timelineCall("reset");
      this.#timelineCall("addBatch", { lanes: current.report.lanes, events: current.report.events });
      this.#timelineCall("finish", current.report);
      this.#setRunning(false);
      if (!quiet) this.#say(`Replay stopped. ${this.#doneText(current.report)}`);
      return;
    }
    current.controller.abort();
    if (!quiet) this.#say("Stopping…");
  }

  // ---- setup ------------------------------------------------------------

  #render() {
    const shadow = this.attachShadow({ mode: "open" });
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
      timelineSlot: $(".timeline"),
      python: $("python-view"),
    };
    const parts = this.#parts;
    this.#editor = new CodeEditor({ textarea: parts.textarea, gutterRows: $(".gutter-rows"), bandLayer: $(".band-layer") });
    this.#results = new ResultsView($(".results"));
    this.#editor.value = this.#inlineProgram;

    parts.run.addEventListener("click", () => this.run());
    parts.stop.addEventListener("click", () => this.stop());
    parts.format.addEventListener("click", () => this.#format());
    parts.share.addEventListener("click", () => this.#share());
    parts.compare.addEventListener("click", () => this.#compare());
    parts.example.addEventListener("change", () => this.#pickExample(parts.example.value));
    parts.speed.addEventListener("change", () => this.setAttribute("speed", parts.speed.value));
    for (const radio of root.querySelectorAll('input[name="clock"]')) {
      radio.addEventListener("change", () => this.setAttribute("clock", this.clock));
    }
    parts.textarea.addEventListener("input", () => this.#checkSoon());
    parts.textarea.addEventListener("linecount", () => this.#applyHeight());
    this.addEventListener("keydown", (event) => this.#onKey(event));

    this.#setClock(this.getAttribute("clock"));
    this.#setSpeed(this.getAttribute("speed"));
    this.#applyReadonly();
    this.#applyHeight();
    this.#setRunning(false);
    this.#mountTimeline();
    this.#applyTheme();
    this.#applyPython();
  }

  #applyPython() {
    this.#parts.python.hidden = this.hasAttribute("no-python");
    const style = this.getAttribute("python-style");
    if (style) this.#parts.python.setAttribute("python-style", style);
  }

  async #start() {
    this.#say("Loading the engine…");
    try {
      this.#engine = await loadEngine();
    } catch (error) {
      this.#say(`The engine could not be loaded: ${error?.message ?? error}`, "error");
      return;
    }
    this.#fillExamplePicker();
    await this.#loadInitialProgram();
    this.#checkNow();
    this.#ready = true;
    this.dataset.ready = "true";
    document.documentElement.dataset.ready = "true";
    this.dispatchEvent(new Event("ready"));
    if (this.hasAttribute("from-hash")) addEventListener("hashchange", this.#onHashChange);
    if (this.hasAttribute("autorun")) this.run();
  }

  #mountTimeline() {
    const timeline = document.createElement("timeline-view");
    this.#parts.timelineSlot.hidden = true;
    this.#parts.timelineSlot.append(timeline);
    customElements.whenDefined("timeline-view").then(() => {
      this.#timeline = timeline;
      this.#showTimelineIfReady();
    });
    timelineLoaded.then((loaded) => {
      if (!loaded && !customElements.get("timeline-view")) this.#parts.timelineSlot.remove();
    });
  }

  /** An empty chart before the first run is only noise. */
  #showTimelineIfReady() {
    if (this.#timeline && this.#hasRun) this.#parts.timelineSlot.hidden = false;
  }

  /** Calls the timeline if it is there; the element works without one. */
  #timelineCall(method, ...args) {
    const timeline = this.#timeline;
    if (typeof timeline?.[method] !== "function") return;
    try {
      timeline[method](...args);
    } catch (error) {
      console.warn(`timeline-view ${method} failed:`, error);
    }
  }

  #fillExamplePicker() {
    const options = this.#engine.examples.map(({ name, title }) => {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = title;
      return option;
    });
    this.#parts.example.append(...options);
  }

  // ---- where the program comes from ---------------------------------------

  async #loadInitialProgram() {
    if (this.hasAttribute("from-hash") && (await this.#loadFromHash())) return;
    if (this.#inlineProgram.trim()) {
      this.#editor.value = this.#inlineProgram;
      this.#say("Ready. Press Run or Ctrl+Enter.");
      return;
    }
    await this.#loadAttributeProgram();
  }

  /** True when the page URL held a program (or a damaged link, already reported). */
  async #loadFromHash() {
    const hash = location.hash;
    if (hash.startsWith(EXAMPLE_HASH)) {
      return this.#pickExample(decodeURIComponent(hash.slice(EXAMPLE_HASH.length)));
    }
    if (!isShareHash(hash)) return false;
    try {
      const shared = await decodeShareHash(hash);
      this.stop({ quiet: true });
      this.#editor.value = shared.code;
      this.#parts.example.value = "";
      if (shared.clock && !this.#authorSettings.has("clock")) this.setAttribute("clock", shared.clock);
      if (SPEEDS.includes(shared.speed) && !this.#authorSettings.has("speed")) this.setAttribute("speed", shared.speed);
      this.#checkNow();
      this.#say("Loaded the program from the link. Press Run or Ctrl+Enter.");
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
        this.#editor.value = await response.text();
        this.#parts.example.value = "";
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

  /** Loads a built-in example by name; false if there is none. */
  #pickExample(name) {
    const example = this.#engine?.examples.find((e) => e.name === name);
    if (!example) return false;
    this.stop({ quiet: true });
    this.#editor.value = example.text;
    this.#parts.example.value = name;
    this.#results.clear();
    this.#checkNow();
    this.#say(`Loaded “${example.title}”. Press Run or Ctrl+Enter.`);
    return true;
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
    const parsed = this.#engine.parse(text);
    this.#showDiagnostics(parsed.ok ? [] : parsed.diagnostics);
    this.#parts.python.show({ text, diagnostics: parsed.ok ? [] : parsed.diagnostics, toPython: this.#engine.toPython });
  }

  #showDiagnostics(diagnostics) {
    this.#editor.showErrors(diagnostics);
    this.#parts.textarea.setAttribute("aria-invalid", String(diagnostics.length > 0));
    this.#parts.diagnostics.replaceChildren(
      ...diagnostics.map((d) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "diagnostic";
        const where = document.createElement("span");
        where.className = "where";
        where.textContent = `${d.line}:${d.column}`;
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
      this.#checkNow();
      this.#say(/(^|\n)\s*#/.test(text) ? "Formatted. Comments are not kept by the formatter." : "Formatted.");
    } catch (error) {
      if (isProgramError(error)) this.#showDiagnostics(error.diagnostics);
      this.#say("Cannot format a program with errors; fix them first.", "error");
    }
  }

  async #share() {
    const settings = { code: this.#editor.value, clock: this.clock, speed: this.speed };
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
      this.#say("Share link copied to the clipboard.");
    } catch {
      this.#say("Share link ready: copy it from the box above.");
    }
  }

  #remember(statements, report) {
    const label = statements.map((s) => s.label).join(" + ") || "run";
    this.#summaries = [...this.#summaries.slice(-1), { label, elapsedMs: report.elapsedMs, idealMs: report.idealMs, clock: report.clock }];
    this.#parts.compareBar.hidden = !(this.#summaries.length === 2 && typeof this.#timeline?.compare === "function");
  }

  #compare() {
    const [previous, current] = this.#summaries;
    if (!previous || !current) return;
    this.#timelineCall("compare", previous, current);
    this.#parts.compareBar.hidden = true;
    const ratio = current.elapsedMs > 0 ? previous.elapsedMs / current.elapsedMs : 0;
    this.#say(`${previous.label} ${formatDuration(previous.elapsedMs)} vs ${current.label} ${formatDuration(current.elapsedMs)}, ${ratio.toFixed(1)}×.`);
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

  /** The timeline follows the element's theme (light, dark or the system's). */
  #applyTheme() {
    const theme = this.getAttribute("theme");
    const timeline = this.#parts.timelineSlot.querySelector("timeline-view");
    if (theme) timeline?.setAttribute("theme", theme);
    else timeline?.removeAttribute("theme");
  }

  #showTimerWarning(report) {
    const warning = report.timers?.warning;
    this.#parts.timerWarning.hidden = !warning;
    this.#parts.timerWarning.textContent = warning ? `Timers: ${warning}` : "";
  }

  #doneText(report) {
    const time = report.clock === "virtual" ? " of virtual time" : "";
    return `Done in ${formatDuration(report.elapsedMs)}${time}.`;
  }

  #say(message, tone = "info") {
    const status = this.#parts.status;
    status.textContent = message;
    status.dataset.tone = tone;
  }
}

customElements.define("async-playground", AsyncPlayground);
