import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { promqlBounds, scanPromql, stringEnd } from '../promql/scan.js';

/** What may be typed at the cursor of a PromQL expression. */
export type PromqlTarget =
  /** Nothing sensible: inside a comment, a string that is not a label value, a number. */
  | { kind: 'none' }
  /** The start of an expression: metric names, functions, aggregations; after a binary operator also its modifiers. */
  | { kind: 'operand'; afterOperator: { comparison: boolean; matching: boolean; grouping: boolean } | null }
  /** After a complete expression: binary operators and keywords; by/without right after an aggregation. */
  | { kind: 'operator'; aggregation: boolean }
  /** A label name inside a selector's braces; `metric` is the selector's metric when it names one. */
  | { kind: 'label-name'; metric?: string; used: string[] }
  /** A label name in by (…), without (…), on (…), ignoring (…) or group_left/right (…). */
  | { kind: 'grouping'; metric?: string; used: string[] }
  /** A label value after =, !=, =~ or !~; `quote` is '' when no quote is typed yet. */
  | { kind: 'label-value'; label: string; metric?: string; quote: '' | '"' | "'" | '`'; closed: boolean }
  /** A duration inside [ ], after offset, or a subquery's step. */
  | { kind: 'duration' };

export interface PromqlContext {
  target: PromqlTarget;
  /** The span of the expression a completion replaces. */
  from: number;
  to: number;
  /** The part of that span before the cursor: what is matched. */
  partial: string;
}

const NAME_TAIL = /[A-Za-z_:][A-Za-z0-9_:]*$/;
const NAME_HEAD = /^[A-Za-z0-9_:]*/;
const DURATION_TAIL = /\d[0-9a-zA-Z]*$/;
const DURATION_HEAD = /^[0-9a-zA-Z]*/;
const MATCH_OP_TAIL = /(=~|!~|!=|=)\s*$/;

/**
 * Works out what can be typed at `cursor` in a PromQL expression, from the Lezer tree of the text
 * before the cursor. The word being typed is replaced by a probe ("x", "5m", "x" in quotes) before
 * parsing, so the grammar's reading of the spot does not depend on how much of the word exists
 * yet: a probe identifier that lands in a selector is an operand position, one that lands in a
 * matcher a label name, and so on. An operand probe that does not parse means an operator is
 * due, which a second probe ("+x") confirms.
 */
export function promqlContext(expr: string, cursor: number): PromqlContext {
  const at = Math.max(0, Math.min(cursor, expr.length));
  const text = expr.slice(0, at);
  const none = (from = at, partial = ''): PromqlContext => ({ target: { kind: 'none' }, from, to: at, partial });
  // Text the parser must not see (too long or too deep; see PROMQL_LIMITS) gets no completion.
  if (promqlBounds(text)) return none();
  const scan = scanPromql(text);
  if (scan.inComment) return none();
  if (scan.openString) return stringContext(expr, text, scan.openString.at, scan.openString.quote) ?? none();

  const dur = DURATION_TAIL.exec(text)?.[0] ?? '';
  if (!/[A-Za-z0-9_.]$/.test(text.slice(0, at - dur.length)) && isDurationSpot(text.slice(0, at - dur.length))) {
    const from = at - dur.length;
    return { target: { kind: 'duration' }, from, to: at + DURATION_HEAD.exec(expr.slice(at))![0].length, partial: dur };
  }

  const word = NAME_TAIL.exec(text)?.[0] ?? '';
  const from = at - word.length;
  const prefix = text.slice(0, from);
  // "5e", "1.5" or "0x1f": the tail of a number, not a name.
  if (/[0-9.]$/.test(prefix)) return none(from, word);
  const to = from + NAME_HEAD.exec(expr.slice(from))![0].length;

  if (MATCH_OP_TAIL.test(prefix)) {
    // An unquoted value after a match operator: offer values with their quotes.
    const valueProbe = `${prefix}"x"`;
    const value = labelValueAt(parser.parse(valueProbe), valueProbe, prefix.length);
    if (value) return { target: { ...value, quote: '', closed: false }, from, to, partial: word };
  }

  const probe = `${prefix}x`;
  const tree = parser.parse(probe);
  const node = nodeCovering(tree, from, from + 1);
  if (!hasErrorAbove(node)) {
    const parent = node.parent;
    if (node.name === 'LabelName' && parent?.name === 'UnquotedLabelMatcher') {
      const matchers = parent.parent!;
      return { target: { kind: 'label-name', metric: metricOf(matchers, probe), used: labelsIn(matchers, probe, from) }, from, to, partial: word };
    }
    if (node.name === 'LabelName' && parent?.name === 'GroupingLabels') {
      return { target: { kind: 'grouping', metric: groupedMetric(parent, probe), used: labelsIn(parent, probe, from) }, from, to, partial: word };
    }
    if (node.name === 'Identifier' && parent?.name === 'VectorSelector') {
      return { target: { kind: 'operand', afterOperator: operatorBefore(parent) }, from, to, partial: word };
    }
  }
  // An operator fits here when "+x" in place of the word parses without an error near it.
  const opProbe = parser.parse(`${prefix}+x`);
  if (!hasErrorBefore(opProbe, from + 2)) {
    return { target: { kind: 'operator', aggregation: endsWithBareAggregation(parser.parse(prefix), prefix.trimEnd().length) }, from, to, partial: word };
  }
  return none(from, word);
}

/** Inside a string opened at `start`: a label value when the string is a matcher's value. */
function stringContext(expr: string, text: string, start: number, quote: '"' | "'" | '`'): PromqlContext | null {
  const probe = `${text.slice(0, start)}"x"`;
  const value = labelValueAt(parser.parse(probe), probe, start);
  if (!value) return null;
  const close = stringEnd(expr, start);
  return { target: { ...value, quote, closed: close >= 0 }, from: start + 1, to: close >= 0 ? close : text.length, partial: text.slice(start + 1) };
}

/** The label (and metric) whose value the string literal at `at` is, or null when it is some other string. */
function labelValueAt(tree: Tree, text: string, at: number): { kind: 'label-value'; label: string; metric?: string } | null {
  const node = nodeCovering(tree, at, at + 1);
  const matcher = node.parent;
  if (node.name !== 'StringLiteral' || !matcher || !/^(Unquoted|Quoted)LabelMatcher$/.test(matcher.name) || !hasBefore(node, 'MatchOp')) return null;
  const label = labelOf(matcher, text);
  if (label === undefined) return null;
  return { kind: 'label-value', label, metric: metricOf(matcher.parent!, text) };
}

/** The label name of a matcher: a plain name, or a quoted one ("my.label"). */
function labelOf(matcher: SyntaxNode, text: string): string | undefined {
  const plain = matcher.getChild('LabelName');
  if (plain) return slice(text, plain);
  const quoted = matcher.getChild('QuotedLabelName')?.getChild('StringLiteral');
  return quoted ? unquote(slice(text, quoted)) : undefined;
}

/** The metric a selector names: its identifier, a {"name"} or a __name__="…" matcher. */
function metricOf(matchers: SyntaxNode, text: string): string | undefined {
  const selector = matchers.parent;
  const id = selector?.name === 'VectorSelector' ? selector.getChild('Identifier') : null;
  if (id) return slice(text, id);
  const quotedName = matchers.getChild('QuotedLabelName')?.getChild('StringLiteral');
  if (quotedName) return unquote(slice(text, quotedName));
  for (const m of matchers.getChildren('UnquotedLabelMatcher')) {
    const name = m.getChild('LabelName');
    const op = m.getChild('MatchOp')?.firstChild;
    const value = m.getChild('StringLiteral');
    if (name && slice(text, name) === '__name__' && op?.name === 'EqlSingle' && value) return unquote(slice(text, value));
  }
  return undefined;
}

/** Label names already in a matcher list or grouping list, except the probe at `probeAt`. */
function labelsIn(list: SyntaxNode, text: string, probeAt: number): string[] {
  const out: string[] = [];
  for (let c = list.firstChild; c; c = c.nextSibling) {
    const name = c.name === 'LabelName' ? c : c.getChild('LabelName');
    if (name && name.from !== probeAt) out.push(slice(text, name));
  }
  return out;
}

/** The metric a grouping clause is about: the first selector of its aggregation or the left side of its binary operation. */
function groupedMetric(grouping: SyntaxNode, text: string): string | undefined {
  let scope: SyntaxNode | null = grouping;
  while (scope && scope.name !== 'AggregateExpr' && scope.name !== 'BinaryExpr') scope = scope.parent;
  if (!scope) return undefined;
  const c = scope.cursor();
  while (c.next() && c.from < scope.to) {
    if (c.name !== 'VectorSelector') continue;
    const matchers = c.node.getChild('LabelMatchers');
    const id = c.node.getChild('Identifier');
    if (id) return slice(text, id);
    if (matchers) return metricOf(matchers, text);
  }
  return undefined;
}

function slice(text: string, n: SyntaxNode): string {
  return text.slice(n.from, n.to);
}

/** For an operand right after a binary operator: which modifiers may still come. */
function operatorBefore(selector: SyntaxNode): { comparison: boolean; matching: boolean; grouping: boolean } | null {
  const bin = selector.parent;
  if (bin?.name !== 'BinaryExpr' || bin.firstChild?.from === selector.from) return null;
  let comparison = false;
  let matching = false;
  let grouping = false;
  for (let c = bin.firstChild; c && c.from < selector.from; c = c.nextSibling) {
    if (/^(Eql|Neq|Gtr|Lss|Gte|Lte)$/.test(c.name)) comparison = true;
    if (c.name === 'BoolModifier') comparison = false;
    if (c.name === 'MatchingModifierClause') {
      matching = true;
      grouping = !c.getChild('GroupLeft') && !c.getChild('GroupRight');
    }
  }
  // bool comes before on/ignoring, so once a matching clause is there it is too late for it.
  return { comparison: comparison && !matching, matching: !matching, grouping };
}

/** An aggregation ending at `end` that has no by/without yet ("sum(x) " may continue with "by"). */
function endsWithBareAggregation(tree: Tree, end: number): boolean {
  if (end === 0) return false;
  for (let n: SyntaxNode | null = nodeCovering(tree, end - 1, end); n; n = n.parent) {
    if (n.to !== end) break;
    if (n.name === 'AggregateExpr') return !n.getChild('AggregateModifier');
  }
  return false;
}

/** Whether `text` is followed by a duration here: probed with "5m", which parses as one only in a duration spot. */
function isDurationSpot(text: string): boolean {
  const node = nodeCovering(parser.parse(`${text}5m`), text.length, text.length + 1);
  return node.name === 'NumberDurationLiteralInDurationContext' && !hasErrorAbove(node);
}

/** The innermost non-empty node that covers [from, to). */
function nodeCovering(tree: Tree, from: number, to: number): SyntaxNode {
  let node = tree.topNode;
  for (;;) {
    let next: SyntaxNode | null = null;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.from <= from && c.to >= to && c.to > c.from) {
        next = c;
        break;
      }
    }
    if (!next) return node;
    node = next;
  }
}

function hasErrorAbove(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type.isError) return true;
  return false;
}

function hasErrorBefore(tree: Tree, pos: number): boolean {
  let found = false;
  tree.iterate({
    enter(n) {
      if (found || n.from >= pos) return false;
      if (n.type.isError) found = true;
      return undefined;
    },
  });
  return found;
}

function hasBefore(node: SyntaxNode, name: string): boolean {
  for (let n = node.prevSibling; n; n = n.prevSibling) if (n.name === name) return true;
  return false;
}

/** A PromQL string literal's content, with \" \\ \n … resolved (raw for backticks). */
function unquote(literal: string): string {
  const body = literal.slice(1, literal.endsWith(literal[0]!) && literal.length > 1 ? -1 : undefined);
  if (literal[0] === '`') return body;
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}
