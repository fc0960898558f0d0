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
