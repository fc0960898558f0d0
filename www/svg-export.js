// The timeline as one standalone SVG document, for a blog post or a slide:
//
//   const text = standaloneSvg(labelsSvg, plotSvg, frame);   // "<svg xmlns=... viewBox=...>...</svg>"
//
// The live timeline is two SVGs styled by a stylesheet full of CSS custom
// properties inside a shadow root; none of that travels. So every element's
// computed presentation (resolved colours, fonts with a generic fallback,
// strokes) is written into its own style attribute, the two SVGs sit side by
// side in one, and ids are made unique so several exports can share a page.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Presentation properties the timeline uses, with the value that needs no writing. */
const PROPERTIES = {
  fill: "rgb(0, 0, 0)",
  "fill-opacity": "1",
  stroke: "none",
  "stroke-width": "1px",
  "stroke-dasharray": "none",
  "stroke-opacity": "1",
  "stroke-linejoin": "miter",
  opacity: "1",
  "paint-order": "normal",
  "shape-rendering": "auto",
  display: "inline",
  visibility: "visible",
};
const TEXT_PROPERTIES = {
  "font-family": "",
  "font-size": "",
  "font-weight": "400",
  "font-style": "normal",
  "font-variant-numeric": "normal",
};
const GENERIC_FAMILIES = /\b(serif|sans-serif|monospace|cursive|fantasy|system-ui|ui-monospace)\s*$/;

/**
 * @param {SVGSVGElement} labels the lane label column
 * @param {SVGSVGElement} plot the time axis and lanes
 * @param {Element} frame the element whose background the picture sits on
 * @returns {string} an SVG document that needs no stylesheet
 */
export function standaloneSvg(labels, plot, frame) {
  const labelWidth = Number(labels.getAttribute("width")) || labels.getBoundingClientRect().width;
  const plotWidth = Number(plot.getAttribute("width")) || plot.getBoundingClientRect().width;
  const height = Math.max(Number(labels.getAttribute("height")) || 0, Number(plot.getAttribute("height")) || 0);
  const width = labelWidth + plotWidth;
  const frameStyle = getComputedStyle(frame);

  const out = document.createElementNS(SVG_NS, "svg");
  out.setAttribute("xmlns", SVG_NS);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${width} ${height}`);
  out.setAttribute("role", "img");
  const title = document.createElementNS(SVG_NS, "title");
  title.textContent = plot.getAttribute("aria-label") || "Timeline";
  const background = document.createElementNS(SVG_NS, "rect");
  for (const [name, value] of Object.entries({ width, height, fill: frameStyle.backgroundColor }))
    background.setAttribute(name, String(value));
  out.append(title, background);

  const suffix = Math.random().toString(36).slice(2, 8);
  for (const [source, x] of [
    [plot, labelWidth],
    [labels, 0],
  ]) {
    const group = document.createElementNS(SVG_NS, "g");
    group.setAttribute("transform", `translate(${x} 0)`);
    // The label column covers the plot where they meet, as on screen.
    if (source === labels) {
      const cover = background.cloneNode();
      cover.setAttribute("width", String(labelWidth));
      const rule = document.createElementNS(SVG_NS, "line");
      for (const [name, value] of Object.entries({
        x1: labelWidth - 0.5,
        x2: labelWidth - 0.5,
        y1: 0,
        y2: height,
        stroke: getComputedStyle(labels).borderRightColor,
      }))
        rule.setAttribute(name, String(value));
      group.append(cover, rule);
    }
    for (const child of source.children) group.append(inlined(child));
    out.append(group);
  }
  renameIds(out, suffix);
  return new XMLSerializer().serializeToString(out);
}

/** A deep copy of `node` with its computed presentation written in `style`. */
function inlined(node) {
  const copy = node.cloneNode(false);
  copy.removeAttribute("tabindex");
  copy.removeAttribute("class");
  if (node.localName !== "title") {
    const computed = getComputedStyle(node);
    const style = [];
    const write = (table) => {
      for (const [name, initial] of Object.entries(table)) {
        let value = computed.getPropertyValue(name);
        if (!value || value === initial) continue;
        if (name === "font-family" && !GENERIC_FAMILIES.test(value)) value += ", sans-serif";
        style.push(`${name}: ${value}`);
      }
    };
    write(PROPERTIES);
    if (node.localName === "text" || node.localName === "tspan") write(TEXT_PROPERTIES);
    if (style.length) copy.setAttribute("style", style.join("; "));
    else copy.removeAttribute("style");
  }
  for (const child of node.childNodes) {
    copy.append(child.nodeType === Node.ELEMENT_NODE ? inlined(child) : child.cloneNode(false));
  }
  return copy;
}

/** Gives every id a suffix and rewrites the url(#id) that point at it. */
function renameIds(root, suffix) {
  const ids = new Set([...root.querySelectorAll("[id]")].map((node) => node.id));
  if (!ids.size) return;
  for (const node of root.querySelectorAll("[id]")) node.id = `${node.id}-${suffix}`;
  const reference = /url\(\s*["']?#([^"')\s]+)["']?\s*\)/g;
  for (const node of root.querySelectorAll("[style], [fill], [stroke]")) {
    for (const attribute of ["style", "fill", "stroke"]) {
      const value = node.getAttribute(attribute);
      if (value?.includes("url(")) {
        node.setAttribute(
          attribute,
          value.replace(reference, (match, id) => (ids.has(id) ? `url(#${id}-${suffix})` : match)),
        );
      }
    }
  }
}
