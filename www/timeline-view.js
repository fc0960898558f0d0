// <timeline-view>: the live timeline of one run of an async-playground program.
//
//   import "./timeline-view.js";
//   const tl = document.createElement("timeline-view");
//   tl.reset();                       // clear; a new live run starts (cancels a replay)
//   tl.addBatch({ lanes, events });   // each batch from run(text, { onEvent })
//   tl.finish(report);                // the final Report: ideal lines, readout, timer honesty
//   await tl.replay(report, speed);   // re-play a finished (virtual) run at speed× real time;
//                                     // resolves true when done, false if reset() cancelled it
//   tl.compare(previous, current);    // { label, elapsedMs } each: "sequential 6.0 s vs gather 3.0 s, 2.0×"
//                                     // (reset() clears it: it describes two runs, not the next)
//   tl.toSvg();                       // the picture as a standalone SVG document (a string)
//   tl.xOf(t);                        // x pixel of time t (ms) in the plot SVG, as a marker's cx
//   tl.attachReplay(replay, { t, speed }); // run-replay.js: the transport and the state at the
//                                     // cursor appear (while a replay animates, or paused at t)
//   tl.seek(t); tl.play(); tl.pause(); tl.position  // { t, playing } or null
//
// Keyboard (focus in the timeline): Space plays/pauses, ←/→ step between events,
// Shift+←/→ jump 10 %, Home/End. The scrubber is a range input (touch works);
// pressing on the plot (mouse) or on its time axis (touch, pen) moves the cursor there and drags it.
//
// Attribute: theme = light | dark | auto (default auto: prefers-color-scheme);
// an ancestor's `theme` (also across shadow roots) applies when it has none.
// CSS: --timeline-max-height (default none) makes a tall fan-out scroll.
//
// For tests: lanes are <g data-lane="ID">, value markers
// <circle data-kind="value" data-t="2000" data-value="20">, freezes
// <g data-kind="freeze">, ideal lines <g data-ideal="3000">, the lanes' states at the cursor
// <circle class="state-dot" data-lane="1" data-status="waiting">; the shadow root is open.
import { reflectAttributes } from "./dom.js";
import { drawComparison } from "./timeline-compare.js";
import { formatTime } from "./format.js";
import { TimelinePlot } from "./timeline-plot.js";
import { ioStatements } from "./io-ideal.js";
import { omittedNote, readoutLines, timerLateness } from "./timeline-readout.js";
import { timelineSheet } from "./timeline-style.js";
import { MomentPanel, stepsUpTo } from "./timeline-moment.js";
import { TimelineTransport, transportAction } from "./timeline-transport.js";
import { standaloneSvg } from "./svg-export.js";

const THEMES = new Set(["light", "dark", "auto"]);
const COMPARE_MAX_WIDTH = 520;
const LEGEND = [
  ["key-value", "value"],
  ["key-wait", "waiting"],
  ["key-frozen", "loop frozen"],
  ["key-ideal", "ideal end"],
];

class TimelineView extends HTMLElement {
  static observedAttributes = ["theme"];

  #parts;
  #plot;
  /** Live or replaying: the frame loop moves the "now" cursor. */
  #running = false;
  /** performance.now() at the run's t = 0, learnt from the first live batch. */
  #origin = null;
  #latestT = 0;
  #frame = 0;
  /** The replay under way: { report, events, next, speed, startedAt, resolve }. */
  #replay = null;
  #comparison = null;
  /** The transport's run: { replay (run-replay.js), t, playing, speed, lastFrame } or null. */
  #scrub = null;
  #transport;
  #moment;
  /** The marker whose tooltip is showing. */
  #activeMark = null;
  #themeObserver = new MutationObserver(() => this.#applyTheme());
  #resizeObserver = new ResizeObserver(() => this.#resize());

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [timelineSheet];
    this.#parts = buildSkeleton(root);
    this.#plot = new TimelinePlot(this.#parts.labels, this.#parts.plot);
    this.#transport = new TimelineTransport(this.#parts.transportSlot, (action, value) => this.#act(action, value));
    this.#moment = new MomentPanel(this.#parts.momentSlot);
    this.#listenForTooltips();
    this.#listenForTransport();
    this.#showStatus("no run yet");
  }

  connectedCallback() {
    this.#applyTheme();
    this.#observeAncestorThemes();
    this.#resizeObserver.observe(this.#parts.viewport);
    if (this.#running) this.#requestFrame();
  }

  disconnectedCallback() {
    this.#themeObserver.disconnect();
    this.#resizeObserver.disconnect();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  attributeChangedCallback() {
    this.#applyTheme();
  }

  // ------------------------------------------------------------ public API

  /** Clears the timeline for a new live run; cancels a replay under way. */
  reset() {
    this.#endReplay(false);
    this.#scrub = null;
    this.#transport.hide();
    this.#moment.hide();
    this.#origin = null;
    this.#latestT = 0;
    this.#plot.clear();
    this.#hideTooltip();
    this.#parts.timers.textContent = "";
    this.#parts.warning.textContent = "";
    this.#parts.omitted.textContent = "";
    this.#comparison = null;
    this.#parts.compare.hidden = true;
    this.#running = true;
    this.#showStatus("running…");
    this.#requestFrame();
  }

  /** Draws what is new: `lanes` first (the tree), then `events` in time order. */
  addBatch({ lanes = [], events = [] } = {}) {
    if (!this.#running) this.reset();
    this.#plot.addLanes(lanes);
    this.#plot.addEvents(events);
    let latest = this.#latestT;
    for (const event of events) latest = Math.max(latest, event.t + (event.kind === "block" ? event.ms || 0 : 0));
    this.#latestT = latest;
    // A batch is delivered right after its last event happened, so this pins t = 0 to the wall clock.
    if (this.#origin === null && !this.#replay && events.length) this.#origin = performance.now() - latest;
    this.#parts.omitted.textContent = omittedNote(this.#plot.lanesHidden, this.#plot.markersHidden);
  }

  /** Draws the finished run from its report: the authoritative picture, with ideals and readout. */
  finish(report) {
    this.#endReplay(false);
    this.#stopFrames();
    this.#plot.load({
      lanes: report.lanes,
      events: report.events,
      ideals: idealLines(report),
      endMs: endOf(report),
      openLanesKind: report.cancelled ? "stopped" : null,
    });
    this.#showReadout(report);
    if (this.#scrub) this.#showAt(this.#scrub.t);
  }

  /**
   * The transport for a finished run: `replay` (run-replay.js) answers what
   * each lane and the loop are doing at any t. While a replay() animates, the
   * cursor follows it; otherwise the picture pauses at `t` (default: the end).
   */
  attachReplay(replay, { t = null, speed = 1 } = {}) {
    if (!replay) return;
    const start = this.#replay ? 0 : (t ?? replay.endMs);
    this.#scrub = {
      replay,
      t: clamp(start, 0, replay.endMs),
      playing: false,
      speed: this.#replay?.speed ?? speed,
      lastFrame: 0,
    };
    this.#moment.load(replay, replay.laneCount);
    if (this.#replay) this.#showMoment(this.#scrub.t, true);
    else this.#showAt(this.#scrub.t);
  }

  /** Where the transport is: { t, playing }, or null without one. */
  get position() {
    if (!this.#scrub) return null;
    return { t: this.#scrub.t, playing: this.#scrub.playing || Boolean(this.#replay) };
  }

  /** Pauses at `t` (ms): the cursor, the lanes' states and the loop's view move there. */
  seek(t) {
    if (!this.#scrub) return;
    this.#pauseAt(t);
  }

  play() {
    const scrub = this.#scrub;
    if (!scrub || this.#replay || scrub.playing) return;
    if (scrub.t >= scrub.replay.endMs) scrub.t = 0;
    scrub.playing = true;
    scrub.lastFrame = performance.now();
    this.#showAt(scrub.t);
    this.#requestFrame();
  }

  pause() {
    if (this.#scrub) this.#pauseAt(this.#scrub.t);
  }

  /**
   * Animates a finished report at `speed`× real time; resolves true when done,
   * false if reset() or finish() cancelled it. It runs on animation frames, so
   * it pauses with them in a background tab.
   */
  replay(report, speed = 1) {
    this.reset();
    this.#plot.addLanes(report.lanes);
    const rate = Number.isFinite(speed) && speed > 0 ? speed : 1;
    this.#showStatus(`replaying at ${rate}×…`);
    return new Promise((resolve) => {
      this.#replay = {
        report,
        // Stable sort: events at the same time keep their recorded order (value before end).
        events: [...report.events].sort((a, b) => a.t - b.t),
        next: 0,
        speed: rate,
        startedAt: performance.now(),
        resolve,
      };
    });
  }

  /** A small bar chart of two runs: "sequential 6.0 s vs gather 3.0 s, 2.0×". */
  compare(previous, current) {
    this.#comparison = { previous, current };
    this.#drawComparison();
  }

  /** The labels and the plot as one SVG document with inline styles: it stands alone. */
  toSvg() {
    return standaloneSvg(this.#parts.labels, this.#parts.plot, this.#parts.frame);
  }

  /** The x pixel of time `t` (ms since the run started), in the plot SVG's coordinates. */
  xOf(t) {
    return this.#plot.xOf(t);
  }

  // ------------------------------------------------------------ frames

  #requestFrame() {
    if (!this.#frame) this.#frame = requestAnimationFrame(this.#tick);
  }

  #stopFrames() {
    this.#running = false;
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  #tick = () => {
    this.#frame = 0;
    if (this.#running) {
      if (this.#replay) {
        this.#advanceReplay();
      } else if (this.#origin !== null) {
        const now = Math.max(performance.now() - this.#origin, this.#latestT);
        this.#plot.setNow(now);
        this.#showStatus(`running… ${formatTime(now)}`);
      }
    } else if (this.#scrub?.playing) {
      this.#advanceScrub();
    }
    if (this.#running || this.#scrub?.playing) this.#requestFrame();
  };

  /** Playing a finished run: the cursor moves over the whole picture at the chosen speed. */
  #advanceScrub() {
    const scrub = this.#scrub;
    const now = performance.now();
    scrub.t = Math.min(scrub.t + (now - scrub.lastFrame) * scrub.speed, scrub.replay.endMs);
    scrub.lastFrame = now;
    if (scrub.t >= scrub.replay.endMs) scrub.playing = false;
    this.#showAt(scrub.t);
  }

  /** The cursor, the lanes' dots, the panel and the transport at `t` of a finished picture. */
  #showAt(t) {
    const scrub = this.#scrub;
    scrub.t = clamp(t, 0, scrub.replay.endMs);
    this.#showMoment(scrub.t, scrub.playing);
  }

  #showMoment(t, playing) {
    const scrub = this.#scrub;
    const moment = scrub.replay.stateAt(t);
    this.#plot.setMoment(
      moment.lanes.map((lane) => lane.status),
      !this.#replay,
      t,
    );
    this.#moment.show(moment);
    this.#transport.show({ t, endMs: scrub.replay.endMs, playing, speed: scrub.speed });
  }

  /** Stops playing (an animated replay becomes the finished picture) and shows `t`. */
  #pauseAt(t) {
    const scrub = this.#scrub;
    scrub.playing = false;
    if (this.#replay) {
      const { report, resolve } = this.#replay;
      this.#replay = null;
      scrub.t = clamp(t, 0, scrub.replay.endMs);
      this.finish(report);
      resolve(true);
    }
    this.#showAt(t);
  }

  /** What a transport button, the scrubber or a key asked for. */
  #act(action, value) {
    const scrub = this.#scrub;
    if (!scrub) return;
    const { steps, endMs } = scrub.replay;
    const t = scrub.t;
    switch (action) {
      case "toggle":
        if (this.#replay || scrub.playing) this.#pauseAt(t);
        else this.play();
        return;
      case "previous":
        return this.#pauseAt(stepBefore(steps, t) ?? 0);
      case "next":
        return this.#pauseAt(stepAfter(steps, t) ?? endMs);
      case "back":
        return this.#pauseAt(t - endMs / 10);
      case "forward":
        return this.#pauseAt(t + endMs / 10);
      case "start":
        return this.#pauseAt(0);
      case "end":
        return this.#pauseAt(endMs);
      case "seek":
        return this.#pauseAt(value);
      case "speed":
        scrub.speed = value;
        if (this.#replay) {
          // Keep the animation's position: now = (performance.now() - startedAt) * speed.
          const now = (performance.now() - this.#replay.startedAt) * this.#replay.speed;
          this.#replay.speed = value;
          this.#replay.startedAt = performance.now() - now / value;
        }
        return;
    }
  }

  #listenForTransport() {
    const { frame, plot } = this.#parts;
    frame.addEventListener("keydown", (event) => {
      const action = this.#scrub ? transportAction(event) : null;
      if (!action) return;
      event.preventDefault();
      this.#act(action);
    });
    // A mouse press on the plot (not on a mark) moves the cursor there and drags it; a
    // finger or pen does so on the axis strip, so that the rows still scroll by touch.
    const seekTo = (event) => {
      const box = plot.getBoundingClientRect();
      this.#act("seek", this.#plot.tOf(event.clientX - box.left));
    };
    plot.addEventListener("pointerdown", (event) => {
      if (!this.#scrub || event.button !== 0) return;
      const onStrip = event.target.classList?.contains("scrub-strip");
      if (event.pointerType !== "mouse" && !onStrip) return;
      if (event.target.closest?.("[tabindex]")) return;
      event.preventDefault();
      try {
        plot.setPointerCapture(event.pointerId);
      } catch {
        // A pointer that is already gone: the drag ends at its first move.
      }
      seekTo(event);
      const move = (moved) => seekTo(moved);
      const up = () => {
        plot.removeEventListener("pointermove", move);
        plot.removeEventListener("pointerup", up);
        plot.removeEventListener("pointercancel", up);
      };
      plot.addEventListener("pointermove", move);
      plot.addEventListener("pointerup", up);
      plot.addEventListener("pointercancel", up);
    });
  }

  #advanceReplay() {
    const replay = this.#replay;
    const now = (performance.now() - replay.startedAt) * replay.speed;
    const due = [];
    while (replay.next < replay.events.length && replay.events[replay.next].t <= now) {
      due.push(replay.events[replay.next++]);
    }
    if (due.length) this.addBatch({ events: due });
    if (replay.next >= replay.events.length && now >= endOf(replay.report)) {
      this.#replay = null;
      if (this.#scrub) Object.assign(this.#scrub, { t: this.#scrub.replay.endMs, playing: false });
      this.finish(replay.report);
      replay.resolve(true);
      return;
    }
    this.#plot.setNow(now);
    this.#showStatus(`replaying at ${replay.speed}×… ${formatTime(now)}`);
    if (this.#scrub) {
      this.#scrub.t = Math.min(now, this.#scrub.replay.endMs);
      this.#showMoment(this.#scrub.t, true);
    }
  }

  #endReplay(completed) {
    if (!this.#replay) return;
    const { resolve } = this.#replay;
    this.#replay = null;
    resolve(completed);
  }

  // ------------------------------------------------------------ text around the plot

  #showStatus(text) {
    const line = document.createElement("p");
    line.className = "status";
    line.textContent = text;
    this.#parts.readout.replaceChildren(line);
  }

  #showReadout(report) {
    const lines = readoutLines(report).map(({ label, text }) => {
      const line = document.createElement("p");
      if (label === "total") line.className = "total";
      const name = document.createElement("span");
      name.className = "statement-label";
      name.textContent = label;
      line.append(name, text);
      return line;
    });
    this.#parts.readout.replaceChildren(...lines);
    this.#parts.timers.textContent = timerLateness(report);
    this.#parts.warning.textContent = report.timers?.warning ?? "";
    this.#parts.omitted.textContent = omittedNote(
      this.#plot.lanesHidden + (report.lanesOmitted || 0),
      this.#plot.markersHidden + (report.eventsOmitted || 0),
    );
  }

  #drawComparison() {
    if (!this.#comparison) return;
    const { compare, compareText, compareChart, viewport } = this.#parts;
    const width = Math.min(Math.max(viewport.clientWidth - 24, 200), COMPARE_MAX_WIDTH);
    drawComparison(compare, compareText, compareChart, width, this.#comparison.previous, this.#comparison.current);
  }

  #resize() {
    const width = this.#parts.viewport.clientWidth;
    if (width > 0) this.#plot.resize(width);
    this.#drawComparison();
  }

  // ------------------------------------------------------------ theme

  /** The nearest `theme` attribute, on this element or any ancestor, across shadow roots. */
  #resolveTheme() {
    for (let node = this; node; node = node.parentNode || node.host) {
      if (node.nodeType === Node.ELEMENT_NODE && node.hasAttribute("theme")) {
        const theme = node.getAttribute("theme");
        return THEMES.has(theme) ? theme : "auto";
      }
    }
    return "auto";
  }

  #applyTheme() {
    this.#parts.frame.dataset.theme = this.#resolveTheme();
  }

  #observeAncestorThemes() {
    this.#themeObserver.disconnect();
    for (let node = this.parentNode || this.getRootNode().host; node; node = node.parentNode || node.host) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        this.#themeObserver.observe(node, { attributes: true, attributeFilter: ["theme"] });
      }
    }
  }

  // ------------------------------------------------------------ tooltip

  #listenForTooltips() {
    const { plot } = this.#parts;
    const markOf = (event) => event.target.closest?.("[tabindex]");
    const show = (event) => {
      const mark = markOf(event);
      if (mark) this.#showTooltip(mark);
    };
    plot.addEventListener("pointerover", show);
    plot.addEventListener("focusin", show);
    plot.addEventListener("pointerout", (event) => {
      if (markOf(event) && markOf(event) !== this.shadowRoot.activeElement) this.#hideTooltip();
    });
    plot.addEventListener("focusout", () => this.#hideTooltip());
    plot.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.#hideTooltip();
    });
  }

  #showTooltip(mark) {
    const tip = this.#plot.tips.get(mark);
    if (!tip) return;
    const { tooltip, frame } = this.#parts;
    const title = document.createElement("strong");
    title.textContent = tip.title;
    const lines = tip.details.map((text) => {
      const line = document.createElement("div");
      line.textContent = text;
      return line;
    });
    tooltip.replaceChildren(title, ...lines);
    tooltip.hidden = false;
    this.#activeMark?.classList.remove("active");
    this.#activeMark = mark;
    mark.classList.add("active");
    mark.setAttribute("aria-describedby", "tooltip");

    const box = mark.getBoundingClientRect();
    const frameBox = frame.getBoundingClientRect();
    const width = tooltip.offsetWidth;
    const height = tooltip.offsetHeight;
    const centre = box.left + box.width / 2 - frameBox.left;
    const left = Math.min(Math.max(centre - width / 2, 4), frameBox.width - width - 4);
    const above = box.top - frameBox.top - height - 8;
    const top = above >= 0 ? above : box.bottom - frameBox.top + 8;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${top}px`;
  }

  #hideTooltip() {
    this.#parts.tooltip.hidden = true;
    this.#activeMark?.classList.remove("active");
    this.#activeMark?.removeAttribute("aria-describedby");
    this.#activeMark = null;
  }
}

/** The shadow DOM: plot (labels + time), legend, readout, notes, comparison, tooltip. */
function buildSkeleton(root) {
  const el = (tag, attributes = {}, parent = null) => {
    const node = tag.startsWith("svg:")
      ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
      : document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (parent) parent.append(node);
    return node;
  };
  const frame = el("div", { class: "frame", "data-theme": "auto" }, root);
  const viewport = el("div", { class: "viewport" }, frame);
  const canvas = el("div", { class: "canvas" }, viewport);
  const labels = el("svg:svg", { class: "labels", "aria-hidden": "true" }, canvas);
  const plot = el(
    "svg:svg",
    { class: "plot", role: "group", "aria-label": "Timeline: one row per task, time from left to right" },
    canvas,
  );
  const transportSlot = el("div", { class: "transport-slot" }, frame);
  const legend = el("div", { class: "legend", "aria-hidden": "true" }, frame);
  for (const [key, text] of LEGEND) {
    const item = el("span", {}, legend);
    el("i", { class: key }, item);
    item.append(text);
  }
  const readout = el("div", { class: "readout", role: "status", "aria-live": "polite" }, frame);
  const momentSlot = el("div", { class: "moment-slot" }, frame);
  const notes = el("div", { class: "notes" }, frame);
  const warning = el("p", { class: "warning", role: "note" }, notes);
  const timers = el("p", { class: "timers" }, notes);
  const omitted = el("p", { class: "omitted" }, notes);
  const compare = el("div", { class: "compare" }, frame);
  compare.hidden = true;
  const compareText = el("p", { class: "compare-text" }, compare);
  const compareChart = el("svg:svg", { class: "compare-chart" }, compare);
  const tooltip = el("div", { class: "tooltip", role: "tooltip", id: "tooltip" }, frame);
  tooltip.hidden = true;
  return {
    frame,
    viewport,
    labels,
    plot,
    transportSlot,
    momentSlot,
    readout,
    warning,
    timers,
    omitted,
    compare,
    compareText,
    compareChart,
    tooltip,
  };
}

/** Where each statement would end with zero overhead; none for real I/O, whose ideal is unknown. */
function idealLines(report) {
  const statementOfLane = new Map(report.lanes.map((lane) => [lane.id, lane.statement]));
  const io = ioStatements(report);
  return report.statements
    .map((statement, index) => ({
      statement: statementOfLane.get(statement.lane) ?? index,
      startMs: statement.startMs,
      t: statement.startMs + statement.idealMs,
    }))
    .filter(({ statement }) => !io.has(statement));
}

function clamp(value, low, high) {
  return Math.min(Math.max(Number.isFinite(value) ? value : low, low), high);
}

/** The last step before `t` in ascending `steps`, or null. */
function stepBefore(steps, t) {
  const low = stepsUpTo(steps, t, false);
  return low > 0 ? steps[low - 1] : null;
}

/** The first step after `t` in ascending `steps`, or null. */
function stepAfter(steps, t) {
  const low = stepsUpTo(steps, t);
  return low < steps.length ? steps[low] : null;
}

/** The last moment the report knows of: its elapsed time or its last event. */
function endOf(report) {
  let end = report.elapsedMs || 0;
  for (const event of report.events) {
    end = Math.max(end, event.t + (event.kind === "block" ? event.ms || 0 : 0));
  }
  return end;
}

// Two copies of this module (say, under two URLs) must not both define the element.
reflectAttributes(TimelineView, { theme: String });

if (!customElements.get("timeline-view")) customElements.define("timeline-view", TimelineView);
