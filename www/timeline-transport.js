// The transport under a finished (or replaying) timeline: play/pause, step
// to the previous/next event, a scrubber along the time axis, and speed.
// It only shows and reports; <timeline-view> decides what each action does.
//
//   const transport = new TimelineTransport(parent, (action, value) => ...);
//   transport.show({ t, endMs, playing, speed });
//   transportAction(keydownEvent);  // "toggle" | "previous" | "next" | "back" | "forward" | "start" | "end" | null
//
// Actions: toggle, previous, next, start, end, back (−10 %), forward (+10 %),
// seek (value: t in ms), speed (value: a number).
import { formatMoment } from "./format.js";

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];

const BUTTONS = [
  ["start", "⇤", "To the start (Home)"],
  ["previous", "←", "Previous event (←)"],
  ["toggle", "▶", "Play (Space)"],
  ["next", "→", "Next event (→)"],
  ["end", "⇥", "To the end (End)"],
];

/** The transport action a key press asks for, or null (the key is not ours). */
export function transportAction(event) {
  const target = event.composedPath?.()[0] ?? event.target;
  const tag = target?.tagName;
  if (tag === "SELECT" || tag === "TEXTAREA" || (tag === "INPUT" && target.type !== "range")) return null;
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case " ":
      // Space on a button presses it; everywhere else in the timeline it plays or pauses.
      return tag === "BUTTON" ? null : "toggle";
    case "ArrowLeft":
      return event.shiftKey ? "back" : "previous";
    case "ArrowRight":
      return event.shiftKey ? "forward" : "next";
    case "Home":
      return "start";
    case "End":
      return "end";
    default:
      return null;
  }
}

export class TimelineTransport {
  /** Builds the controls into `parent`; `act(action, value)` hears every request. */
  constructor(parent, act) {
    const el = (tag, attributes = {}, into = null) => {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      if (into) into.append(node);
      return node;
    };
    this.root = el("div", { class: "transport", role: "group", "aria-label": "Replay controls" }, parent);
    this.root.hidden = true;
    this.buttons = {};
    for (const [action, glyph, label] of BUTTONS) {
      const button = el(
        "button",
        { type: "button", "data-action": action, "aria-label": label, title: label },
        this.root,
      );
      button.textContent = glyph;
      button.addEventListener("click", () => act(action));
      this.buttons[action] = button;
    }
    this.scrubber = el(
      "input",
      { type: "range", class: "scrubber", min: "0", max: "1", step: "any", value: "0", "aria-label": "Time" },
      this.root,
    );
    this.scrubber.addEventListener("input", () => act("seek", Number(this.scrubber.value)));
    this.time = el("output", { class: "time", "aria-live": "off" }, this.root);
    const speedLabel = el("label", { class: "speed" }, this.root);
    speedLabel.append("Speed ");
    this.speed = el("select", { "aria-label": "Replay speed" }, speedLabel);
    for (const speed of SPEEDS) {
      const option = el("option", { value: String(speed) }, this.speed);
      option.textContent = `${speed}×`;
    }
    this.speed.addEventListener("change", () => act("speed", Number(this.speed.value)));
  }

  /** Shows the position: the scrubber, the time, and play or pause. */
  show({ t, endMs, playing, speed }) {
    this.root.hidden = false;
    const max = String(Math.max(endMs, 1));
    if (this.scrubber.max !== max) this.scrubber.max = max;
    // Leave the thumb alone while a finger or the mouse drags it.
    if (Number(this.scrubber.value) !== t) this.scrubber.value = String(t);
    this.scrubber.setAttribute("aria-valuetext", `${formatMoment(t)} of ${formatMoment(endMs)}`);
    this.time.textContent = `${formatMoment(t)} / ${formatMoment(endMs)}`;
    const toggle = this.buttons.toggle;
    toggle.textContent = playing ? "❚❚" : "▶";
    toggle.setAttribute("aria-label", playing ? "Pause (Space)" : "Play (Space)");
    toggle.title = toggle.getAttribute("aria-label");
    const value = String(speed);
    if (SPEEDS.map(String).includes(value) && this.speed.value !== value) this.speed.value = value;
  }

  hide() {
    this.root.hidden = true;
  }
}
