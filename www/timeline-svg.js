// Creating SVG nodes. Text goes in through textContent only: labels and
// values are user program text and must never be parsed as markup.

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes, appended to `parent` when given. */
export function svg(tag, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value != null) node.setAttribute(name, String(value));
  }
  if (parent) parent.appendChild(node);
  return node;
}

/** An SVG <text> whose content is `content`, as text. */
export function svgText(content, attributes, parent) {
  const node = svg("text", attributes, parent);
  node.textContent = content;
  return node;
}

/** An SVG <title>: the native tooltip and accessible name of `parent`. */
export function svgTitle(content, parent) {
  const title = document.createElementNS(SVG_NS, "title");
  title.textContent = content;
  parent.appendChild(title);
  return title;
}

/** `content` cut to `maxChars` characters with an ellipsis (labels use a monospace font). */
export function truncate(content, maxChars) {
  const chars = Array.from(content); // whole code points: never half an emoji
  if (chars.length <= maxChars) return content;
  return maxChars <= 1 ? "…" : `${chars.slice(0, maxChars - 1).join("")}…`;
}
