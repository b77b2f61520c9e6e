import { COMPARISON_OPS, type BinaryExpr, type BinaryOp, type VectorMatching } from './ast.js';
import { promqlError } from './errors.js';
import { dropName, keepLabels, keyOf, makeMetric, metricString, withoutLabels, type Metric } from './labels.js';
import type { Sample } from './values.js';

/** Go's math.Pow where it differs from JS's `**`: 1^y and x^0 are 1 even for NaN, (-1)^±Inf is 1. */
function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** The value of `lhs op rhs` and whether a filtering comparison keeps the element. */
export function elemBinop(op: BinaryOp, lhs: number, rhs: number): [number, boolean] {
  switch (op) {
    case '+': return [lhs + rhs, true];
    case '-': return [lhs - rhs, true];
    case '*': return [lhs * rhs, true];
    case '/': return [lhs / rhs, true];
    case '%': return [lhs % rhs, true];
    case '^': return [pow(lhs, rhs), true];
    case 'atan2': return [Math.atan2(lhs, rhs), true];
    case '==': return [lhs, lhs === rhs];
    case '!=': return [lhs, lhs !== rhs];
    case '>': return [lhs, lhs > rhs];
    case '<': return [lhs, lhs < rhs];
    case '>=': return [lhs, lhs >= rhs];
    case '<=': return [lhs, lhs <= rhs];
    default: return promqlError(`operator "${op}" not allowed for scalar operations`);
  }
}

export function scalarBinop(op: BinaryOp, lhs: number, rhs: number): number {
  const [v, keep] = elemBinop(op, lhs, rhs);
  return COMPARISON_OPS.has(op) ? (keep ? 1 : 0) : v;
}

const dropsName = (op: BinaryOp) => op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';

export function vectorScalarBinop(e: BinaryExpr, vec: Sample[], scalar: number, swap: boolean, ts: number): Sample[] {
  const out: Sample[] = [];
  const cmp = COMPARISON_OPS.has(e.op);
  for (const s of vec) {
    let [value, keep] = swap ? elemBinop(e.op, scalar, s.v) : elemBinop(e.op, s.v, scalar);
    // A comparison keeps the vector's value even when the scalar is on the left.
    if (cmp && swap) value = s.v;
    if (e.returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push({ metric: dropsName(e.op) || e.returnBool ? dropName(s.metric) : s.metric, v: value, t: ts });
  }
  return out;
}

/** Per binary node: each metric's matching signature, computed once. */
export type SignatureCache = WeakMap<Metric, string>;

function signature(m: Metric, matching: VectorMatching, cache: SignatureCache): string {
  let sig = cache.get(m);
  if (sig === undefined) {
    sig = keyOf(m, matching.labels, matching.on);
    cache.set(m, sig);
  }
  return sig;
}

export function setBinop(e: BinaryExpr, lhs: Sample[], rhs: Sample[], cache: SignatureCache): Sample[] {
  const matching = e.matching!;
  const sig = (s: Sample) => signature(s.metric, matching, cache);
  switch (e.op) {
    case 'and': {
      if (lhs.length === 0 || rhs.length === 0) return [];
      const right = new Set(rhs.map(sig));
      return lhs.filter((s) => right.has(sig(s)));
    }
    case 'or': {
      if (lhs.length === 0) return rhs;
      if (rhs.length === 0) return lhs;
      const left = new Set(lhs.map(sig));
      return [...lhs, ...rhs.filter((s) => !left.has(sig(s)))];
    }
    default: {
      if (lhs.length === 0 || rhs.length === 0) return lhs;
      const right = new Set(rhs.map(sig));
      return lhs.filter((s) => !right.has(sig(s)));
    }
  }
}

export function vectorBinop(e: BinaryExpr, lhsIn: Sample[], rhsIn: Sample[], cache: SignatureCache, ts: number): Sample[] {
  const matching = e.matching!;
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  const oneToMany = matching.card === 'one-to-many';
  // The "one" side is always rhs below.
  const [lhs, rhs] = oneToMany ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  const rightSigs = new Map<string, Sample>();
  for (const rs of rhs) {
    const sig = signature(rs.metric, matching, cache);
    const dup = rightSigs.get(sig);
    if (dup) {
      const matched = matching.on ? keepLabels(rs.metric, matching.labels) : dropName(withoutLabels(rs.metric, matching.labels));
      promqlError(
        `found duplicate series for the match group ${metricString(matched)} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${metricString(rs.metric)}, ${metricString(dup.metric)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightSigs.set(sig, rs);
  }
  const matchedSigs = new Map<string, Set<string> | null>();
  const out: Sample[] = [];
  for (const ls of lhs) {
    const sig = signature(ls.metric, matching, cache);
    const rs = rightSigs.get(sig);
    if (!rs) continue;
    const [vl, vr] = oneToMany ? [rs.v, ls.v] : [ls.v, rs.v];
    let [value, keep] = elemBinop(e.op, vl, vr);
    if (e.returnBool) value = keep ? 1 : 0;
    else if (!keep) continue;
    let metric = resultMetric(ls.metric, rs.metric, e.op, matching);
    if (e.returnBool) metric = dropName(metric);
    const inserted = matchedSigs.get(sig);
    if (matching.card === 'one-to-one') {
      if (inserted !== undefined) promqlError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matchedSigs.set(sig, null);
    } else {
      let set = inserted;
      if (!set) {
        set = new Set();
        matchedSigs.set(sig, set);
      } else if (set.has(metric.key)) promqlError('multiple matches for labels: grouping labels must ensure unique matches');
      set.add(metric.key);
    }
    out.push({ metric, v: value, t: ts });
  }
  return out;
}

function resultMetric(lhs: Metric, rhs: Metric, op: BinaryOp, matching: VectorMatching): Metric {
  const labels: Record<string, string> = { ...lhs.labels };
  if (dropsName(op)) delete labels.__name__;
  if (matching.card === 'one-to-one') {
    if (matching.on) {
      for (const n of Object.keys(labels)) if (!matching.labels.includes(n)) delete labels[n];
    } else for (const n of matching.labels) delete labels[n];
  }
  for (const n of matching.include) {
    const v = rhs.labels[n];
    if (v) labels[n] = v;
    else delete labels[n];
  }
  return makeMetric(labels);
}
