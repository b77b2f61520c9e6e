import type { HistogramSnapshot } from './load-types.js';
import { SNAPSHOT_PERCENTILES } from './snapshot-percentiles.js';
import { decodeHistogram, encodeHistogram, newLatencyHistogram, type LatencyHistogram } from './latency-histogram.js';

/** What one recorder sends across the worker boundary: the histogram plus the exact extremes and sum. */
export interface WireLatency {
  encoded: string;
  count: number;
  min: number;
  max: number;
  sum: number;
}

/**
 * Latencies in microseconds: an HDR histogram for the percentiles, and beside it the exact min, max
 * and sum (a histogram keeps values only to its bucket precision, and a decoded one reports a
 * bucket's upper edge as its max). Merging adds bucket counts, so a merge of recorders is exactly
 * the recorder of all their values.
 */
export class LatencyStats {
  readonly histogram: LatencyHistogram;
  count = 0;
  min = Infinity;
  max = 0;
  sum = 0;

  constructor(histogram: LatencyHistogram = newLatencyHistogram()) {
    this.histogram = histogram;
  }

  record(us: number): void {
    const v = us < 1 ? 1 : Math.round(us);
    this.histogram.recordValue(v);
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  reset(): void {
    this.histogram.reset();
    this.count = 0;
    this.min = Infinity;
    this.max = 0;
    this.sum = 0;
  }

  wire(): WireLatency {
    return { encoded: encodeHistogram(this.histogram), count: this.count, min: this.count === 0 ? 0 : this.min, max: this.max, sum: this.sum };
  }

  add(w: WireLatency): void {
    if (w.count === 0) return;
    this.histogram.add(decodeHistogram(w.encoded));
    this.count += w.count;
    this.sum += w.sum;
    if (w.min < this.min) this.min = w.min;
    if (w.max > this.max) this.max = w.max;
  }

  static merge(parts: readonly WireLatency[]): LatencyStats {
    const total = new LatencyStats();
    for (const p of parts) total.add(p);
    return total;
  }

  /** Percentiles from the histogram (100 is the exact max), min, max and mean exact. */
  snapshot(): HistogramSnapshot {
    const n = this.count;
    const percentiles: Record<string, number> = {};
    for (const p of SNAPSHOT_PERCENTILES) percentiles[String(p)] = n === 0 ? 0 : p === 100 ? this.max : Math.min(this.histogram.getValueAtPercentile(p), this.max);
    return {
      count: n,
      min: n === 0 ? 0 : this.min,
      max: this.max,
      mean: n === 0 ? 0 : this.sum / n,
      stddev: n === 0 ? 0 : this.histogram.stdDeviation,
      percentiles,
      encoded: encodeHistogram(this.histogram),
    };
  }
}
