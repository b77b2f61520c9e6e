import type { AggregateExpr } from './ast.js';
import { promqlError } from './errors.js';
import { formatValue } from './format.js';
import { dropName, isValidLabelName, keepLabels, keyOf, makeMetric, withoutLabels, type Metric } from './labels.js';
import { quantile } from './range-functions.js';
import type { Sample } from './values.js';

interface Group {
  metric: Metric;
  value: number;
  mean: number;
  count: number;
  heap: Sample[];
  values: number[];
}

/** Per aggregation node: each input metric's group key and output labels, computed once. */
export type GroupCache = WeakMap<Metric, { key: string; metric: Metric }>;

/** One step of an aggregation, with Prometheus 2.42's arithmetic (running mean, Welford, Go's heap for topk). */
export function aggregate(node: AggregateExpr, vec: Sample[], param: number | string | undefined, cache: GroupCache, ts: number): Sample[] {
  const { op, without } = node;
  let grouping = node.grouping;
  let k = 0;
  if (op === 'topk' || op === 'bottomk') {
    const f = param as number;
    if (!(f >= -9.223372036854776e18 && f <= 9.223372036854776e18)) promqlError(`Scalar value ${formatValue(f)} overflows int64`);
    k = Math.trunc(f);
    if (k < 1) return [];
  }
  const valueLabel = op === 'count_values' ? (param as string) : undefined;
  if (valueLabel !== undefined) {
    if (!isValidLabelName(valueLabel)) promqlError(`invalid label name ${JSON.stringify(valueLabel)}`);
    if (!without) grouping = [...grouping, valueLabel];
  }
  const groups = new Map<string, Group>();
  const ordered: Group[] = [];
  for (const s of vec) {
    let metric = s.metric;
    let info: { key: string; metric: Metric } | undefined;
    if (valueLabel !== undefined) {
      metric = makeMetric({ ...metric.labels, [valueLabel]: formatValue(s.v) });
      info = groupOf(metric, grouping, without);
    } else {
      info = cache.get(metric);
      if (!info) {
        info = groupOf(metric, grouping, without);
        cache.set(metric, info);
      }
    }
    const g = groups.get(info.key);
    if (!g) {
      const ng: Group = { metric: info.metric, value: s.v, mean: s.v, count: 1, heap: [], values: [] };
      if (op === 'stddev' || op === 'stdvar') ng.value = 0;
      else if (op === 'group') ng.value = 1;
      else if (op === 'topk' || op === 'bottomk') ng.heap.push(s);
      else if (op === 'quantile') ng.values.push(s.v);
      groups.set(info.key, ng);
      ordered.push(ng);
      continue;
    }
    switch (op) {
      case 'sum':
        g.value += s.v;
        break;
      case 'avg':
        g.count++;
        if (!Number.isFinite(g.mean) && !Number.isNaN(g.mean)) {
          if (!Number.isFinite(s.v) && !Number.isNaN(s.v) && g.mean > 0 === s.v > 0) break;
          if (Number.isFinite(s.v)) break;
        }
        g.mean += s.v / g.count - g.mean / g.count;
        break;
      case 'max':
        if (g.value < s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case 'min':
        if (g.value > s.v || Number.isNaN(g.value)) g.value = s.v;
        break;
      case 'count':
      case 'count_values':
        g.count++;
        break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        const delta = s.v - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (s.v - g.mean);
        break;
      }
      case 'topk':
      case 'bottomk': {
        const less = op === 'topk' ? lessTop : lessBottom;
        if (g.heap.length < k) heapPush(g.heap, s, less);
        // 2.42 replaces a NaN at the top even with another NaN (later versions keep it).
        else if ((op === 'topk' ? g.heap[0]!.v < s.v : g.heap[0]!.v > s.v) || Number.isNaN(g.heap[0]!.v)) {
          g.heap[0] = s;
          if (k > 1) heapFix(g.heap, 0, less);
        }
        break;
      }
      case 'quantile':
        g.values.push(s.v);
        break;
      case 'group':
        break;
    }
  }
  const out: Sample[] = [];
  for (const g of ordered) {
    let value = g.value;
    switch (op) {
      case 'avg':
        value = g.mean;
        break;
      case 'count':
      case 'count_values':
        value = g.count;
        break;
      case 'stdvar':
        value = g.value / g.count;
        break;
      case 'stddev':
        value = Math.sqrt(g.value / g.count);
        break;
      case 'topk':
      case 'bottomk': {
        const less = op === 'topk' ? lessTop : lessBottom;
        // Go sorts the heap with the order reversed; for these sizes that is a stable insertion sort.
        insertionSort(g.heap, (a, b) => less(b, a));
        for (const s of g.heap) out.push({ metric: s.metric, v: s.v, t: ts });
        continue;
      }
      case 'quantile':
        value = quantile(param as number, g.values);
        break;
    }
    out.push({ metric: g.metric, v: value, t: ts });
  }
  return out;
}

function groupOf(metric: Metric, grouping: readonly string[], without: boolean): { key: string; metric: Metric } {
  if (without) {
    return { key: keyOf(metric, grouping, false), metric: dropName(withoutLabels(metric, grouping)) };
  }
  return { key: keyOf(metric, grouping, true), metric: keepLabels(metric, grouping) };
}

type Less = (a: Sample, b: Sample) => boolean;
const lessTop: Less = (a, b) => Number.isNaN(a.v) || a.v < b.v;
const lessBottom: Less = (a, b) => Number.isNaN(a.v) || a.v > b.v;

// Go's container/heap, step for step: which of several equal values survive depends on it.
function heapPush(h: Sample[], s: Sample, less: Less): void {
  h.push(s);
  up(h, h.length - 1, less);
}

function heapFix(h: Sample[], i: number, less: Less): void {
  if (!down(h, i, h.length, less)) up(h, i, less);
}

function up(h: Sample[], j: number, less: Less): void {
  for (;;) {
    const i = Math.floor((j - 1) / 2);
    if (i === j || j <= 0 || !less(h[j]!, h[i]!)) break;
    [h[i], h[j]] = [h[j]!, h[i]!];
    j = i;
  }
}

function down(h: Sample[], i0: number, n: number, less: Less): boolean {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2]!, h[j1]!)) j = j2;
    if (!less(h[j]!, h[i]!)) break;
    [h[i], h[j]] = [h[j]!, h[i]!];
    i = j;
  }
  return i > i0;
}

export function insertionSort<T>(a: T[], less: (x: T, y: T) => boolean): void {
  for (let i = 1; i < a.length; i++) {
    for (let j = i; j > 0 && less(a[j]!, a[j - 1]!); j--) [a[j], a[j - 1]] = [a[j - 1]!, a[j]!];
  }
}
