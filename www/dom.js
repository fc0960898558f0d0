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
