// A one-line notice with one action, like an undo toast:
//
//   const notice = new ActionNotice(paragraph);
//   notice.show("Draft restored.", "Revert to the original", () => revert());
//   notice.hide();
//
// The action runs at most once, then the notice goes away. Text goes in
// through textContent only.
import { el } from "./dom.js";

export class ActionNotice {
  #box;
  #text;
  #button;
  #action = null;

  /** @param {HTMLElement} box an empty element, hidden until a notice shows */
  constructor(box) {
    this.#box = box;
    this.#text = el("span", "notice-text");
    this.#button = el("button", "notice-action");
    this.#button.type = "button";
    this.#button.addEventListener("click", () => {
      const action = this.#action;
      this.hide();
      action?.();
    });
    box.hidden = true;
  }

  /** What is showing: "draft", "undo", ... (the `kind` given to show), or "" when hidden. */
  get kind() {
    return this.#box.hidden ? "" : this.#box.dataset.kind;
  }

  show(message, actionLabel, action, kind = "") {
    this.#text.textContent = message;
    this.#button.textContent = actionLabel;
    this.#action = action;
    this.#box.dataset.kind = kind;
    this.#box.replaceChildren(this.#text, " ", this.#button);
    this.#box.hidden = false;
  }

  hide() {
    this.#action = null;
    // Out of the tree while hidden: no nameless button for assistive technology to find.
    this.#box.replaceChildren();
    this.#box.hidden = true;
  }
}
