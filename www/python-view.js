// <python-view>: a program as the Python asyncio code a learner from the post
// would write, read-only, with a copy button and a script/notebook switch.
// <async-playground> feeds it on every check of the program:
//
//   view.show({ text, diagnostics })
//
// While the program has errors it lists them instead of stale code. The code
// is converted only while the view is open, by the studio package's toPython
// (engine.js loadStudio): the first opening before it has arrived says it is
// loading, and a studio that fails to load is said here, in place.
// Attributes: python-style="script|notebook" (default script), open.
// Events: `python-copied` (detail: { text }) after a copy, so pages and tests
// can see what went to the clipboard.
import { el, reflectAttributes, ShadowElement } from "./dom.js";
import { loadStudio } from "./engine.js";

const STYLES = ["script", "notebook"];

const STYLE_NOTES = {
  script: "Save as a .py file and run it with python: asyncio.run(main()) starts the event loop.",
  notebook:
    "For a Jupyter cell: Jupyter's event loop is already running, so asyncio.run() would fail " +
    '("cannot be called from a running event loop"); a cell can await main() at the top level, ' +
    "as this page's loop runs your program without one.",
};

// Fixed markup only: program text and messages go in through textContent.
const template = document.createElement("template");
template.innerHTML = `
  <style>
    :host { display: block; }
    [hidden] { display: none !important; }
    details { border: 1px solid var(--ap-line, #d9dee5); border-radius: 6px; background: var(--ap-panel, #f6f7f9); }
    summary { cursor: pointer; padding: 6px 10px; font-weight: 600; }
    .bar { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 0 10px 6px; }
    .bar fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 10px; }
    .note, .loading { margin: 0 10px 6px; color: var(--ap-muted, #5b6675); font-size: 0.9em; }
    pre { margin: 0; padding: 10px; overflow: auto; max-height: 28em; background: var(--ap-bg, #fff);
      border-top: 1px solid var(--ap-line, #d9dee5); font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .errors { margin: 0; padding: 8px 10px 8px 28px; color: var(--ap-error, #b42318); }
    .copied { color: var(--ap-ok, #1f7a4d); }
    button { font: inherit; }
  </style>
  <details>
    <summary>Python (asyncio)</summary>
    <div class="bar">
      <fieldset aria-label="Python style">
        <label><input type="radio" name="style" value="script" checked> Script</label>
        <label><input type="radio" name="style" value="notebook"> Notebook</label>
      </fieldset>
      <button type="button" class="copy">Copy</button>
      <span class="copied" role="status" aria-live="polite"></span>
    </div>
    <p class="note"></p>
    <p class="loading" role="status" hidden>Loading the Python export…</p>
    <ul class="errors" aria-label="Fix these to see the Python" hidden></ul>
    <pre tabindex="0" aria-label="The program as Python"><code></code></pre>
  </details>
`;

export class PythonView extends ShadowElement {
  static observedAttributes = ["python-style", "open"];

  #parts = null;
  #program = null;
  /** The studio's toPython once loaded; `#studioProblem` says why it did not load. */
  #toPython = null;
  #studioProblem = null;
  #studioAsked = false;

  connectedCallback() {
    if (this.#parts) return;
    const $ = this.render(template);
    this.#parts = {
      details: $("details"),
      code: $("code"),
      pre: $("pre"),
      errors: $(".errors"),
      note: $(".note"),
      loading: $(".loading"),
      copy: $(".copy"),
      copied: $(".copied"),
      radios: [...this.shadowRoot.querySelectorAll('input[name="style"]')],
    };
    const parts = this.#parts;
    for (const radio of parts.radios) {
      radio.addEventListener("change", () => this.setAttribute("python-style", radio.value));
    }
    parts.details.addEventListener("toggle", () => {
      this.toggleAttribute("open", parts.details.open);
      this.#update();
    });
    parts.copy.addEventListener("click", () => this.copy());
    parts.details.open = this.hasAttribute("open");
    this.#applyStyle();
  }

  attributeChangedCallback(name) {
    if (!this.#parts) return;
    if (name === "python-style") this.#applyStyle();
    else if (name === "open" && this.#parts.details.open !== this.hasAttribute("open")) {
      this.#parts.details.open = this.hasAttribute("open");
    }
  }

  /** "script" or "notebook". */
  get pythonStyle() {
    const style = this.getAttribute("python-style");
    return STYLES.includes(style) ? style : "script";
  }
  set pythonStyle(style) {
    this.setAttribute("python-style", String(style));
  }

  /** The Python shown now ("" while the program has errors or the view is closed). */
  get code() {
    return this.#parts?.pre.hidden ? "" : (this.#parts?.code.textContent ?? "");
  }

  /** The program to show: its text and its diagnostics. */
  show(program) {
    this.#program = program;
    this.#update();
  }

  /** Copies the code; resolves to the copied text. */
  async copy() {
    const text = this.code;
    if (!text) return "";
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission (an embed in an iframe): select it for Ctrl+C.
      getSelection()?.selectAllChildren(this.#parts.code);
      this.#parts.copied.textContent = "Selected: press Ctrl+C to copy.";
      return "";
    }
    this.#parts.copied.textContent = "Copied.";
    this.dispatchEvent(new CustomEvent("python-copied", { detail: { text }, bubbles: true, composed: true }));
    return text;
  }

  #applyStyle() {
    const style = this.pythonStyle;
    for (const radio of this.#parts.radios) radio.checked = radio.value === style;
    this.#parts.note.textContent = STYLE_NOTES[style];
    this.#update();
  }

  #update() {
    const parts = this.#parts;
    if (!parts || !this.#program || !parts.details.open) return;
    const { text, diagnostics } = this.#program;
    let errors = diagnostics ?? [];
    let code = "";
    const waiting = !errors.length && !this.#toPython && !this.#studioProblem;
    if (waiting) this.#askStudio();
    else if (!errors.length && this.#studioProblem) {
      errors = [{ message: `The Python export could not be loaded: ${this.#studioProblem}` }];
    } else if (!errors.length) {
      try {
        code = this.#toPython(text, { style: this.pythonStyle });
      } catch (error) {
        errors = error?.diagnostics ?? [{ message: String(error?.message ?? error) }];
      }
    }
    parts.errors.replaceChildren(
      ...errors.map((d) => el("li", null, d.line ? `${d.line}:${d.column}: ${d.message}` : d.message)),
    );
    parts.loading.hidden = !waiting;
    parts.errors.hidden = errors.length === 0;
    parts.pre.hidden = waiting || errors.length > 0;
    parts.copy.disabled = waiting || errors.length > 0;
    // "Copied." stays while the code does: the same program checked again (a
    // debounced check after an edit) did not make the copy stale.
    if (parts.code.textContent !== code) parts.copied.textContent = "";
    parts.code.textContent = code;
  }

  /** Loads the studio once; the view updates when it arrives or fails. */
  async #askStudio() {
    if (this.#studioAsked) return;
    this.#studioAsked = true;
    try {
      this.#toPython = (await loadStudio()).toPython;
    } catch (error) {
      this.#studioProblem = String(error?.message ?? error);
    }
    this.#update();
  }
}

// `python-style` has its own accessors above (the getter says "script" by default).
reflectAttributes(PythonView, { open: Boolean });

if (!customElements.get("python-view")) customElements.define("python-view", PythonView);
