import type { Sample } from './split-runs.js';

/**
 * One value per column for block bars and sparklines: the largest sample in the column (spikes
 * survive downsampling), else the line between the two samples around the column's middle, else
 * null (a gap). Columns split [start, end] evenly.
 */
export function columnValues(runs: readonly Sample[][], start: number, end: number, cols: number): Array<number | null> {
  const out: Array<number | null> = new Array<number | null>(cols).fill(null);
  const span = end - start;
  if (cols <= 0 || !(span > 0)) return out;
  const at = (t: number) => ((t - start) / span) * cols;
  for (const run of runs) {
    for (const [t, v] of run) {
      if (t < start || t > end) continue;
      const c = Math.min(cols - 1, Math.floor(at(t)));
      const old = out[c];
      out[c] = old === null || old === undefined ? v : Math.max(old, v);
    }
  }
  const sampled = out.map((v) => v !== null);
  for (const run of runs) {
    for (let i = 1; i < run.length; i++) {
      const [ta, va] = run[i - 1]!;
      const [tb, vb] = run[i]!;
      const from = Math.max(0, Math.floor(at(ta)) + 1);
      const to = Math.min(cols - 1, Math.ceil(at(tb)) - 1);
      for (let c = from; c <= to; c++) {
        if (sampled[c]) continue;
        const tc = start + ((c + 0.5) / cols) * span;
        if (tc < ta || tc > tb) continue;
        const v = va + ((vb - va) * (tc - ta)) / (tb - ta);
        const old = out[c];
        out[c] = old === null || old === undefined ? v : Math.max(old, v);
      }
    }
  }
  return out;
}
