import type { LabelMatcher, Labels, SeriesSamples, SeriesSource } from '../core/series-source.js';
import { firstAtOrAfter, lastAtOrBefore } from './evaluator.js';
import { matchesAll } from './matchers.js';

/**
 * A SeriesSource over plain arrays: what tests and the differential harness feed the evaluator,
 * and a reference for stores that implement the contract. Samples must be sorted by time.
 */
export class MemorySeriesSource implements SeriesSource {
  private readonly series: SeriesSamples[];

  constructor(series: Iterable<{ labels: Labels; t: ArrayLike<number>; v: ArrayLike<number> }>) {
    this.series = [...series].map((s) => ({ labels: s.labels, t: Float64Array.from(s.t), v: Float64Array.from(s.v) }));
  }

  *select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesSamples> {
    for (const s of this.series) {
      if (!matchesAll(s.labels, matchers)) continue;
      const lo = firstAtOrAfter(s.t, mint);
      const hi = lastAtOrBefore(s.t, maxt) + 1;
      if (hi <= lo) continue;
      yield { labels: s.labels, t: s.t.subarray(lo, hi), v: s.v.subarray(lo, hi) };
    }
  }

  labelNames(mint = -Infinity, maxt = Infinity): string[] {
    const names = new Set<string>();
    for (const s of this.inRange(mint, maxt)) for (const n of Object.keys(s.labels)) names.add(n);
    return [...names].sort();
  }

  labelValues(name: string, mint = -Infinity, maxt = Infinity): string[] {
    const values = new Set<string>();
    for (const s of this.inRange(mint, maxt)) if (s.labels[name] !== undefined) values.add(s.labels[name]!);
    return [...values].sort();
  }

  private *inRange(mint: number, maxt: number): Iterable<SeriesSamples> {
    for (const s of this.series) if (lastAtOrBefore(s.t, maxt) >= firstAtOrAfter(s.t, mint)) yield s;
  }
}
