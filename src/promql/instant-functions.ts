import type { Expr } from './ast.js';
import { notSupported, promqlError } from './errors.js';
import { dropName, emptyMetric, isValidLabelName, makeMetric, type Metric } from './labels.js';
import { re2ToRegExp } from './regex.js';
import { insertionSort } from './aggregate.js';
import type { Sample } from './values.js';

/**
 * The functions over instant vectors and scalars, as Prometheus 2.42 computes them. `args` are the
 * evaluated arguments at this step: vectors as Sample[], scalars as numbers, strings as strings.
 */
export type InstantArg = Sample[] | number | string;

const LN10 = Math.LN10;
const LN2 = Math.LN2;

// Go's math.Log10 and Log2 are not JS's: same formulas here, so values match to the bit.
const goLog10 = (x: number) => Math.log(x) * (1 / LN10);
function goLog2(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Math.log2(x);
  let exp = Math.floor(Math.log2(x)) + 1;
  let frac = x / 2 ** exp;
  // frexp: frac in [0.5, 1)
  if (frac >= 1) {
    frac /= 2;
    exp++;
  } else if (frac < 0.5) {
    frac *= 2;
    exp--;
  }
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * (1 / LN2) + exp;
}

const MATH: Record<string, (v: number) => number> = {
  abs: Math.abs, ceil: Math.ceil, floor: Math.floor, exp: Math.exp, sqrt: Math.sqrt,
  ln: Math.log, log2: goLog2, log10: goLog10,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
};

function dateOf(seconds: number): Date {
  const d = new Date(Math.trunc(seconds) * 1000);
  if (Number.isNaN(d.getTime())) notSupported(`time functions on ${seconds} (outside JavaScript's date range)`);
  return d;
}

const DATE: Record<string, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_month: (d) => d.getUTCDate(),
  day_of_year: (d) => Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400_000) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

function simple(vec: Sample[], f: (v: number) => number, ts: number): Sample[] {
  return vec.map((s) => ({ metric: dropName(s.metric), v: f(s.v), t: ts }));
}

export function callInstant(func: string, args: InstantArg[], argExprs: Expr[], ts: number): Sample[] | number {
  const vec = () => args[0] as Sample[];
  const num = (i: number) => args[i] as number;
  const str = (i: number) => args[i] as string;
  if (func in MATH) return simple(vec(), MATH[func]!, ts);
  if (func in DATE) {
    const f = DATE[func]!;
    if (args.length === 0) return [{ metric: emptyMetric(), v: f(dateOf(Math.floor(ts / 1000))), t: ts }];
    return vec().map((s) => ({ metric: dropName(s.metric), v: f(dateOf(s.v)), t: ts }));
  }
  switch (func) {
    case 'time':
      return ts / 1000;
    case 'pi':
      return Math.PI;
    case 'scalar':
      return vec().length === 1 ? vec()[0]!.v : NaN;
    case 'vector':
      return [{ metric: emptyMetric(), v: num(0), t: ts }];
    case 'round': {
      const inverse = 1 / (args.length > 1 ? num(1) : 1);
      return simple(vec(), (v) => Math.floor(v * inverse + 0.5) / inverse, ts);
    }
    case 'clamp': {
      const [min, max] = [num(1), num(2)];
      if (max < min) return [];
      return simple(vec(), (v) => goMax(min, goMin(max, v)), ts);
    }
    case 'clamp_max':
      return simple(vec(), (v) => goMin(num(1), v), ts);
    case 'clamp_min':
      return simple(vec(), (v) => goMax(num(1), v), ts);
    case 'timestamp':
      return vec().map((s) => ({ metric: dropName(s.metric), v: s.t / 1000, t: ts }));
    case 'absent':
      return vec().length > 0 ? [] : [{ metric: absentMetric(argExprs[0]!), v: 1, t: ts }];
    case 'sort':
    case 'sort_desc': {
      const out = [...vec()];
      // Prometheus sorts the opposite order with NaN first, reversed, so NaN ends up last either way.
      const less = func === 'sort' ? (a: Sample, b: Sample) => Number.isNaN(b.v) || b.v > a.v : (a: Sample, b: Sample) => Number.isNaN(b.v) || b.v < a.v;
      insertionSort(out, less);
      return out;
    }
    case 'label_replace':
      return labelReplace(vec(), str(1), str(2), str(3), str(4), ts);
    case 'label_join':
      return labelJoin(vec(), str(1), str(2), args.slice(3) as string[], ts);
    case 'histogram_quantile':
      return histogramQuantile(num(0), args[1] as Sample[], ts);
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_fraction':
      // They read native histograms only; this store holds floats, so there is never an answer.
      return [];
    default:
      return notSupported(`function ${func}`);
  }
}

// Go's math.Min/Max: NaN wins, and -0 is below +0.
function goMin(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.min(a, b);
}
function goMax(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  return Math.max(a, b);
}

/** The labels absent() invents: the selector's equality matchers, minus any label matched otherwise too. */
export function absentMetric(e: Expr): Metric {
  while (e.kind === 'paren') e = e.expr;
  const matchers = e.kind === 'vector' ? e.matchers : e.kind === 'matrix' ? e.selector.matchers : [];
  const labels: Record<string, string> = {};
  const drop: string[] = [];
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !(m.name in labels)) labels[m.name] = m.value;
    else drop.push(m.name);
  }
  for (const n of drop) delete labels[n];
  return makeMetric(labels);
}

function labelReplace(vec: Sample[], dst: string, repl: string, src: string, regex: string, ts: number): Sample[] {
  const re = re2ToRegExp(regex);
  if (!isValidLabelName(dst)) promqlError(`invalid destination label name in label_replace(): ${dst}`);
  const cache = new Map<Metric, Metric>();
  return vec.map((s) => {
    let metric = cache.get(s.metric);
    if (!metric) {
      metric = s.metric;
      const m = re.exec(s.metric.labels[src] ?? '');
      if (m) {
        const res = expandTemplate(repl, m);
        const labels: Record<string, string> = { ...s.metric.labels };
        delete labels[dst];
        if (res !== '') labels[dst] = res;
        metric = makeMetric(labels);
      }
      cache.set(s.metric, metric);
    }
    return { metric, v: s.v, t: ts };
  });
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; a bad reference keeps the '$'. */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let len = 0;
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(template.slice(i + 1));
    const bare = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
    if (braced) [name, len] = [braced[1], braced[0].length];
    else if (bare) [name, len] = [bare[0], bare[0].length];
    if (name === undefined) {
      out += '$';
      continue;
    }
    i += len;
    if (/^[0-9]+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out;
}

function labelJoin(vec: Sample[], dst: string, sep: string, srcs: string[], ts: number): Sample[] {
  if (!isValidLabelName(dst)) promqlError(`invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) if (!isValidLabelName(s)) promqlError(`invalid source label name in label_join(): ${s}`);
  return vec.map((s) => {
    const value = srcs.map((n) => s.metric.labels[n] ?? '').join(sep);
    const labels: Record<string, string> = { ...s.metric.labels };
    if (value === '') delete labels[dst];
    else labels[dst] = value;
    return { metric: makeMetric(labels), v: s.v, t: ts };
  });
}

interface Bucket {
  upper: number;
  count: number;
}

function histogramQuantile(q: number, vec: Sample[], ts: number): Sample[] {
  const groups = new Map<string, { metric: Metric; buckets: Bucket[] }>();
  for (const s of vec) {
    const le = s.metric.labels.le;
    const upper = le === undefined ? NaN : parseGoFloat(le);
    if (upper === undefined || le === undefined) continue;
    const { le: _le, ...rest } = s.metric.labels;
    const key = makeMetric(rest).key;
    let g = groups.get(key);
    if (!g) {
      const { __name__: _n, ...noName } = rest;
      g = { metric: makeMetric(noName), buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upper, count: s.v });
  }
  return [...groups.values()].map((g) => ({ metric: g.metric, v: bucketQuantile(q, g.buckets), t: ts }));
}

/** Go's strconv.ParseFloat for a bucket bound; undefined when it would fail. */
function parseGoFloat(s: string): number | undefined {
  const t = s.trim() === s ? s : '';
  if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/i.test(t)) return NaN;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^[-+]?0[xX]/.test(t)) return notSupported(`hexadecimal bucket bounds (le="${s}")`);
  return undefined;
}

function bucketQuantile(q: number, buckets: Bucket[]): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  buckets.sort((a, b) => a.upper - b.upper);
  if (buckets[buckets.length - 1]!.upper !== Infinity) return NaN;
  // Buckets with the same bound (from different series) count once, summed.
  const merged: Bucket[] = [];
  for (const b of buckets) {
    const last = merged[merged.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else merged.push({ ...b });
  }
  let max = -Infinity;
  for (const b of merged) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (merged.length < 2) return NaN;
  const observations = merged[merged.length - 1]!.count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = merged.length - 1;
  for (let i = 0; i < merged.length - 1; i++) {
    if (merged[i]!.count >= rank) {
      b = i;
      break;
    }
  }
  if (b === merged.length - 1) return merged[merged.length - 2]!.upper;
  if (b === 0 && merged[0]!.upper <= 0) return merged[0]!.upper;
  let start = 0;
  const end = merged[b]!.upper;
  let count = merged[b]!.count;
  if (b > 0) {
    start = merged[b - 1]!.upper;
    count -= merged[b - 1]!.count;
    rank -= merged[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}
