import { promqlError } from './errors.js';

/**
 * The functions over a range of samples (`rate`, `*_over_time`, ...), as Prometheus 2.42 computes
 * them. Each gets one series' window as index bounds into its arrays (no copying) and answers a
 * value, or undefined for "no output for this series at this step".
 */
export interface Window {
  t: ArrayLike<number>;
  v: ArrayLike<number>;
  /** First index in the window. */
  lo: number;
  /** One past the last index. */
  hi: number;
  /** The evaluation time (ms), and the window's bounds after offset and @. */
  ts: number;
  rangeStart: number;
  rangeEnd: number;
  /** The selector's range in ms. */
  range: number;
  /** Scalar arguments besides the range, evaluated at this step. */
  params: number[];
}

export type RangeFunction = (w: Window) => number | undefined;

export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  // Neumaier: keep the lost low-order bits of whichever operand is smaller.
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): number | undefined {
  const { t, v, lo, hi } = w;
  const n = hi - lo;
  if (n < 2) return undefined;
  const first = v[lo]!;
  const last = v[hi - 1]!;
  let result = last - first;
  if (isCounter) {
    let prev = 0;
    for (let i = lo; i < hi; i++) {
      if (v[i]! < prev) result += prev;
      prev = v[i]!;
    }
  }
  let durationToStart = (t[lo]! - w.rangeStart) / 1000;
  const durationToEnd = (w.rangeEnd - t[hi - 1]!) / 1000;
  const sampledInterval = (t[hi - 1]! - t[lo]!) / 1000;
  const avgBetween = sampledInterval / (n - 1);
  if (isCounter && result > 0 && first >= 0) {
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = avgBetween * 1.1;
  let interval = sampledInterval;
  interval += durationToStart < threshold ? durationToStart : avgBetween / 2;
  interval += durationToEnd < threshold ? durationToEnd : avgBetween / 2;
  let factor = interval / sampledInterval;
  if (isRate) factor /= w.range / 1000;
  return result * factor;
}

function instantValue(w: Window, isRate: boolean): number | undefined {
  const { t, v, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  const last = v[hi - 1]!;
  const prev = v[hi - 2]!;
  let result = isRate && last < prev ? last : last - prev;
  const interval = t[hi - 1]! - t[hi - 2]!;
  if (interval === 0) return undefined;
  if (isRate) result /= interval / 1000;
  return result;
}

/** Least squares over (seconds since interceptTime, value), Kahan-summed. */
export function linearRegression(w: Window, interceptTime: number): [number, number] {
  const { t, v, lo, hi } = w;
  let n = 0;
  let sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = v[lo]!;
  let constY = true;
  for (let i = lo; i < hi; i++) {
    const y = v[i]!;
    if (constY && i > lo && y !== initY) constY = false;
    n++;
    const x = (t[i]! - interceptTime) / 1000;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(y, sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

/** Prometheus' quantile over plain values (φ outside [0, 1] gives ∓Inf). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  goSortByValue(values);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

/** Go's sort.Sort with Prometheus' value order (NaN counts as smallest); insertion sort is what Go runs for short inputs. */
function goSortByValue(values: number[]): void {
  const less = (a: number, b: number) => Number.isNaN(a) || a < b;
  if (values.some(Number.isNaN)) {
    for (let i = 1; i < values.length; i++) {
      for (let j = i; j > 0 && less(values[j]!, values[j - 1]!); j--) [values[j], values[j - 1]] = [values[j - 1]!, values[j]!];
    }
  } else values.sort((a, b) => a - b);
}

function aggr(f: (v: ArrayLike<number>, lo: number, hi: number) => number): RangeFunction {
  return (w) => (w.hi > w.lo ? f(w.v, w.lo, w.hi) : undefined);
}

function variance(v: ArrayLike<number>, lo: number, hi: number): number {
  let count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
  for (let i = lo; i < hi; i++) {
    const x = v[i]!;
    count++;
    const delta = x - (mean + cMean);
    [mean, cMean] = kahanSumInc(delta / count, mean, cMean);
    [aux, cAux] = kahanSumInc(delta * (x - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

export const RANGE_FUNCTIONS: Readonly<Record<string, RangeFunction>> = {
  rate: (w) => extrapolatedRate(w, true, true),
  increase: (w) => extrapolatedRate(w, true, false),
  delta: (w) => extrapolatedRate(w, false, false),
  irate: (w) => instantValue(w, true),
  idelta: (w) => instantValue(w, false),
  deriv: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.t[w.lo]!)[0]),
  predict_linear: (w) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w, w.ts);
    return slope * w.params[0]! + intercept;
  },
  changes: aggr((v, lo, hi) => {
    let changes = 0;
    for (let i = lo + 1; i < hi; i++) {
      const cur = v[i]!;
      const prev = v[i - 1]!;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
    }
    return changes;
  }),
  resets: aggr((v, lo, hi) => {
    let resets = 0;
    for (let i = lo + 1; i < hi; i++) if (v[i]! < v[i - 1]!) resets++;
    return resets;
  }),
  avg_over_time: aggr((v, lo, hi) => {
    let mean = 0, count = 0, c = 0;
    for (let i = lo; i < hi; i++) {
      const x = v[i]!;
      count++;
      if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
        if (!Number.isFinite(x) && !Number.isNaN(x) && mean > 0 === x > 0) continue;
        if (Number.isFinite(x)) continue;
      }
      [mean, c] = kahanSumInc(x / count - mean / count, mean, c);
    }
    return !Number.isFinite(mean) && !Number.isNaN(mean) ? mean : mean + c;
  }),
  sum_over_time: aggr((v, lo, hi) => {
    let sum = 0, c = 0;
    for (let i = lo; i < hi; i++) [sum, c] = kahanSumInc(v[i]!, sum, c);
    return !Number.isFinite(sum) && !Number.isNaN(sum) ? sum : sum + c;
  }),
  count_over_time: aggr((_v, lo, hi) => hi - lo),
  min_over_time: aggr((v, lo, hi) => {
    let min = v[lo]!;
    for (let i = lo; i < hi; i++) if (v[i]! < min || Number.isNaN(min)) min = v[i]!;
    return min;
  }),
  max_over_time: aggr((v, lo, hi) => {
    let max = v[lo]!;
    for (let i = lo; i < hi; i++) if (v[i]! > max || Number.isNaN(max)) max = v[i]!;
    return max;
  }),
  last_over_time: aggr((v, _lo, hi) => v[hi - 1]!),
  present_over_time: aggr(() => 1),
  stddev_over_time: aggr((v, lo, hi) => Math.sqrt(variance(v, lo, hi))),
  stdvar_over_time: aggr(variance),
  holt_winters: (w) => {
    const [sf, tf] = w.params as [number, number];
    if (sf <= 0 || sf >= 1) promqlError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
    if (tf <= 0 || tf >= 1) promqlError(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
    if (w.hi - w.lo < 2) return undefined;
    const { v, lo, hi } = w;
    // Double exponential smoothing: s is the level, b the trend, both seeded from the first two samples.
    let s0 = 0;
    let s1 = v[lo]!;
    let b = v[lo + 1]! - v[lo]!;
    for (let i = lo + 1; i < hi; i++) {
      const x = sf * v[i]!;
      if (i > lo + 1) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  },
  quantile_over_time: (w) => {
    if (w.hi <= w.lo) return undefined;
    const values: number[] = [];
    for (let i = w.lo; i < w.hi; i++) values.push(w.v[i]!);
    return quantile(w.params[0]!, values);
  },
};
