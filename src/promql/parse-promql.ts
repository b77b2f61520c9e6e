import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import type { LabelMatcher, MatchType } from '../core/series-source.js';
import { COMPARISON_OPS, SET_OPS, typeOf, type AggregateOp, type AtModifier, type BinaryOp, type Expr, type ValueType, type VectorMatching, type VectorSelector } from './ast.js';
import { notSupported, promqlError } from './errors.js';
import { FUNCTIONS } from './functions-table.js';
import { compileMatcher } from './matchers.js';

/**
 * Turns PromQL text into the evaluator's AST over the official Lezer grammar, applying the checks
 * Prometheus 2.42's parser makes (types, arity, modifiers). The grammar is newer than 2.42 and
 * accepts syntax 2.42 lacks (durations as numbers, quoted label names, limitk, fill, ...): those
 * fail with `not supported yet`, never as something else.
 */
export function parsePromql(input: string): Expr {
  let text = input;
  if (text.trim() === '') promqlError('parse error: no expression found in input');
  text = completeTrailingDots(renameHoltWinters(text));
  const tree = parser.parse(text);
  const top = tree.topNode;
  const bad = firstError(top);
  if (bad) {
    // The grammar only knows today's function names; a call to any other is its error.
    promqlError(`parse error at char ${bad.from + 1}: unexpected ${JSON.stringify(text.slice(bad.from, bad.to + 1) || 'end of input')}`);
  }
  const body = kids(top)[0];
  if (!body) promqlError('parse error: no expression found in input');
  return new Converter(text).expr(body!);
}

/** Go's lexer reads `5.` and `5.e3` as numbers, the grammar does not: outside strings and comments they become `5.0`, `5.0e3`. */
function completeTrailingDots(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|#[^\n]*|(^|[^\w.])(\d+)\.(?=$|[eE][-+]?\d|[^\w.])/g, (m, pre: string | undefined, digits: string | undefined) =>
    digits === undefined ? m : `${pre}${digits}.0`,
  );
}

function withoutStrings(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

/**
 * 2.42's holt_winters is the grammar's double_exponential_smoothing under its old name (Prometheus
 * 3 renamed it): the call is parsed under the new name and evaluated as holt_winters. The new name
 * itself does not exist in 2.42.
 */
const NEW_NAME = 'double_exponential_smoothing';

function renameHoltWinters(text: string): string {
  const code = withoutStrings(text);
  if (new RegExp(`\\b${NEW_NAME}\\b`).test(code)) notSupported(`function ${NEW_NAME} (not in Prometheus 2.42)`);
  if (!/\bholt_winters\b/.test(code)) return text;
  // Rename outside string literals only.
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\bholt_winters\b/g, (m) => (m === 'holt_winters' ? NEW_NAME : m));
}

function firstError(node: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  node.cursor().iterate((ref) => {
    if (found) return false;
    if (ref.type.isError) {
      found = ref.node;
      return false;
    }
    return undefined;
  });
  return found;
}

function kids(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^', Atan2: 'atan2',
  Eql: '==', Neq: '!=', Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=',
  And: 'and', Or: 'or', Unless: 'unless',
};

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

const AGGREGATES: Record<string, AggregateOp> = {
  Sum: 'sum', Avg: 'avg', Min: 'min', Max: 'max', Count: 'count', Group: 'group', Stddev: 'stddev', Stdvar: 'stdvar',
  Topk: 'topk', Bottomk: 'bottomk', Quantile: 'quantile', CountValues: 'count_values',
};

class Converter {
  constructor(private readonly text: string) {}

  private src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  expr(n: SyntaxNode): Expr {
    switch (n.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: parseNumber(this.src(n)) };
      case 'StringLiteral':
        return { kind: 'string', value: unquote(this.src(n)) };
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector':
        return this.matrixSelector(n);
      case 'SubqueryExpr':
        return this.subquery(n);
      case 'OffsetExpr':
        return this.offset(n);
      case 'StepInvariantExpr':
        return this.at(n);
      case 'ParenExpr':
        return { kind: 'paren', expr: this.expr(kids(n)[0]!) };
      case 'UnaryExpr': {
        const [op, inner] = kids(n);
        const e = this.expr(inner!);
        const t = typeOf(e);
        if (t !== 'scalar' && t !== 'vector') promqlError(`unary expression only allowed on expressions of type scalar or instant vector, got "${typeName(t)}"`);
        return { kind: 'unary', op: this.src(op!) === '-' ? '-' : '+', expr: e };
      }
      case 'FunctionCall':
        return this.call(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'BinaryExpr':
        return this.binary(n);
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return notSupported(`the ${n.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'} modifier (newer than Prometheus 2.42)`);
      default:
        return promqlError(`parse error: unexpected ${n.name}`);
    }
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: LabelMatcher[] = [];
    for (const c of kids(n)) {
      if (c.name === 'Identifier') name = this.src(c);
      else if (c.name === 'LabelMatchers') {
        for (const m of kids(c)) {
          if (m.name !== 'UnquotedLabelMatcher') notSupported('quoted label names (newer than Prometheus 2.42)');
          const [ln, op, val] = kids(m);
          const type = MATCH_OPS[kids(op!)[0]!.name]!;
          const matcher: LabelMatcher = { name: this.src(ln!), type, value: unquote(this.src(val!)) };
          compileMatcher(matcher); // bad regexes fail at parse time, as in Prometheus
          matchers.push(matcher);
        }
      }
    }
    if (name !== undefined) {
      if (matchers.some((m) => m.name === '__name__')) promqlError(`parse error: metric name must not be set twice: "${name}"`);
      matchers.unshift({ name: '__name__', type: '=', value: name });
    }
    if (!matchers.some((m) => !compileMatcher(m)(''))) promqlError('parse error: vector selector must contain at least one non-empty matcher');
    return { kind: 'vector', name, matchers, offset: 0, at: undefined };
  }

  private matrixSelector(n: SyntaxNode): Expr {
    const [inner, dur] = kids(n);
    const e = this.expr(inner!);
    if (e.kind !== 'vector') promqlError('parse error: ranges only allowed for vector selectors');
    const sel = e as VectorSelector;
    if (sel.offset !== 0 || sel.at) promqlError('parse error: no offset modifiers allowed before range');
    return { kind: 'matrix', selector: sel, range: this.duration(dur!) };
  }

  private subquery(n: SyntaxNode): Expr {
    const [inner, range, step] = kids(n);
    const e = this.expr(inner!);
    if (typeOf(e) !== 'vector') promqlError(`parse error: subquery is only allowed on instant vector, got ${typeName(typeOf(e))} instead`);
    return { kind: 'subquery', expr: e, range: this.duration(range!), step: step ? this.duration(step) : 0, offset: 0, at: undefined };
  }

  private offset(n: SyntaxNode): Expr {
    const [inner, , dur] = kids(n);
    const e = this.expr(inner!);
    const off = this.offsetDuration(dur!);
    const target = e.kind === 'matrix' ? e.selector : e.kind === 'vector' || e.kind === 'subquery' ? e : undefined;
    if (!target) return promqlError('parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    if (target.offset !== 0) promqlError('parse error: offset may not be set multiple times');
    target.offset = off;
    return e;
  }

  private at(n: SyntaxNode): Expr {
    const [inner, , when] = kids(n);
    const e = this.expr(inner!);
    let at: AtModifier;
    if (when!.name === 'AtModifierPreprocessors') at = { at: kids(when!)[0]!.name === 'AtStart' ? 'start' : 'end' };
    else {
      const secs = parseNumber(this.src(when!));
      if (!Number.isFinite(secs) || Math.abs(secs) >= 9.223372036854776e18) promqlError('parse error: timestamp out of bounds for @ modifier');
      at = { at: Math.round(secs * 1000) };
    }
    const target = e.kind === 'matrix' ? e.selector : e.kind === 'vector' || e.kind === 'subquery' ? e : undefined;
    if (!target) return promqlError('parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    if (target.at) promqlError('parse error: @ <timestamp> may not be set multiple times');
    target.at = at;
    return e;
  }

  private duration(n: SyntaxNode): number {
    const parts = kids(n);
    if (n.name !== 'DurationExpr' || parts.length !== 1 || parts[0]!.name !== 'NumberDurationLiteralInDurationContext') {
      return notSupported('duration arithmetic (newer than Prometheus 2.42)');
    }
    const ms = parseDuration(this.src(parts[0]!));
    if (ms === 0) promqlError('parse error: duration must be greater than 0');
    return ms;
  }

  private offsetDuration(n: SyntaxNode): number {
    const parts = kids(n);
    if (parts.length === 2 && parts[0]!.name === 'UnaryOp') {
      const inner = this.offsetDuration(parts[1]!);
      return this.src(parts[0]!) === '-' ? -inner : inner;
    }
    if (parts.length !== 1 || parts[0]!.name !== 'NumberDurationLiteralInDurationContext') return notSupported('duration arithmetic (newer than Prometheus 2.42)');
    const ms = parseDuration(this.src(parts[0]!));
    if (ms === 0) promqlError('parse error: duration must be greater than 0');
    return ms;
  }

  private call(n: SyntaxNode): Expr {
    const [ident, body] = kids(n);
    const written = this.src(ident!).trim();
    const func = written === NEW_NAME ? 'holt_winters' : written;
    const sig = FUNCTIONS[func];
    if (!sig) return notSupported(`function ${func} (not in Prometheus 2.42)`);
    const args = kids(body!).map((a) => this.expr(a));
    const min = sig.args.length - (sig.optional ?? 0);
    if (sig.variadic ? args.length < sig.args.length : args.length < min || args.length > sig.args.length) {
      if (sig.variadic) promqlError(`parse error: expected at least ${sig.args.length} argument(s) in call to "${func}", got ${args.length}`);
      else if (min === sig.args.length) promqlError(`parse error: expected ${min} argument(s) in call to "${func}", got ${args.length}`);
      else if (args.length < min) promqlError(`parse error: expected at least ${min} argument(s) in call to "${func}", got ${args.length}`);
      else promqlError(`parse error: expected at most ${sig.args.length} argument(s) in call to "${func}", got ${args.length}`);
    }
    args.forEach((a, i) => {
      const want = sig.args[Math.min(i, sig.args.length - 1)]!;
      const got = typeOf(a);
      if (got !== want) promqlError(`parse error: expected type ${typeName(want)} in call to function "${func}", got ${typeName(got)}`);
    });
    return { kind: 'call', func, args };
  }

  private aggregate(n: SyntaxNode): Expr {
    const parts = kids(n);
    const opNode = kids(parts[0]!)[0]!;
    const op = AGGREGATES[opNode.name];
    if (!op) return notSupported(`aggregation ${this.src(opNode)} (newer than Prometheus 2.42)`);
    const body = parts.find((p) => p.name === 'FunctionCallBody')!;
    const mod = parts.find((p) => p.name === 'AggregateModifier');
    const args = kids(body).map((a) => this.expr(a));
    const takesParam = op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
    const want = takesParam ? 2 : 1;
    if (args.length !== want) promqlError(`parse error: wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    const expr = args[want - 1]!;
    const param = takesParam ? args[0] : undefined;
    if (typeOf(expr) !== 'vector') promqlError(`parse error: expected type instant vector in aggregation expression, got ${typeName(typeOf(expr))}`);
    if (param) {
      const pt = op === 'count_values' ? 'string' : 'scalar';
      if (typeOf(param) !== pt) promqlError(`parse error: expected type ${typeName(pt)} in aggregation parameter, got ${typeName(typeOf(param))}`);
    }
    let grouping: string[] = [];
    let without = false;
    if (mod) {
      const [kw, labels] = kids(mod);
      without = kw!.name === 'Without';
      grouping = this.groupingLabels(labels!);
    }
    return { kind: 'aggregate', op, expr, param, grouping, without };
  }

  private groupingLabels(n: SyntaxNode): string[] {
    return kids(n).map((l) => (l.name === 'LabelName' ? this.src(l) : notSupported('quoted label names (newer than Prometheus 2.42)')));
  }

  private binary(n: SyntaxNode): Expr {
    const parts = kids(n);
    let lhsNode = parts[0]!;
    const opNode = parts[1]!;
    const rhsNode = parts[parts.length - 1]!;
    const op = BINARY_OPS[opNode.name];
    if (!op) return notSupported(`operator ${this.src(opNode)} (newer than Prometheus 2.42)`);
    // Prometheus' lexer never folds a sign into a number: `-2 ^ 2` is -(2 ^ 2).
    if (op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[-+]/.test(this.src(lhsNode).trim())) {
      const signed = this.src(lhsNode).trim();
      const inner = { ...this.binaryFrom(op, { kind: 'number', value: parseNumber(signed.slice(1)) }, rhsNode, parts) };
      return { kind: 'unary', op: signed[0] === '-' ? '-' : '+', expr: inner };
    }
    void lhsNode;
    lhsNode = parts[0]!;
    return this.binaryFrom(op, this.expr(lhsNode), rhsNode, parts);
  }

  private binaryFrom(op: BinaryOp, lhs: Expr, rhsNode: SyntaxNode, parts: SyntaxNode[]): Expr {
    const rhs = this.expr(rhsNode);
    let returnBool = false;
    let matching: VectorMatching | undefined;
    for (const p of parts.slice(2, -1)) {
      if (p.name === 'BoolModifier') returnBool = true;
      else if (p.name === 'MatchingModifierClause') {
        const m = kids(p);
        const on = m[0]!.name === 'On';
        const labels = this.groupingLabels(m[1]!);
        let card: VectorMatching['card'] = 'one-to-one';
        let include: string[] = [];
        if (m[2]) {
          card = m[2].name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
          include = m[3] ? this.groupingLabels(m[3]) : [];
        }
        matching = { card, labels, on, include };
      } else if (p.name === 'FillModifier') notSupported('fill modifiers (newer than Prometheus 2.42)');
    }
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    const isSet = SET_OPS.has(op);
    const isCmp = COMPARISON_OPS.has(op);
    if (returnBool && !isCmp) promqlError('parse error: bool modifier can only be used on comparison operators');
    if (isCmp && !returnBool && lt === 'scalar' && rt === 'scalar') promqlError('parse error: comparisons between scalars must use BOOL modifier');
    if ((lt !== 'scalar' && lt !== 'vector') || (rt !== 'scalar' && rt !== 'vector')) promqlError('parse error: binary expression must contain only scalar and instant vector types');
    if (isSet && (lt === 'scalar' || rt === 'scalar')) promqlError(`parse error: set operator "${op}" not allowed in binary scalar expression`);
    if (matching && (lt !== 'vector' || rt !== 'vector')) promqlError('parse error: vector matching only allowed between instant vectors');
    if (lt === 'vector' && rt === 'vector') {
      matching ??= { card: 'one-to-one', labels: [], on: false, include: [] };
      if (isSet) {
        if (matching.card !== 'one-to-one') promqlError(`parse error: no grouping allowed for "${op}" operation`);
        matching.card = 'many-to-many';
      }
      if (matching.on) {
        for (const l of matching.include) if (matching.labels.includes(l)) promqlError(`parse error: label "${l}" must not occur in ON and GROUP clause at once`);
      }
    }
    return { kind: 'binary', op, lhs, rhs, returnBool, matching };
  }
}

function typeName(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

/** Prometheus parses numbers as Go integers first (so 0x1f and octal 010 work), then as floats. */
export function parseNumber(raw: string): number {
  const s = raw.trim();
  let sign = 1;
  let body = s;
  if (body.startsWith('-') || body.startsWith('+')) {
    if (body[0] === '-') sign = -1;
    body = body.slice(1).trim();
  }
  const lower = body.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (body.includes('_')) notSupported('underscores in numbers (newer than Prometheus 2.42)');
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) return sign * parseInt(body.slice(2), 16);
  if (/^0[0-7]+$/.test(body)) return sign * parseInt(body, 8);
  if (/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(body)) return sign * Number(body);
  return notSupported(`durations as numbers (${s}, newer than Prometheus 2.42)`);
}

const UNITS: Array<[string, number]> = [['y', 365 * 86400_000], ['w', 7 * 86400_000], ['d', 86400_000], ['h', 3600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Prometheus' model.ParseDuration: units largest first, each at most once; "0" alone is zero. */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  const m = DURATION.exec(s);
  if (!m || s === '') return s.includes('.') || /^\d+$/.test(s) ? notSupported(`durations without units or with fractions (${s})`) : promqlError(`parse error: bad duration "${s}"`);
  let ms = 0;
  UNITS.forEach(([, size], i) => {
    if (m[i + 1]) ms += Number(m[i + 1]) * size;
  });
  return ms;
}

/** Go-style string unquoting for "..." and '...' (escapes) and `...` (raw). */
export function unquote(lit: string): string {
  const q = lit[0];
  const body = lit.slice(1, -1);
  if (q === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
    if (e !== undefined && e in simple) {
      if ((e === "'" && q === '"') || (e === '"' && q === "'")) promqlError(`parse error: invalid escape sequence \\${e}`);
      out += simple[e];
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if ((e === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) || (e === 'U' && /^[0-9a-fA-F]{8}$/.test(body.slice(i + 1, i + 9)))) {
      const n = e === 'u' ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + n), 16));
      i += n;
    } else if (e !== undefined && /^[0-7]{3}$/.test(body.slice(i, i + 3))) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      promqlError(`parse error: invalid escape sequence in string ${lit}`);
    }
  }
  return out;
}
