// compare(): two runs as a small horizontal bar chart with the sentence
// "sequential 6.0 s vs gather 3.0 s, 2.0×".
import { comparisonSentence, formatShortTime } from "./format.js";

import { svg, svgText, truncate } from "./timeline-svg.js";

const BAR_HEIGHT = 14;
const ROW_GAP = 6;
const LABEL_CHARS = 14;
const LABEL_WIDTH = 108;
const TIME_WIDTH = 52;

/**
 * Writes the sentence into `caption`, draws the bars into the `chart` SVG
 * (`width` px wide) and shows `section`, which holds both.
 * @param {{label:string, elapsedMs:number}} previous
 * @param {{label:string, elapsedMs:number}} current
 */
export function drawComparison(section, caption, chart, width, previous, current) {
  const sentence = comparisonSentence(previous, current);
  caption.textContent = sentence;
  chart.replaceChildren();
  const runs = [
    { ...previous, className: "previous" },
    { ...current, className: "current" },
  ];
  const longest = Math.max(previous.elapsedMs, current.elapsedMs, 1);
  const barRoom = Math.max(width - LABEL_WIDTH - TIME_WIDTH, 40);
  const height = runs.length * (BAR_HEIGHT + ROW_GAP);
  chart.setAttribute("width", width);
  chart.setAttribute("height", height);
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.setAttribute("role", "img");
  chart.setAttribute("aria-label", sentence);
  runs.forEach((run, i) => {
    const y = i * (BAR_HEIGHT + ROW_GAP);
    const barWidth = Math.max((Math.max(run.elapsedMs, 0) / longest) * barRoom, 1);
    svgText(truncate(run.label, LABEL_CHARS), { class: "compare-label", x: 0, y: y + BAR_HEIGHT - 3 }, chart);
    svg(
      "rect",
      { class: `compare-bar ${run.className}`, x: LABEL_WIDTH, y, width: barWidth, height: BAR_HEIGHT, rx: 3 },
      chart,
    );
    svgText(
      formatShortTime(run.elapsedMs),
      {
        class: "compare-time",
        x: LABEL_WIDTH + barWidth + 6,
        y: y + BAR_HEIGHT - 3,
      },
      chart,
    );
  });
  section.hidden = false;
}
