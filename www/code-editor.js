// A plain <textarea> dressed as a code editor: a line-number gutter and bands
// behind lines with errors, both kept aligned with the textarea's scroll.
// Lines never wrap (wrap="off"), so text line N is always gutter row N.
import { el } from "./dom.js";

export class CodeEditor {
  #textarea;
  #gutterRows;
  #bandLayer;
  #lineCount = 0;
  #errorLines = new Set();
  /** Whether the textarea may be scrolled away from the top (the last scroll seen, or one asked for). */
  #scrolled = false;

  /**
   * @param {{ textarea: HTMLTextAreaElement, gutterRows: HTMLElement, bandLayer: HTMLElement }} parts
   *   gutterRows and bandLayer are moved with the textarea's vertical scroll.
   */
  constructor({ textarea, gutterRows, bandLayer }) {
    this.#textarea = textarea;
    this.#gutterRows = gutterRows;
    this.#bandLayer = bandLayer;
    textarea.addEventListener("input", () => {
      this.#renumber();
      this.#followScroll();
    });
    textarea.addEventListener("scroll", () => this.#followScroll());
    this.#renumber();
  }

  get value() {
    return this.#textarea.value;
  }

  set value(text) {
    this.#textarea.value = text;
    // Reading or writing scrollTop lays the page out: a textarea never scrolled needs neither.
    if (this.#scrolled) this.#textarea.scrollTop = 0;
    this.#renumber();
    this.#shift(0);
  }

  get lineCount() {
    return this.#lineCount;
  }

  /** Marks the lines of these diagnostics ({ line }) in the gutter and behind the text. */
  showErrors(diagnostics) {
    this.#errorLines = new Set(diagnostics.map((d) => d.line));
    this.#bandLayer.replaceChildren(
      ...[...this.#errorLines].map((line) => {
        const band = el("div", "error-band");
        band.style.setProperty("--line", String(line - 1));
        return band;
      }),
    );
    this.#markGutter();
  }

  /** Focuses the editor with the caret at a UTF-16 offset, scrolled into view. */
  moveCaretTo(offset) {
    const textarea = this.#textarea;
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    const line = textarea.value.slice(0, offset).split("\n").length;
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
    const top = (line - 1) * lineHeight;
    if (top < textarea.scrollTop || top + lineHeight > textarea.scrollTop + textarea.clientHeight) {
      textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
      this.#scrolled = true;
    }
  }

  #renumber() {
    const count = this.#textarea.value.split("\n").length;
    if (count !== this.#lineCount) {
      this.#lineCount = count;
      const rows = [];
      for (let line = 1; line <= count; line++) {
        const row = el("div", null, String(line));
        rows.push(row);
      }
      this.#gutterRows.replaceChildren(...rows);
      this.#markGutter();
      this.#textarea.dispatchEvent(new CustomEvent("linecount", { detail: count }));
    }
  }

  #markGutter() {
    const rows = this.#gutterRows.children;
    for (let i = 0; i < rows.length; i++) rows[i].classList.toggle("has-error", this.#errorLines.has(i + 1));
  }

  #followScroll() {
    const top = this.#textarea.scrollTop;
    this.#scrolled = top !== 0;
    this.#shift(top);
  }

  #shift(top) {
    const shift = `translateY(${-top}px)`;
    this.#gutterRows.style.transform = shift;
    this.#bandLayer.style.transform = shift;
  }
}
