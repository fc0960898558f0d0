// The time axis: maps milliseconds since the run started to x pixels, grows
// while a run is live, and picks round tick steps (1, 2, 2.5, 5 × 10^k ms).

const STEP_FACTORS = [1, 2, 2.5, 5];
/** A live run starts with this domain and doubles it whenever time runs past the edge. */
export const INITIAL_DOMAIN_MS = 1000;
/** A finished run keeps a little air after its last event so end marks stay visible. */
const FIT_HEADROOM = 1.04;

export class TimeScale {
  /**
   * @param {number} domainMs time shown at the right edge of the plot
   * @param {number} left x of t = 0
   * @param {number} right x of t = domainMs
   */
  constructor(domainMs = INITIAL_DOMAIN_MS, left = 0, right = 100) {
    this.domainMs = domainMs;
    this.left = left;
    this.right = right;
  }

  x(t) {
    return this.left + (t / this.domainMs) * (this.right - this.left);
  }

  /** Doubles the domain until `t` fits; true when it changed (everything must be redrawn). */
  growTo(t) {
    let changed = false;
    while (t > this.domainMs) {
      this.domainMs *= 2;
      changed = true;
    }
    return changed;
  }

  /** The domain for a finished run that ends at `endMs`. */
  fit(endMs) {
    this.domainMs = Math.max(endMs * FIT_HEADROOM, 1);
  }

  /** Round tick times from 0 to the domain, about one per `minGapPx` pixels. */
  ticks(minGapPx = 70) {
    const width = Math.max(this.right - this.left, 1);
    const step = niceStep((this.domainMs * minGapPx) / width);
    const ticks = [];
    for (let t = 0; t <= this.domainMs + step * 1e-9; t += step) ticks.push(t);
    return { step, ticks };
  }
}

/** The smallest round step (1, 2, 2.5 or 5 × 10^k ms, at least 1 ms) not below `rawStep`. */
export function niceStep(rawStep) {
  if (!(rawStep > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  for (const factor of STEP_FACTORS) {
    if (factor * magnitude >= rawStep) return factor * magnitude;
  }
  return 10 * magnitude;
}
