// The <timeline-view> stylesheet, adopted by each shadow root (a constructed
// sheet is shared, not re-parsed per instance, and needs no inline <style>).
// Colours use light-dark(), so one palette follows `color-scheme`, which the
// element sets from its `theme` (light | dark | auto = prefers-color-scheme).
// The public `--ap-*` properties of <async-playground> (background, ink,
// muted, line, ok, error, focus, warning) reach in: set on the page or
// inherited from the element, they override the timeline's own colours.

const css = `
:host {
  display: block;
  min-width: 0;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
:host([hidden]) { display: none; }

.frame {
  color-scheme: light dark;
  --bg: var(--ap-bg, light-dark(#ffffff, #14171c));
  --fg: var(--ap-ink, light-dark(#1e2630, #e3e7ec));
  --muted: var(--ap-muted, light-dark(#67727e, #98a3b0));
  --rule: var(--ap-line, light-dark(#dde2e8, #2c323b));
  --stripe: light-dark(#f6f8fa, #181c22);
  --grid: light-dark(#eceff3, #22272f);
  --wait: light-dark(#d3e3f6, #233b57);
  --wait-open: light-dark(#e3edf9, #1c2f45);
  --value: light-dark(#2b67b0, #6aa9f2);
  --group: light-dark(#7c6fc0, #a99cf0);
  --group-band: light-dark(rgb(124 111 192 / 0.07), rgb(169 156 240 / 0.08));
  --frozen: light-dark(#c8463d, #ff7b72);
  --frozen-band: light-dark(rgb(200 70 61 / 0.10), rgb(255 123 114 / 0.12));
  --frozen-bg: light-dark(#fbe3e1, #4a2020);
  --ideal: light-dark(#23855a, #5fd39a);
  --now: light-dark(#c98500, #f0b429);
  --ok: var(--ap-ok, light-dark(#23855a, #5fd39a));
  --error: var(--ap-error, light-dark(#c8463d, #ff7b72));
  --focus: var(--ap-focus, light-dark(#1d5fd1, #8ab8ff));
  --warning-bg: var(--ap-warn-bg, light-dark(#fff6dc, #3a2f10));
  --warning-fg: var(--ap-warn-ink, light-dark(#6b4e00, #f5d37a));
  --mono: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  position: relative;
  color: var(--fg);
  background: var(--bg);
  border: 1px solid var(--rule);
  border-radius: 8px;
  padding: 10px 0 8px;
}
.frame[data-theme="light"] { color-scheme: light; }
.frame[data-theme="dark"] { color-scheme: dark; }

/* A long fan-out can be held to a height: --timeline-max-height: 60vh. */
.viewport {
  overflow-x: auto;
  max-height: var(--timeline-max-height, none);
  overscroll-behavior-x: contain;
}
.canvas { display: flex; width: max-content; min-width: 100%; }
svg { display: block; overflow: visible; }
svg.labels {
  position: sticky;
  left: 0;
  z-index: 1;
  flex: none;
  background: var(--bg);
  border-right: 1px solid var(--rule);
}
svg.plot { flex: none; }

.row-stripe { fill: var(--stripe); }
.statement-rule { stroke: var(--rule); stroke-width: 1; }
.label { font: 12px var(--mono); fill: var(--fg); }
.label.compact { font-size: 10.5px; }
.group-label { font-weight: 600; fill: var(--group); }
.tree-guide { fill: none; stroke: var(--group); stroke-width: 1.2; opacity: 0.7; }

.grid-line { stroke: var(--grid); stroke-width: 1; shape-rendering: crispEdges; }
.axis-line { stroke: var(--rule); stroke-width: 1; shape-rendering: crispEdges; }
.tick { font: 11px system-ui, sans-serif; fill: var(--muted); font-variant-numeric: tabular-nums; }

.wait-bar { fill: var(--wait); }
.wait-bar.open { fill: var(--wait-open); stroke: var(--wait); stroke-dasharray: 3 2; }
.group-band { fill: var(--group-band); }
.group-bar { fill: var(--group); opacity: 0.75; }
.block-bar { fill: url(#hatch); stroke: var(--frozen); stroke-width: 1; }
.hatch-bg { fill: var(--frozen-bg); }
.hatch-line { stroke: var(--frozen); stroke-width: 2.2; }

.value-marker {
  fill: var(--value);
  stroke: var(--bg);
  stroke-width: 1.5;
  cursor: default;
  outline: none;
}
.value-marker:hover, .value-marker:focus-visible, .value-marker.active { stroke: var(--focus); stroke-width: 3; }
.value-label {
  font: 10px var(--mono);
  fill: var(--fg);
  /* A halo in the background colour keeps values readable across grid and ideal lines. */
  paint-order: stroke;
  stroke: var(--bg);
  stroke-width: 3px;
  stroke-linejoin: round;
  font-variant-numeric: tabular-nums;
  pointer-events: none;
}
.end-mark { font: 700 12px system-ui, sans-serif; outline: none; cursor: default; }
.end-mark:focus-visible, .end-mark.active { text-decoration: underline; }
.end-end { fill: var(--ok); }
.end-error { fill: var(--error); }
.end-cancel, .end-stopped { fill: var(--muted); }

.freeze-band { fill: var(--frozen-band); }
.freeze-label { font: 600 10.5px system-ui, sans-serif; fill: var(--frozen); }
.ideal-line { stroke: var(--ideal); stroke-width: 1.5; stroke-dasharray: 5 4; }
.ideal-label { font: 600 10px system-ui, sans-serif; fill: var(--ideal); }
.now-line { stroke: var(--now); stroke-width: 1.5; }
.now-head { fill: var(--now); }
.scrub-strip { fill: transparent; cursor: ew-resize; touch-action: none; }
.future { fill: var(--bg); opacity: 0.55; pointer-events: none; }
.state-dot { stroke: var(--bg); stroke-width: 1.5; fill: var(--muted); pointer-events: none; }
.state-dot[data-status="waiting"] { fill: var(--value); }
.state-dot[data-status="busy"] { fill: var(--frozen); }
.state-dot[data-status="ready"], .state-dot[data-status="running"] { fill: var(--now); }
.state-dot[data-status="done"] { fill: var(--ok); }
.state-dot[data-status="failed"], .state-dot[data-status="cancelled"] { fill: var(--error); }
.state-dot[data-status="pending"] { fill: var(--bg); stroke: var(--muted); }
.transport {
  display: flex; flex-wrap: wrap; align-items: center; gap: 6px;
  padding: 8px 12px 2px; touch-action: manipulation;
}
.transport button {
  min-width: 36px; min-height: 36px; padding: 0 8px;
  font: inherit; font-size: 15px; color: var(--fg);
  background: var(--stripe); border: 1px solid var(--rule); border-radius: 6px; cursor: pointer;
}
.transport button:focus-visible, .transport input:focus-visible, .transport select:focus-visible {
  outline: 2px solid var(--focus); outline-offset: 1px;
}
.transport .scrubber { flex: 1 1 160px; min-width: 120px; height: 36px; margin: 0; accent-color: var(--now); touch-action: none; }
.transport .time { font-family: var(--mono); font-size: 12px; color: var(--muted); min-width: 13ch; }
.transport .speed { font-size: 12px; color: var(--muted); }
.transport select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--rule); border-radius: 4px; min-height: 30px; }
.moment { padding: 4px 12px 0; display: grid; gap: 4px; contain: layout paint; }
.moment h3 { margin: 6px 0 0; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.moment .loop-line { margin: 2px 0; font-weight: 600; }
.moment .loop-line[data-mode="busy"] { color: var(--frozen); }
.moment dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
.moment dt { color: var(--muted); }
.moment dd { margin: 0; font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
.lane-states { list-style: none; margin: 0; padding: 0; display: grid; gap: 2px; }
.lane-states li { contain: layout paint; display: flex; flex-wrap: wrap; gap: 0 8px; font-size: 12px; }
.lane-states .name { font-family: var(--mono); font-weight: 600; }
.lane-states li::before { content: ""; width: 9px; height: 9px; border-radius: 50%; margin-top: 4px; background: var(--muted); flex: none; }
.lane-states li[data-status="waiting"]::before { background: var(--value); }
.lane-states li[data-status="busy"]::before { background: var(--frozen); }
.lane-states li[data-status="ready"]::before, .lane-states li[data-status="running"]::before { background: var(--now); }
.lane-states li[data-status="done"]::before { background: var(--ok); }
.lane-states li[data-status="failed"]::before, .lane-states li[data-status="cancelled"]::before { background: var(--error); }
.moment .more { margin: 0; color: var(--muted); font-size: 12px; }
.moment .log summary { cursor: pointer; color: var(--muted); font-size: 12px; }
.moment .log ol { margin: 4px 0; padding-left: 22px; font-size: 12px; max-height: 16em; overflow-y: auto; }
.moment .log li[aria-current] { background: var(--warning-bg); }
.moment .log time { font-family: var(--mono); color: var(--muted); }

.legend, .readout, .notes, .compare {
  padding: 0 12px;
}
.legend {
  display: flex;
  flex-wrap: wrap;
  gap: 2px 14px;
  margin-top: 6px;
  color: var(--muted);
  font-size: 11.5px;
}
.legend span { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
.legend i { display: inline-block; width: 14px; height: 8px; border-radius: 4px; }
.legend .key-value { width: 9px; height: 9px; border-radius: 50%; background: var(--value); }
.legend .key-wait { background: var(--wait); }
.legend .key-frozen {
  border-radius: 2px;
  border: 1px solid var(--frozen);
  background: repeating-linear-gradient(45deg, var(--frozen) 0 2px, var(--frozen-bg) 2px 4px);
}
.legend .key-ideal { width: 0; height: 12px; border-radius: 0; border-left: 2px dashed var(--ideal); }

.readout { margin: 8px 0 0; display: grid; gap: 1px; font-variant-numeric: tabular-nums; }
.readout p { margin: 0; overflow-wrap: anywhere; }
.readout .statement-label {
  font: 600 12px var(--mono);
  margin-right: 6px;
}
.readout .total { font-weight: 600; }
.readout .status { color: var(--muted); }
.notes { margin: 4px 0 0; color: var(--muted); font-size: 12px; display: grid; gap: 4px; }
.notes p { margin: 0; }
.notes .warning {
  color: var(--warning-fg);
  background: var(--warning-bg);
  border-radius: 6px;
  padding: 6px 8px;
}
.notes p:empty { display: none; }

.compare { margin-top: 10px; }
.compare[hidden] { display: none; }
.compare-text { margin: 0 0 4px; font-weight: 600; font-variant-numeric: tabular-nums; }
.compare-label { font: 11.5px var(--mono); fill: var(--fg); }
.compare-time { font: 11px system-ui, sans-serif; fill: var(--muted); font-variant-numeric: tabular-nums; }
.compare-bar { fill: var(--wait); }
.compare-bar.current { fill: var(--value); }

.tooltip {
  position: absolute;
  z-index: 2;
  pointer-events: none;
  max-width: min(280px, 80%);
  padding: 5px 8px;
  border-radius: 6px;
  background: light-dark(#1e2630, #f2f4f7);
  color: light-dark(#ffffff, #14171c);
  font-size: 12px;
  box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
  overflow-wrap: anywhere;
}
.tooltip[hidden] { display: none; }
.tooltip strong { display: block; font: 600 11.5px var(--mono); }
`;

export const timelineSheet = new CSSStyleSheet();
timelineSheet.replaceSync(css);
