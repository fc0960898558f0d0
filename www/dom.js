// The one helper for building HTML nodes. Text goes in through textContent
// only: labels, values and messages come from programs, never as markup.
// SVG nodes come from timeline-svg.js.

/** `<tag class=className>text</tag>`; className and text may be omitted. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Gives `cls` a property per attribute that reads and writes it (attributes
 * are the API; properties are their script form). `name: String` reads
 * `getAttribute` and writes `setAttribute`, null or undefined removing it;
 * `name: Boolean` is present or absent. `python-style` becomes `pythonStyle`.
 */
export function reflectAttributes(cls, attributes) {
  for (const [name, type] of Object.entries(attributes)) {
    const property = name.replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
    Object.defineProperty(cls.prototype, property, {
      configurable: true,
      get() {
        return type === Boolean ? this.hasAttribute(name) : this.getAttribute(name);
      },
      set(value) {
        if (type === Boolean) this.toggleAttribute(name, Boolean(value));
        else if (value === null || value === undefined) this.removeAttribute(name);
        else this.setAttribute(name, String(value));
      },
    });
  }
}

/**
 * The base of the page's custom elements: the shadow root is attached in the
 * constructor (www/CONVENTIONS.md); `render(template)` fills it once, on the
 * first connect, and returns a `querySelector` for it.
 */
export class ShadowElement extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
  }

  /** Appends a copy of `template` to the shadow root; returns `$(selector)`. */
  render(template) {
    this.shadowRoot.append(template.content.cloneNode(true));
    return (selector) => this.shadowRoot.querySelector(selector);
  }
}
