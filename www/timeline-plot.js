// The drawing itself: two SVGs side by side, lane labels (kept in view when
// the plot scrolls sideways) and the plot, where x is time since the run
// started. Events are appended as they arrive; only a change of scale or of
// the lane tree redraws everything.
import { formatTick, formatTime, formatValue } from "./format.js";
import { layoutRows } from "./timeline-layout.js";
import { INITIAL_DOMAIN_MS, TimeScale } from "./timeline-scale.js";
import { fitLabels, laneNames } from "./timeline-labels.js";
import { svg, svgText, svgTitle } from "./timeline-svg.js";

const AXIS_HEIGHT = 26;
/** Under the rows: a line for ideal labels, then one for "loop frozen" labels. */
const FOOT_HEIGHT = 34;
const IDEAL_LABEL_DY = 14;
const FREEZE_LABEL_DY = 28;
const STATEMENT_GAP = 12;
const ROW_HEIGHT = 30;
const COMPACT_ROW_HEIGHT = 16;
/** With more rows than this, rows get thin and values lose their printed labels. */
const COMPACT_AFTER_ROWS = 16;
const INDENT = 14;
const PAD_LEFT = 10;
/** Room right of the last event for the end mark and a value label. */
const PAD_RIGHT = 44;
const MIN_PLOT_WIDTH = 220;
/** DOM caps: beyond these, lanes and markers are counted instead of drawn. */
export const MAX_ROWS = 150;
export const MAX_MARKERS = 4000;
/** Approximate advance of one monospace character at the label and value sizes. */
const LABEL_CHAR_PX = 7.3;
const VALUE_CHAR_PX = 6.3;

const END_GLYPHS = { end: "✓", error: "✕", cancel: "⊘", stopped: "⊘" };
const ENDINGS = new Set(["end", "error", "cancel"]);
/**
 * Freezes closer than one frame (16 ms) are one freeze: nothing could be
 * painted or clicked in between, so to a person the loop never came back.
 */
const FREEZE_JOIN_MS = 16;

export class TimelinePlot {
  /**
   * @param {SVGSVGElement} labels the lane label column
   * @param {SVGSVGElement} plot the time plot
   */
  constructor(labels, plot) {
    this.labelsSvg = labels;
    this.plotSvg = plot;
    this.scale = new TimeScale();
    this.width = 640;
    /** What each focusable mark says in the tooltip. */
    this.tips = new WeakMap();
    this.clear();
  }

  /** Forget everything: a new run starts. */
  clear() {
    this.lanes = new Map();
    this.freezes = [];
    this.ideals = [];
    this.now = null;
    this.moment = null;
    this.scale.domainMs = INITIAL_DOMAIN_MS;
    this.layout = { rows: [], lastDescendantRow: new Map(), hidden: 0 };
    this.names = new Map();
    this.redraw();
  }

  /** The x pixel (plot SVG coordinates, as a marker's cx) of time `t` ms. */
  xOf(t) {
    return this.scale.x(t);
  }

  /** The time (ms) at x pixel `x` of the plot SVG: the inverse of xOf. */
  tOf(x) {
    const { left, right, domainMs } = this.scale;
    return ((x - left) / Math.max(right - left, 1)) * domainMs;
  }

  /** Lanes over the row cap: counted, not drawn (markersHidden counts their values too). */
  get lanesHidden() {
    return this.layout.hidden;
  }

  resize(width) {
    if (Math.abs(width - this.width) < 1) return;
    this.width = width;
    this.redraw();
  }

  addLanes(lanes) {
    if (!lanes.length) return;
    for (const lane of lanes) {
      if (!this.lanes.has(lane.id)) this.lanes.set(lane.id, newLaneState(lane));
    }
    const all = [...this.lanes.values()].map((s) => s.lane);
    this.layout = layoutRows(all, MAX_ROWS);
    this.names = laneNames(all);
    this.redraw();
  }

  addEvents(events) {
    const touched = new Set();
    let grew = false;
    for (const event of events) {
      const state = this.lanes.get(event.lane);
      if (!state) continue;
      state.events.push(event);
      const until = event.kind === "block" ? event.t + (event.ms || 0) : event.t;
      grew = this.scale.growTo(until) || grew;
      if (event.kind === "block") this.addFreeze(event.t, until);
      touched.add(state);
    }
    if (grew) {
      this.redraw();
    } else {
      for (const state of touched) this.drawNewEvents(state);
    }
  }

  /**
   * Each drawn lane's state at the cursor (status names by lane id, e.g.
   * "waiting"), shown as a dot on the cursor; with `future`, what lies right
   * of the cursor is shaded: a paused moment of a finished run. null clears.
   * With `t`, the cursor moves there too (one redraw for both).
   */
  setMoment(statuses, future = true, t = this.now) {
    this.moment = statuses ? { statuses, future } : null;
    if (t !== this.now) this.setNow(t);
    else this.drawNow();
  }

  /** Moves the "now" cursor (null hides it); open bars follow it. */
  setNow(t) {
    this.now = t;
    if (t != null && this.scale.growTo(t)) {
      this.redraw();
      return;
    }
    this.drawNow();
    for (const state of this.lanes.values()) {
      if (state.start != null && state.end == null) this.drawBar(state);
    }
  }

  /**
   * A finished run, drawn once at its final scale, with `ideals`
   * ({ statement, startMs, t }) as dashed lines where each statement would
   * end with zero overhead. Lanes that started but never ended (a stopped
   * run) are closed at `endMs` with the mark of `openLanesKind` (null: none).
   */
  load({ lanes, events, ideals, endMs, openLanesKind }) {
    this.lanes = new Map(lanes.map((lane) => [lane.id, newLaneState(lane)]));
    this.layout = layoutRows(lanes, MAX_ROWS);
    this.names = laneNames(lanes);
    this.freezes = [];
    this.ideals = ideals;
    this.now = null;
    for (const event of events) {
      const state = this.lanes.get(event.lane);
      if (!state) continue;
      state.events.push(event);
      if (event.kind === "block") mergeFreeze(this.freezes, event.t, event.t + (event.ms || 0));
    }
    for (const state of this.lanes.values()) {
      const started = state.events.some((e) => e.kind === "start");
      const ended = state.events.some((e) => ENDINGS.has(e.kind));
      if (started && !ended) state.closed = { t: endMs, kind: openLanesKind };
    }
    const lastIdeal = Math.max(0, ...ideals.map((ideal) => ideal.t));
    this.scale.fit(Math.max(endMs, lastIdeal));
    this.redraw();
  }

  /** Records a "loop frozen" interval live, merged with one it touches. */
  addFreeze(from, to) {
    const freeze = mergeFreeze(this.freezes, from, to);
    if (freeze.node) this.placeFreeze(freeze);
    else this.drawFreeze(freeze);
    this.labelFreezes();
  }

  // ------------------------------------------------------------ full redraw

  redraw() {
    const compact = this.layout.rows.length > COMPACT_AFTER_ROWS;
    this.rowHeight = compact ? COMPACT_ROW_HEIGHT : ROW_HEIGHT;
    this.compact = compact;
    this.labelWidth = this.fitLabelWidth();
    this.plotWidth = Math.max(this.width - this.labelWidth, MIN_PLOT_WIDTH);
    this.scale.left = PAD_LEFT;
    this.scale.right = this.plotWidth - PAD_RIGHT;
    this.rowTops = this.computeRowTops();
    const rowsBottom = this.rowTops.length
      ? this.rowTops[this.rowTops.length - 1] + this.rowHeight
      : AXIS_HEIGHT + this.rowHeight;
    this.rowsBottom = rowsBottom;
    this.height = rowsBottom + FOOT_HEIGHT;
    this.markersDrawn = 0;
    this.markersHidden = 0;

    for (const node of [this.labelsSvg, this.plotSvg]) {
      node.replaceChildren();
      node.setAttribute("height", this.height);
    }
    this.labelsSvg.setAttribute("width", this.labelWidth);
    this.labelsSvg.setAttribute("viewBox", `0 0 ${this.labelWidth} ${this.height}`);
    this.plotSvg.setAttribute("width", this.plotWidth);
    this.plotSvg.setAttribute("viewBox", `0 0 ${this.plotWidth} ${this.height}`);

    this.drawDefs();
    const layer = (name) => svg("g", { class: name }, this.plotSvg);
    this.layers = {
      rows: layer("rows"),
      grid: layer("grid"),
      freezes: layer("freezes"),
      ideals: layer("ideals"),
      lanes: layer("lanes"),
      now: layer("now"),
    };
    this.drawRowsAndLabels();
    this.drawAxis();
    for (const freeze of this.freezes) this.drawFreeze(freeze);
    this.labelFreezes();
    for (const state of this.lanes.values()) {
      Object.assign(state, { row: -1, drawn: 0, nodes: null, start: null, end: null, endKind: null, endEvent: null });
    }
    this.layout.rows.forEach((lane, row) => {
      this.drawLane(this.lanes.get(lane.id), row);
    });
    // Lanes beyond the row cap still count their markers as not shown.
    for (const state of this.lanes.values()) {
      if (state.row < 0) this.countSkipped(state);
    }
    this.drawIdeals();
    this.drawNow();
  }

  /** Wide enough for the longest label, but never more than a third of the width. */
  fitLabelWidth() {
    let widest = 0;
    for (const lane of this.layout.rows) {
      const chars = Array.from(this.names.get(lane.id)).length;
      widest = Math.max(widest, PAD_LEFT + lane.depth * INDENT + chars * LABEL_CHAR_PX + 12);
    }
    const most = Math.max(this.width * (this.width < 500 ? 0.3 : 0.34), 96);
    return Math.round(Math.min(Math.max(widest, 96), most, 260));
  }

  computeRowTops() {
    const tops = [];
    let y = AXIS_HEIGHT;
    let statement = null;
    for (const lane of this.layout.rows) {
      if (statement !== null && lane.statement !== statement) y += STATEMENT_GAP;
      statement = lane.statement;
      tops.push(y);
      y += this.rowHeight;
    }
    return tops;
  }

  drawDefs() {
    const defs = svg("defs", {}, this.plotSvg);
    const hatch = svg(
      "pattern",
      {
        id: "hatch",
        width: 6,
        height: 6,
        patternUnits: "userSpaceOnUse",
        patternTransform: "rotate(45)",
      },
      defs,
    );
    svg("rect", { width: 6, height: 6, class: "hatch-bg" }, hatch);
    svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "hatch-line" }, hatch);
  }

  drawRowsAndLabels() {
    const { rows, lastDescendantRow } = this.layout;
    const h = this.rowHeight;
    const labelFont = this.compact ? "label compact" : "label";
    rows.forEach((lane, row) => {
      const top = this.rowTops[row];
      if (row % 2 === 1) {
        svg("rect", { class: "row-stripe", x: 0, y: top, width: this.plotWidth, height: h }, this.layers.rows);
        svg("rect", { class: "row-stripe", x: 0, y: top, width: this.labelWidth, height: h }, this.labelsSvg);
      }
      if (row > 0 && rows[row - 1].statement !== lane.statement) {
        const y = top - STATEMENT_GAP / 2;
        svg("line", { class: "statement-rule", x1: 0, x2: this.plotWidth, y1: y, y2: y }, this.layers.rows);
        svg("line", { class: "statement-rule", x1: 0, x2: this.labelWidth, y1: y, y2: y }, this.labelsSvg);
      }
    });
    // Labels and tree guides after every stripe, so no stripe covers a guide.
    const labelX = (lane) => PAD_LEFT + lane.depth * INDENT;
    const { names } = this;
    const shown = fitLabels(
      rows.map((lane) => ({
        text: names.get(lane.id),
        room: Math.max(Math.floor((this.labelWidth - labelX(lane) - 6) / LABEL_CHAR_PX), 1),
      })),
    );
    rows.forEach((lane, row) => {
      const mid = this.rowTops[row] + h / 2;
      const x = labelX(lane);
      const isGroup = lane.kind !== "task";
      const text = svgText(
        shown[row],
        {
          class: `${labelFont} ${isGroup ? "group-label" : "task-label"}`,
          x,
          y: mid + (this.compact ? 3.5 : 4),
          "data-lane-label": lane.id,
        },
        this.labelsSvg,
      );
      const name = names.get(lane.id);
      svgTitle(isGroup && lane.kind !== lane.label ? `${name} (${lane.kind})` : name, text);
      if (isGroup) this.drawTreeGuide(lane, row, lastDescendantRow.get(lane.id));
    });
  }

  /** The bracket in the label column that ties a group to its children. */
  drawTreeGuide(group, row, lastRow) {
    if (lastRow == null || lastRow <= row) return;
    const h = this.rowHeight;
    const x = PAD_LEFT + group.depth * INDENT + 3;
    const childMids = [];
    for (let r = row + 1; r <= lastRow; r++) {
      if (this.layout.rows[r].parent === group.id) childMids.push(this.rowTops[r] + h / 2);
    }
    if (!childMids.length) return;
    const top = this.rowTops[row] + h / 2 + (this.compact ? 5 : 7);
    const bottom = childMids[childMids.length - 1];
    const d = [`M${x} ${top}V${bottom}`, ...childMids.map((y) => `M${x} ${y}h${INDENT - 6}`)].join("");
    svg("path", { class: `tree-guide kind-${group.kind}`, d }, this.labelsSvg);
  }

  drawAxis() {
    const { step, ticks } = this.scale.ticks(this.width < 500 ? 50 : 80);
    for (const t of ticks) {
      const x = this.xOf(t);
      svg("line", { class: "grid-line", x1: x, x2: x, y1: AXIS_HEIGHT - 4, y2: this.rowsBottom }, this.layers.grid);
      svgText(
        formatTick(t, step, this.scale.domainMs),
        {
          class: "tick",
          x,
          y: AXIS_HEIGHT - 9,
          "text-anchor": t === 0 ? "start" : "middle",
        },
        this.layers.grid,
      );
    }
    svg(
      "line",
      {
        class: "axis-line",
        x1: PAD_LEFT,
        x2: this.plotWidth,
        y1: AXIS_HEIGHT - 4,
        y2: AXIS_HEIGHT - 4,
      },
      this.layers.grid,
    );
  }

  // ------------------------------------------------------------ one lane

  drawLane(state, row) {
    state.row = row;
    state.drawn = 0;
    state.lastLabelRight = -Infinity;
    const top = this.rowTops[row];
    const { label, kind } = state.lane;
    const g = svg(
      "g",
      {
        "data-lane": state.lane.id,
        class: `lane kind-${kind}`,
        role: "group",
        "aria-label": kind === "task" || kind === label ? label : `${label} (${kind})`,
      },
      this.layers.lanes,
    );
    state.nodes = { g };
    if (state.lane.kind === "task") {
      const barHeight = this.compact ? 6 : 10;
      state.nodes.bar = svg(
        "rect",
        {
          class: "wait-bar",
          y: top + (this.rowHeight - barHeight) / 2,
          height: barHeight,
          rx: barHeight / 2,
        },
        g,
      );
    } else {
      const lastRow = this.layout.lastDescendantRow.get(state.lane.id) ?? row;
      state.nodes.band = svg(
        "rect",
        {
          class: "group-band",
          y: top + 2,
          height: this.rowTops[lastRow] + this.rowHeight - top - 4,
          rx: 4,
        },
        g,
      );
      state.nodes.bar = svg("rect", { class: "group-bar", y: top + this.rowHeight / 2 - 1.5, height: 3, rx: 1.5 }, g);
    }
    state.nodes.blocks = svg("g", { class: "blocks" }, g);
    state.nodes.marks = svg("g", { class: "marks" }, g);
    this.drawNewEvents(state);
  }

  /** Appends marks for events not yet drawn, in order. */
  drawNewEvents(state) {
    if (state.row < 0 || !state.nodes) {
      this.countSkipped(state);
      return;
    }
    const events = state.events;
    for (; state.drawn < events.length; state.drawn++) {
      const event = events[state.drawn];
      switch (event.kind) {
        case "start":
          state.start = event.t;
          break;
        case "value":
          this.drawValue(state, event);
          break;
        case "block":
          this.drawBlock(state, event);
          break;
        case "end":
        case "error":
        case "cancel":
          state.end = event.t;
          state.endKind = event.kind;
          state.endEvent = event;
          break;
      }
    }
    if (state.end == null && state.closed) {
      state.end = state.closed.t;
      state.endKind = state.closed.kind;
    }
    this.drawBar(state);
    this.drawEndMark(state);
  }

  /** Lanes with no row (over the cap) only keep their count of unseen markers right. */
  countSkipped(state) {
    for (; state.drawn < state.events.length; state.drawn++) {
      const event = state.events[state.drawn];
      if (event.kind === "value") this.markersHidden++;
      if (event.kind === "start") state.start = event.t;
      if (ENDINGS.has(event.kind)) state.end = event.t;
    }
  }

  drawBar(state) {
    const { bar, band } = state.nodes || {};
    if (!bar || state.start == null) return;
    const until = state.end ?? Math.max(this.now ?? state.start, lastEventTime(state));
    const x = this.xOf(state.start);
    const width = Math.max(this.xOf(until) - x, 1);
    bar.setAttribute("x", x);
    bar.setAttribute("width", width);
    bar.classList.toggle("open", state.end == null);
    if (band) {
      band.setAttribute("x", x - 3);
      band.setAttribute("width", width + 6);
    }
  }

  drawValue(state, event) {
    if (this.markersDrawn >= MAX_MARKERS) {
      this.markersHidden++;
      return;
    }
    this.markersDrawn++;
    const mid = this.rowTops[state.row] + this.rowHeight / 2;
    const x = this.xOf(event.t);
    const value = formatValue(event.value);
    const at = formatTime(event.t);
    const label = `${this.names.get(state.lane.id)}: value ${value} at ${at}`;
    const marker = svg(
      "circle",
      {
        class: "value-marker",
        cx: x,
        cy: mid,
        r: this.compact ? 3.5 : 5,
        tabindex: 0,
        role: "img",
        "aria-label": label,
        "data-kind": "value",
        "data-t": event.t,
        "data-value": event.value,
      },
      state.nodes.marks,
    );
    svgTitle(label, marker);
    const details = [`value ${value}`, `at ${at}`];
    if (event.lateMs > 0) details.push(`timer fired ${formatTime(event.lateMs)} late`);
    this.tips.set(marker, { title: this.names.get(state.lane.id), details });

    if (this.compact) return;
    const halfWidth = (Array.from(value).length * VALUE_CHAR_PX) / 2;
    if (x - halfWidth < state.lastLabelRight + 4) return; // no room: the tooltip still has it
    state.lastLabelRight = x + halfWidth;
    svgText(
      value,
      { class: "value-label", x, y: mid - 8, "text-anchor": "middle", "aria-hidden": "true" },
      state.nodes.marks,
    );
  }

  drawBlock(state, event) {
    const top = this.rowTops[state.row];
    const x = this.xOf(event.t);
    const width = Math.max(this.xOf(event.t + (event.ms || 0)) - x, 1);
    const block = svg(
      "rect",
      {
        class: "block-bar",
        x,
        y: top + 3,
        width,
        height: this.rowHeight - 6,
        rx: 2,
        "data-kind": "block",
        "data-t": event.t,
        "data-ms": event.ms,
      },
      state.nodes.blocks,
    );
    svgTitle(
      `${this.names.get(state.lane.id)}: blocked the loop for ${formatTime(event.ms || 0)} at ${formatTime(event.t)}`,
      block,
    );
  }

  drawEndMark(state) {
    const { marks } = state.nodes;
    if (state.nodes.endMark || state.end == null || !state.endKind) return;
    const kind = state.endKind;
    const mid = this.rowTops[state.row] + this.rowHeight / 2;
    const at = formatTime(state.end);
    const said = {
      end: ["ended", state.endEvent?.result],
      error: ["failed", state.endEvent?.message],
      cancel: ["cancelled", null],
      stopped: ["stopped", null],
    }[kind];
    const label = `${this.names.get(state.lane.id)}: ${said[0]}${said[1] ? ` with ${said[1]}` : ""} at ${at}`;
    const mark = svgText(
      END_GLYPHS[kind],
      {
        class: `end-mark end-${kind}`,
        x: this.xOf(state.end) + 8,
        y: mid + (this.compact ? 4 : 5),
        tabindex: 0,
        role: "img",
        "aria-label": label,
        "data-kind": kind,
        "data-t": state.end,
      },
      marks,
    );
    svgTitle(label, mark);
    this.tips.set(mark, {
      title: this.names.get(state.lane.id),
      details: [said[1] ? `${said[0]}: ${said[1]}` : said[0], `at ${at}`],
    });
    state.nodes.endMark = mark;
  }

  // ------------------------------------------------------------ overlays

  drawFreeze(freeze) {
    const g = svg("g", { class: "freeze", "data-kind": "freeze" }, this.layers.freezes);
    const band = svg("rect", { class: "freeze-band", y: AXIS_HEIGHT - 4 }, g);
    const label = svgText(
      "",
      { class: "freeze-label", y: this.rowsBottom + FREEZE_LABEL_DY, "text-anchor": "middle" },
      g,
    );
    const title = svgTitle("", band);
    freeze.node = { g, band, label, title };
    this.placeFreeze(freeze);
  }

  placeFreeze(freeze) {
    const { g, band, title } = freeze.node;
    const x = this.xOf(freeze.from);
    const width = Math.max(this.xOf(freeze.to) - x, 1);
    band.setAttribute("x", x);
    band.setAttribute("width", width);
    band.setAttribute("height", this.rowsBottom - AXIS_HEIGHT + 4);
    g.setAttribute("data-from", freeze.from);
    g.setAttribute("data-to", freeze.to);
    title.textContent = `loop frozen ${formatTime(freeze.to - freeze.from)}`;
  }

  /** Labels under the freeze bands, left to right: the sentence, else "frozen", else none. */
  labelFreezes() {
    let freeRight = -Infinity;
    const sorted = [...this.freezes].sort((a, b) => a.from - b.from);
    for (const freeze of sorted) {
      const { label } = freeze.node;
      const from = this.xOf(freeze.from);
      const centre = (from + this.xOf(freeze.to)) / 2;
      const sentence = `loop frozen ${formatTime(freeze.to - freeze.from)}`;
      const text = [sentence, "frozen"].find((candidate) => {
        const half = (candidate.length * VALUE_CHAR_PX) / 2;
        return centre - half >= freeRight + 6 && centre + half <= this.plotWidth;
      });
      label.textContent = text ?? "";
      label.setAttribute("x", centre);
      if (text) freeRight = centre + (text.length * VALUE_CHAR_PX) / 2;
    }
  }

  drawIdeals() {
    const layer = this.layers.ideals;
    layer.replaceChildren();
    let lastLabelX = -Infinity;
    for (const ideal of this.ideals) {
      const rows = this.layout.rows;
      const first = rows.findIndex((lane) => lane.statement === ideal.statement);
      if (first < 0) continue;
      let last = first;
      while (last + 1 < rows.length && rows[last + 1].statement === ideal.statement) last++;
      const x = this.xOf(ideal.t);
      const top = this.rowTops[first];
      const bottom = this.rowTops[last] + this.rowHeight;
      const g = svg("g", { class: "ideal", "data-ideal": ideal.t }, layer);
      const line = svg("line", { class: "ideal-line", x1: x, x2: x, y1: top, y2: bottom }, g);
      svgTitle(`ideal ${formatTime(ideal.t - ideal.startMs)} (ends at ${formatTime(ideal.t)})`, line);
      // In the footer, where it cannot cover a value or an end mark; one label per 40 px.
      if (x - lastLabelX < 40) continue;
      lastLabelX = x;
      // Centred under the line, but never cut off at the left edge (an ideal of 0 with real I/O).
      const anchor = x < 20 ? "start" : "middle";
      svgText(
        "ideal",
        {
          class: "ideal-label",
          x: anchor === "start" ? x - 3 : x,
          y: this.rowsBottom + IDEAL_LABEL_DY,
          "text-anchor": anchor,
        },
        g,
      );
    }
  }

  drawNow() {
    const layer = this.layers.now;
    if (this.now == null) {
      layer.replaceChildren();
      this.nowNodes = null;
      return;
    }
    if (!this.nowNodes?.line.isConnected) {
      layer.replaceChildren();
      this.nowNodes = {
        line: svg("line", { class: "now-line", y1: AXIS_HEIGHT - 4, y2: this.rowsBottom }, layer),
        head: svg("path", { class: "now-head", d: "M-4 0h8l-4 5z" }, layer),
      };
    }
    const x = this.xOf(this.now);
    this.nowNodes.line.setAttribute("x1", x);
    this.nowNodes.line.setAttribute("x2", x);
    this.nowNodes.head.setAttribute("transform", `translate(${x} ${AXIS_HEIGHT - 5})`);
    this.drawMoment(x);
  }

  /** The shade over the future and one state dot per drawn lane, at cursor x. */
  drawMoment(x) {
    const nodes = this.nowNodes;
    if (!this.moment) {
      nodes.future?.remove();
      nodes.dots?.remove();
      this.layers.now.querySelector(".scrub-strip")?.remove();
      nodes.future = nodes.dots = null;
      return;
    }
    if (!nodes.future) {
      // The axis strip is where a finger drags the cursor (the rows still scroll).
      svg("rect", { class: "scrub-strip", x: 0, y: 0, width: this.plotWidth, height: AXIS_HEIGHT }, this.layers.now);
      nodes.future = svg("rect", { class: "future", y: AXIS_HEIGHT - 4 }, this.layers.now);
      nodes.dots = svg("g", { class: "state-dots" }, this.layers.now);
      nodes.dotOf = new Map();
    }
    nodes.future.setAttribute("x", x);
    nodes.future.setAttribute("width", this.moment.future ? Math.max(this.plotWidth - x, 0) : 0);
    nodes.future.setAttribute("height", Math.max(this.rowsBottom - AXIS_HEIGHT + 4, 0));
    // One transform moves every dot: a drag touches one attribute, not one per lane.
    nodes.dots.setAttribute("transform", `translate(${x} 0)`);
    const r = this.compact ? 3 : 4.5;
    for (const state of this.lanes.values()) {
      if (state.row < 0) continue;
      const id = state.lane.id;
      let dot = nodes.dotOf.get(id);
      if (!dot) {
        dot = svg(
          "circle",
          { class: "state-dot", r, "data-lane": id, cx: 0, cy: this.rowTops[state.row] + this.rowHeight / 2 },
          nodes.dots,
        );
        nodes.dotOf.set(id, dot);
      }
      const status = this.moment.statuses[id] ?? "pending";
      if (dot.dataset.status !== status) dot.dataset.status = status;
    }
  }
}

function newLaneState(lane) {
  return { lane, events: [], drawn: 0, row: -1, start: null, end: null, endKind: null, nodes: null, closed: null };
}

function lastEventTime(state) {
  const last = state.events[state.events.length - 1];
  return last ? last.t + (last.kind === "block" ? last.ms || 0 : 0) : state.start;
}

/** Adds [from, to] to `freezes`, growing an interval it touches; returns that interval. */
function mergeFreeze(freezes, from, to) {
  const touching = freezes.find((f) => from <= f.to + FREEZE_JOIN_MS && to >= f.from - FREEZE_JOIN_MS);
  if (!touching) {
    const freeze = { from, to, node: null };
    freezes.push(freeze);
    return freeze;
  }
  touching.from = Math.min(touching.from, from);
  touching.to = Math.max(touching.to, to);
  return touching;
}
