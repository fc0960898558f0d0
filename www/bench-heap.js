// JS heap readings for the benchmark pages (bench.js, bench-pyodide.js):
// Chromium's performance.memory, NaN elsewhere.

/** The JS heap in use, in bytes, or NaN where the browser does not say. */
export const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : NaN);

/** Samples the JS heap every 50 ms while fn runs; returns fn's value and the peak. */
export async function withPeakHeap(fn) {
  let peak = heap();
  const timer = setInterval(() => {
    peak = Math.max(peak, heap());
  }, 50);
  try {
    const value = await fn();
    peak = Math.max(peak, heap());
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}
