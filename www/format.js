// Text for every time, value, ratio and overhead the page shows: results,
// status line, timeline axis, tooltips, readout and histograms. One place
// decides the precision so they all agree with each other.
import { idealText } from "./io-ideal.js";

/** "2.00 s" from one second up, "250 ms" or "1.5 ms" below: enough digits to see overhead. */
export function formatTime(ms) {
  if (!Number.isFinite(ms)) return "–";
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) >= 10 || Number.isInteger(ms)) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/**
 * "10,000": an integer with thousands separators, as `toLocaleString("en-US")`
 * writes it, without Intl (a page's first Intl number format sets ICU up: about
 * 15 ms, and Run ×N's seed menu is filled before the element is ready).
 */
export function formatCount(n) {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** "3.01 s (ideal 3.00 s, +0.3 %)"; with real I/O, "512 ms (ideal unknown: real I/O)". */
export function formatTiming(elapsedMs, idealMs, readsIo = false) {
  const elapsed = formatTime(elapsedMs);
  if (readsIo || !(idealMs > 0)) return `${elapsed} (${idealText(idealMs ?? 0, readsIo, formatTime)})`;
  return `${elapsed} (ideal ${formatTime(idealMs)}, ${formatOverhead(elapsedMs, idealMs)})`;
}

/** "6.0 s", "300 ms": the coarse form used in sentences like the comparison. */
export function formatShortTime(ms) {
  if (!Number.isFinite(ms)) return "–";
  return Math.abs(ms) >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/**
 * An axis tick. Runs longer than a second and a half read in seconds, with
 * as many decimals as the step needs ("0.5 s", "1.25 s"); shorter ones in ms.
 */
export function formatTick(ms, stepMs, domainMs) {
  if (ms === 0) return "0";
  if (domainMs <= 1500) return `${Math.round(ms)} ms`;
  let decimals = 0;
  while (decimals < 3 && !Number.isInteger(Math.round((stepMs / 1000) * 10 ** decimals * 1e6) / 1e6)) decimals++;
  return `${(ms / 1000).toFixed(decimals)} s`;
}

/** Values are program numbers: integers as written, fractions to 3 significant digits. */
export function formatValue(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(3)));
}

/** "+0.3 %": how much longer than ideal a run took (never "NaN %" for a zero ideal). */
export function formatOverhead(elapsedMs, idealMs) {
  if (!(idealMs > 0)) return elapsedMs > 0 ? `+${formatTime(elapsedMs)}` : "+0.0 %";
  const percent = ((elapsedMs - idealMs) / idealMs) * 100;
  const sign = percent < 0 ? "−" : "+";
  return `${sign}${Math.abs(percent).toFixed(1)} %`;
}

/** "2.0×": how many times faster the current run is than the previous one. */
export function formatRatio(previousMs, currentMs) {
  if (!(currentMs > 0) || !(previousMs > 0)) return "–";
  return `${(previousMs / currentMs).toFixed(1)}×`;
}

/** "1.500 s": a moment of a run, to the millisecond, as the narration says it. */
export function formatMoment(ms) {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(3)} s` : "–";
}

/** "1.5s", "1500ms" or "1500" (ms) → milliseconds; null for anything else. */
export function parseMoment(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(text ?? "");
  if (!match) return null;
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
}

/** "sequential 6.0 s vs gather 3.0 s, 2.0×": the comparison, as the status line and the timeline say it. */
export function comparisonSentence(previous, current) {
  return `${previous.label} ${formatShortTime(previous.elapsedMs)} vs ${current.label} ${formatShortTime(current.elapsedMs)}, ${formatRatio(previous.elapsedMs, current.elapsedMs)}`;
}
