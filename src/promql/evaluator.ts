import { isStaleNaN, type SeriesSource } from '../core/series-source.js';
import type { AggregateExpr, BinaryExpr, CallExpr, Expr, MatrixSelector, SubqueryExpr, VectorSelector, AtModifier } from './ast.js';
import { aggregate, type GroupCache } from './aggregate.js';
import { scalarBinop, setBinop, vectorBinop, vectorScalarBinop, type SignatureCache } from './binary.js';
import { notSupported, promqlError } from './errors.js';
import { callInstant, absentMetric, type InstantArg } from './instant-functions.js';
import { dropName, makeMetric, type Metric } from './labels.js';
import { RANGE_FUNCTIONS, type Window } from './range-functions.js';
import type { PointSeries, Sample, StepValue } from './values.js';
import { SET_OPS } from './ast.js';

export interface EvalOptions {
  /** How far back an instant selector looks for a sample (ms); Prometheus' default is 5 minutes. */
  lookbackDeltaMs?: number;
  /** A subquery's step when it names none (ms): Prometheus' global evaluation interval, 1 minute by default. */
  defaultSubqueryStepMs?: number;
}

interface Loaded {
  metric: Metric;
  t: ArrayLike<number>;
  v: ArrayLike<number>;
}

/**
 * Evaluates an AST at one step at a time, the way Prometheus' engine does per step: every selector
 * reads its series once for the whole query (the time span is worked out up front), then each step
 * looks up its samples by binary search. Subquery steps are memoized, so overlapping windows of a
 * range query do not evaluate the same inner step twice.
 */
export class Evaluator {
  private readonly lookback: number;
  private readonly subStep: number;
  private readonly spans = new Map<VectorSelector, [number, number]>();
  private readonly data = new Map<VectorSelector, Loaded[]>();
  private readonly rangeData = new Map<VectorSelector, Loaded[]>();
  private readonly subqueryMemo = new Map<SubqueryExpr, Map<number, Sample[]>>();
  private readonly groupCaches = new WeakMap<AggregateExpr, GroupCache>();
  private readonly sigCaches = new WeakMap<BinaryExpr, SignatureCache>();
  private readonly nameDrops = new WeakMap<Expr, WeakMap<Metric, Metric>>();
  /** Per range-function call and unary minus: which input series made each output label set, over all steps. */
  private readonly origins = new WeakMap<Expr, Map<string, string>>();

  constructor(
    private readonly source: SeriesSource,
    private readonly start: number,
    private readonly end: number,
    opts: EvalOptions = {},
  ) {
    this.lookback = opts.lookbackDeltaMs ?? 300_000;
    this.subStep = opts.defaultSubqueryStepMs ?? 60_000;
  }

  /** Works out each selector's time span over the whole query, then reads every selector once. */
  prepare(root: Expr): void {
    this.collect(root, this.start, this.end);
    for (const [sel, [mint, maxt]] of this.spans) {
      const loaded: Loaded[] = [];
      for (const s of this.source.select(sel.matchers, mint, maxt)) loaded.push({ metric: makeMetric(s.labels), t: s.t, v: s.v });
      loaded.sort((a, b) => (a.metric.key < b.metric.key ? -1 : a.metric.key > b.metric.key ? 1 : 0));
      this.data.set(sel, loaded);
    }
  }

  private atTime(at: AtModifier | undefined): number | undefined {
    if (!at) return undefined;
    return at.at === 'start' ? this.start : at.at === 'end' ? this.end : at.at;
  }

  private widen(sel: VectorSelector, mint: number, maxt: number): void {
    const cur = this.spans.get(sel);
    this.spans.set(sel, cur ? [Math.min(cur[0], mint), Math.max(cur[1], maxt)] : [mint, maxt]);
  }

  private collect(e: Expr, lo: number, hi: number): void {
    switch (e.kind) {
      case 'vector': {
        const at = this.atTime(e.at);
        const [a, b] = at === undefined ? [lo, hi] : [at, at];
        this.widen(e, a - e.offset - this.lookback, b - e.offset);
        return;
      }
      case 'matrix': {
        const at = this.atTime(e.selector.at);
        const [a, b] = at === undefined ? [lo, hi] : [at, at];
        this.widen(e.selector, a - e.selector.offset - e.range, b - e.selector.offset);
        return;
      }
      case 'subquery': {
        const at = this.atTime(e.at);
        const [a, b] = at === undefined ? [lo, hi] : [at, at];
        this.collect(e.expr, a - e.offset - e.range, b - e.offset);
        return;
      }
      case 'call':
        for (const a of e.args) this.collect(a, lo, hi);
        return;
      case 'aggregate':
        this.collect(e.expr, lo, hi);
        if (e.param) this.collect(e.param, lo, hi);
        return;
      case 'binary':
        this.collect(e.lhs, lo, hi);
        this.collect(e.rhs, lo, hi);
        return;
      case 'unary':
      case 'paren':
        this.collect(e.expr, lo, hi);
        return;
      default:
        return;
    }
  }

  eval(e: Expr, ts: number): StepValue {
    switch (e.kind) {
      case 'number':
        return { type: 'scalar', v: e.value };
      case 'string':
        return { type: 'string', v: e.value };
      case 'paren':
        return this.eval(e.expr, ts);
      case 'vector':
        return { type: 'vector', v: this.vectorSelector(e, ts) };
      case 'matrix':
        return { type: 'matrix', v: this.matrixSeries(e, ts) };
      case 'subquery':
        return { type: 'matrix', v: this.subquerySeries(e, ts).map((s) => s.series) };
      case 'unary': {
        const v = this.eval(e.expr, ts);
        if (e.op === '+') return v;
        if (v.type === 'scalar') return { type: 'scalar', v: -v.v };
        const out = (v.v as Sample[]).map((s) => ({ metric: this.dropNameCached(e, s.metric), v: -s.v, t: ts }));
        return { type: 'vector', v: out };
      }
      case 'binary':
        return this.binary(e, ts);
      case 'aggregate':
        return this.aggregate(e, ts);
      case 'call':
        return this.call(e, ts);
    }
  }

  /**
   * Prometheus checks the output of range functions and unary minus for duplicate label sets over
   * the whole evaluated range, not per step: two series that collide once the name is dropped fail
   * even when they never overlap in time.
   */
  private checkOrigin(e: Expr, out: Metric, input: Metric): void {
    let m = this.origins.get(e);
    if (!m) this.origins.set(e, (m = new Map()));
    const prev = m.get(out.key);
    if (prev === undefined) m.set(out.key, input.key);
    else if (prev !== input.key) promqlError('vector cannot contain metrics with the same labelset');
  }

  private dropNameCached(e: Expr, m: Metric): Metric {
    let c = this.nameDrops.get(e);
    if (!c) this.nameDrops.set(e, (c = new WeakMap()));
    let d = c.get(m);
    if (!d) {
      c.set(m, (d = dropName(m)));
      // Once per input series is enough: the check compares series, not steps.
      this.checkOrigin(e, d, m);
    }
    return d;
  }

  private vectorSelector(sel: VectorSelector, ts: number): Sample[] {
    const ref = (this.atTime(sel.at) ?? ts) - sel.offset;
    const out: Sample[] = [];
    for (const s of this.data.get(sel) ?? []) {
      const i = lastAtOrBefore(s.t, ref);
      if (i < 0) continue;
      const t = s.t[i]!;
      if (t < ref - this.lookback) continue;
      const v = s.v[i]!;
      if (isStaleNaN(v)) continue;
      out.push({ metric: s.metric, v, t });
    }
    return out;
  }

  /** A range selector's series with staleness markers taken out (they end series, they are not samples). */
  private rangeSeries(sel: VectorSelector): Loaded[] {
    let r = this.rangeData.get(sel);
    if (!r) {
      r = (this.data.get(sel) ?? []).map((s) => {
        let stale = 0;
        for (let i = 0; i < s.v.length; i++) if (isStaleNaN(s.v[i]!)) stale++;
        if (stale === 0) return s;
        const t: number[] = [];
        const v: number[] = [];
        for (let i = 0; i < s.v.length; i++) {
          if (!isStaleNaN(s.v[i]!)) {
            t.push(s.t[i]!);
            v.push(s.v[i]!);
          }
        }
        return { metric: s.metric, t, v };
      });
      this.rangeData.set(sel, r);
    }
    return r;
  }

  /** The window bounds of a range selector or subquery at a step: [rangeStart, rangeEnd] in ms. */
  private windowOf(at: AtModifier | undefined, offset: number, range: number, ts: number): [number, number] {
    const end = (this.atTime(at) ?? ts) - offset;
    return [end - range, end];
  }

  private matrixSeries(m: MatrixSelector, ts: number): PointSeries[] {
    const [mint, maxt] = this.windowOf(m.selector.at, m.selector.offset, m.range, ts);
    const out: PointSeries[] = [];
    for (const s of this.rangeSeries(m.selector)) {
      const lo = firstAtOrAfter(s.t, mint);
      const hi = lastAtOrBefore(s.t, maxt) + 1;
      if (hi <= lo) continue;
      out.push({ metric: s.metric, t: Array.prototype.slice.call(s.t, lo, hi) as number[], v: Array.prototype.slice.call(s.v, lo, hi) as number[] });
    }
    return out;
  }

  /** A subquery's points in its window at this step, one series per label set. */
  private subquerySeries(q: SubqueryExpr, ts: number): Array<{ series: PointSeries }> {
    const [mint, maxt] = this.windowOf(q.at, q.offset, q.range, ts);
    const step = q.step || this.subStep;
    let memo = this.subqueryMemo.get(q);
    if (!memo) this.subqueryMemo.set(q, (memo = new Map()));
    const bySeries = new Map<string, { metric: Metric; t: number[]; v: number[] }>();
    for (let t = Math.ceil(mint / step) * step; t <= maxt; t += step) {
      let vec = memo.get(t);
      if (!vec) {
        const v = this.eval(q.expr, t);
        if (v.type !== 'vector') return promqlError('subquery is only allowed on instant vector');
        vec = v.v;
        memo.set(t, vec);
      }
      for (const s of vec) {
        let ser = bySeries.get(s.metric.key);
        if (!ser) bySeries.set(s.metric.key, (ser = { metric: s.metric, t: [], v: [] }));
        ser.t.push(t);
        ser.v.push(s.v);
      }
    }
    return [...bySeries.values()].map((series) => ({ series }));
  }

  private binary(e: BinaryExpr, ts: number): StepValue {
    const l = this.eval(e.lhs, ts);
    const r = this.eval(e.rhs, ts);
    if (l.type === 'scalar' && r.type === 'scalar') return { type: 'scalar', v: scalarBinop(e.op, l.v, r.v) };
    let cache = this.sigCaches.get(e);
    if (!cache) this.sigCaches.set(e, (cache = new WeakMap()));
    let out: Sample[];
    if (l.type === 'vector' && r.type === 'vector') {
      out = SET_OPS.has(e.op) ? setBinop(e, l.v, r.v, cache) : vectorBinop(e, l.v, r.v, cache, ts);
    } else if (l.type === 'vector' && r.type === 'scalar') out = vectorScalarBinop(e, l.v, r.v, false, ts);
    else if (l.type === 'scalar' && r.type === 'vector') out = vectorScalarBinop(e, r.v, l.v, true, ts);
    else return promqlError('binary expression must contain only scalar and instant vector types');
    return { type: 'vector', v: checkUnique(out) };
  }

  private aggregate(e: AggregateExpr, ts: number): StepValue {
    let param: number | string | undefined;
    if (e.param) {
      const p = this.eval(e.param, ts);
      param = p.type === 'scalar' || p.type === 'string' ? p.v : promqlError('aggregation parameter must be a scalar or string');
    }
    const v = this.eval(e.expr, ts);
    if (v.type !== 'vector') return promqlError('expected instant vector in aggregation');
    let cache = this.groupCaches.get(e);
    if (!cache) this.groupCaches.set(e, (cache = new WeakMap()));
    return { type: 'vector', v: aggregate(e, v.v, param, cache, ts) };
  }

  private call(e: CallExpr, ts: number): StepValue {
    const rangeFn = RANGE_FUNCTIONS[e.func];
    const matrixArg = e.args.findIndex((a) => unparen(a).kind === 'matrix' || unparen(a).kind === 'subquery');
    if (matrixArg >= 0) return { type: 'vector', v: this.callOverRange(e, matrixArg, ts) };
    if (rangeFn) return notSupported(`${e.func} over this argument`);
    const args: InstantArg[] = [];
    for (const a of e.args) {
      const v = this.eval(a, ts);
      if (v.type === 'matrix') return promqlError(`unexpected range vector in ${e.func}()`);
      args.push(v.v);
    }
    // timestamp() of a plain selector reads the samples' own times; of anything else, the step's.
    if (e.func === 'timestamp' && unparen(e.args[0]!).kind !== 'vector') args[0] = (args[0] as Sample[]).map((s) => ({ ...s, t: ts }));
    const out = callInstant(e.func, args, e.args, ts);
    if (typeof out === 'number') return { type: 'scalar', v: out };
    return { type: 'vector', v: checkUnique(out) };
  }

  private callOverRange(e: CallExpr, idx: number, ts: number): Sample[] {
    const params: number[] = [];
    e.args.forEach((a, i) => {
      if (i === idx) return;
      const v = this.eval(a, ts);
      params.push(v.type === 'scalar' ? v.v : NaN);
    });
    const arg = unparen(e.args[idx]!) as MatrixSelector | SubqueryExpr;
    const out: Sample[] = [];
    const keepName = e.func === 'last_over_time';
    if (e.func === 'absent_over_time') {
      const any = arg.kind === 'matrix' ? this.matrixSeries(arg, ts).length > 0 : this.subquerySeries(arg, ts).length > 0;
      return any ? [] : [{ metric: absentMetric(arg), v: 1, t: ts }];
    }
    const fn = RANGE_FUNCTIONS[e.func] ?? notSupported(`function ${e.func} over a range`);
    const push = (metric: Metric, w: Window) => {
      const v = fn(w);
      if (v === undefined) return;
      // last_over_time keeps the name, so its series stay as distinct as its input's.
      out.push({ metric: keepName ? metric : this.dropNameCached(e, metric), v, t: ts });
    };
    if (arg.kind === 'matrix') {
      const [mint, maxt] = this.windowOf(arg.selector.at, arg.selector.offset, arg.range, ts);
      for (const s of this.rangeSeries(arg.selector)) {
        const lo = firstAtOrAfter(s.t, mint);
        const hi = lastAtOrBefore(s.t, maxt) + 1;
        if (hi <= lo) continue;
        push(s.metric, { t: s.t, v: s.v, lo, hi, ts, rangeStart: mint, rangeEnd: maxt, range: arg.range, params });
      }
    } else {
      const [mint, maxt] = this.windowOf(arg.at, arg.offset, arg.range, ts);
      for (const { series: s } of this.subquerySeries(arg, ts)) {
        push(s.metric, { t: s.t, v: s.v, lo: 0, hi: s.t.length, ts, rangeStart: mint, rangeEnd: maxt, range: arg.range, params });
      }
    }
    return out;
  }
}

function unparen(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

export function checkUnique(vec: Sample[]): Sample[] {
  if (vec.length < 2) return vec;
  const seen = new Set<string>();
  for (const s of vec) {
    if (seen.has(s.metric.key)) promqlError('vector cannot contain metrics with the same labelset');
    seen.add(s.metric.key);
  }
  return vec;
}

/** Index of the last element <= x, or -1. */
export function lastAtOrBefore(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first element >= x (length when none). */
export function firstAtOrAfter(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
