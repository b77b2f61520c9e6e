import type { Labels } from '../core/series-source.js';

/**
 * A label set with its canonical key, made once per series and shared by every sample of it, so
 * per-step work compares keys instead of objects and derived label sets are cached per series.
 */
export interface Metric {
  readonly labels: Labels;
  /** Sorted name/value pairs joined by separators no label can hold unescaped. */
  readonly key: string;
}

const SEP = '\u0000';
const EMPTY: Metric = Object.freeze({ labels: Object.freeze({}), key: '' });

export function makeMetric(labels: Labels): Metric {
  const names = Object.keys(labels).filter((n) => labels[n] !== '').sort();
  if (names.length === 0) return EMPTY;
  const sorted: Record<string, string> = {};
  let key = '';
  for (const n of names) {
    sorted[n] = labels[n]!;
    key += n + SEP + labels[n] + SEP;
  }
  return { labels: Object.freeze(sorted), key };
}

export const emptyMetric = (): Metric => EMPTY;

const dropped = new WeakMap<Metric, Metric>();

/** The metric without `__name__`, cached per metric. */
export function dropName(m: Metric): Metric {
  if (m.labels.__name__ === undefined) return m;
  let d = dropped.get(m);
  if (!d) {
    const { __name__: _, ...rest } = m.labels;
    d = makeMetric(rest);
    dropped.set(m, d);
  }
  return d;
}

/** Only the named labels (Prometheus' labels.Keep / WithLabels). */
export function keepLabels(m: Metric, names: readonly string[]): Metric {
  const out: Record<string, string> = {};
  for (const n of names) if (m.labels[n] !== undefined) out[n] = m.labels[n]!;
  return makeMetric(out);
}

/** Every label but the named ones (the caller adds `__name__` when Prometheus drops it too). */
export function withoutLabels(m: Metric, names: readonly string[]): Metric {
  const out: Record<string, string> = { ...m.labels };
  for (const n of names) delete out[n];
  return makeMetric(out);
}

/** A key over just some labels: matching signatures and grouping keys. */
export function keyOf(m: Metric, names: readonly string[], on: boolean): string {
  let key = '';
  if (on) {
    for (const n of [...names].sort()) {
      const v = m.labels[n];
      if (v !== undefined) key += n + SEP + v + SEP;
    }
    return key;
  }
  for (const n of Object.keys(m.labels)) {
    if (n === '__name__' || names.includes(n)) continue;
    key += n + SEP + m.labels[n] + SEP;
  }
  return key;
}

export function compareMetrics(a: Metric, b: Metric): number {
  const an = Object.keys(a.labels);
  const bn = Object.keys(b.labels);
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    if (an[i] !== bn[i]) return an[i]! < bn[i]! ? -1 : 1;
    const av = a.labels[an[i]!]!;
    const bv = b.labels[bn[i]!]!;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return an.length - bn.length;
}

/** Prometheus' model.LabelName validity. */
export const isValidLabelName = (n: string): boolean => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(n);

export function metricString(m: Metric): string {
  const { __name__: name, ...rest } = m.labels;
  const inner = Object.entries(rest)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
}
