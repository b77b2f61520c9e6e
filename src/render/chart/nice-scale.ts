/** A y axis: the plotted range [lo, hi] and the tick values on it, `step` apart. */
export interface NiceScale {
  lo: number;
  hi: number;
  step: number;
  ticks: number[];
}

const MANTISSAS = [1, 2, 2.5, 5];

/**
 * Widens [min, max] to round numbers with at most `maxTicks` (≥ 2) ticks on round values. An empty
 * range (every value equal) gets a small range around the value, so a flat line sits mid-axis.
 */
export function niceScale(min: number, max: number, maxTicks: number): NiceScale {
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    [min, max] = [min - pad, max + pad];
  }
  const n = Math.max(2, Math.floor(maxTicks));
  const span = max - min;
  if (!Number.isFinite(span)) return { lo: min, hi: max, step: NaN, ticks: [min, max] };
  const start = Math.floor(Math.log10(span / (n - 1))) - 1;
  for (let k = start; k < start + 4; k++) {
    for (const m of MANTISSAS) {
      const step = m * 10 ** k;
      const first = Math.floor(min / step + 1e-9);
      const last = Math.ceil(max / step - 1e-9);
      const count = last - first + 1;
      if (count <= n && count >= 2) {
        const ticks = Array.from({ length: count }, (_, i) => (first + i) * step);
        const lo = ticks[0]!;
        const hi = ticks[ticks.length - 1]!;
        if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) return { lo, hi, step, ticks };
      }
    }
  }
  return { lo: min, hi: max, step: NaN, ticks: [min, max] };
}
