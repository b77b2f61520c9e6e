import { BLOCKS } from './block-plot.js';

/** One block character per value, scaled between the values' own min and max; null is a blank. */
export function sparkline(values: ReadonlyArray<number | null>): string {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      // A flat series sits mid-height, as the full chart draws it.
      const level = max > min ? Math.round(((v / 2 - min / 2) / (max / 2 - min / 2)) * 7) : 3;
      return BLOCKS[Math.max(0, Math.min(7, level))]!;
    })
    .join('');
}
