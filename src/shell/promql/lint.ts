import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { promqlBounds, scanPromql } from './scan.js';

/** A syntax problem in a PromQL expression: the span it is about and a sentence for the user. */
export interface PromqlProblem {
  from: number;
  to: number;
  message: string;
  /** The expression merely stops too early (a bracket or string left open, a trailing operator). */
  incomplete: boolean;
}

/**
 * Finds syntax errors in a PromQL expression without a server: the Lezer tree's error nodes, plus
 * what the grammar lets through (an unclosed string parses as a string literal; a closing bracket
 * with no opener; a selector with neither a metric name nor a matcher). Pure; best first (by
 * position). An empty list means the grammar accepts the expression; types and function arity are
 * left to the server.
 */
export function lintPromql(expr: string): PromqlProblem[] {
  if (expr.trim() === '') return [{ from: 0, to: 0, message: 'the expression is empty', incomplete: true }];
  // Size and depth first: the parser is neither linear on huge input nor safe on deep input.
  const bound = promqlBounds(expr);
  if (bound) return [{ ...bound, incomplete: false }];
  const scan = scanPromql(expr);
  const problems: PromqlProblem[] = [];
  // Past an open quote the grammar sees one long string; errors there only echo the quote.
  const limit = scan.openString ? scan.openString.at : expr.length + 1;
  if (scan.openString) {
    const { quote, at } = scan.openString;
    problems.push({ from: at, to: at + 1, message: `the string starting at column ${columnOf(expr, at)} is not closed (add the closing ${quote})`, incomplete: true });
  }
  if (scan.stray && scan.stray.at < limit) {
    problems.push({ from: scan.stray.at, to: scan.stray.at + 1, message: `"${scan.stray.char}" closes nothing`, incomplete: false });
  }
  const end = expr.trimEnd().length;
  const seen = new Set(problems.map((p) => p.from));
  try {
    lintTree(expr, limit, end, scan, problems, seen);
  } catch (e) {
    // The bounds above keep the tree well inside the stack; this is the last line of defence, so
    // that no input can turn into an internal error.
    if (!(e instanceof RangeError)) throw e;
    problems.push({ from: 0, to: expr.length, message: 'the expression is too deeply nested to check (hint: split it into smaller queries)', incomplete: false });
  }
  return problems.sort((a, b) => a.from - b.from);
}

/** Garbage yields an error node per token; past this many only the first are worth reporting. */
const MAX_PROBLEMS = 50;

function lintTree(expr: string, limit: number, end: number, scan: ReturnType<typeof scanPromql>, problems: PromqlProblem[], seen: Set<number>): void {
  const tree = parser.parse(expr);
  tree.iterate({
    enter(ref) {
      if (problems.length >= MAX_PROBLEMS) return false;
      const node = ref.node;
      if (node.type.isError) {
        if (node.from < limit && !seen.has(node.from)) {
          seen.add(node.from);
          problems.push(errorProblem(expr, node, end, scan.open));
        }
        return false;
      }
      if (node.name === 'VectorSelector' && !node.getChild('Identifier')) {
        const matchers = node.getChild('LabelMatchers');
        const any = matchers && (matchers.getChild('UnquotedLabelMatcher') ?? matchers.getChild('QuotedLabelMatcher') ?? matchers.getChild('QuotedLabelName'));
        if (matchers && !any && node.from < limit) {
          problems.push({ from: node.from, to: node.to, message: 'a selector needs a metric name or at least one label matcher', incomplete: false });
        }
      }
      return undefined;
    },
  });
}

function errorProblem(expr: string, node: SyntaxNode, end: number, open: ReturnType<typeof scanPromql>['open']): PromqlProblem {
  const parent = node.parent;
  if (node.from >= end) {
    const last = open[open.length - 1];
    const message = last
      ? `the expression ends before the "${last.char}" at column ${columnOf(expr, last.at)} is closed`
      : `the expression ends too early: expected ${expectation(parent, node)}`;
    return { from: end, to: end, message, incomplete: true };
  }
  const token = tokenAt(expr, node.from, node.to);
  const prev = node.prevSibling;
  if (token === '(' && prev?.name === 'Identifier' && parent?.name === 'VectorSelector') {
    return { from: prev.from, to: node.to, message: `unknown function "${expr.slice(prev.from, prev.to)}"`, incomplete: false };
  }
  return { from: node.from, to: Math.max(node.to, node.from + token.length), message: `unexpected "${token}": expected ${expectation(parent, node)}`, incomplete: false };
}

/** What the grammar wanted where the error is, from the node the error sits in. */
function expectation(parent: SyntaxNode | null, error: SyntaxNode): string {
  switch (parent?.name) {
    case 'LabelMatchers':
      return 'a label matcher such as job="api", or "}"';
    case 'UnquotedLabelMatcher':
    case 'QuotedLabelMatcher':
      return hasBefore(error, 'MatchOp') ? 'a quoted label value such as "api"' : 'a match operator: =, !=, =~ or !~';
    case 'GroupingLabels':
      return error.from === parent.from ? 'a list of label names in parentheses, such as (job)' : 'a label name, "," or ")"';
    case 'AggregateModifier':
    case 'MatchingModifierClause':
      return 'a list of label names such as (job)';
    case 'MatrixSelector':
    case 'SubqueryExpr':
    case 'DurationExpr':
      return 'a duration such as 5m, then "]"';
    case 'OffsetExpr':
    case 'OffsetDurationExpr':
      return 'a duration such as 5m';
    case 'StepInvariantExpr':
      return 'a unix time, start() or end()';
    case 'FunctionCallBody':
      return 'an argument, "," or ")"';
    case 'BinaryExpr':
    case 'BoolModifier':
      return 'an expression after the operator';
    case 'ParenExpr':
      return 'an expression or ")"';
    default:
      return 'an operator, or the end of the expression';
  }
}

function hasBefore(node: SyntaxNode, name: string): boolean {
  for (let n = node.prevSibling; n; n = n.prevSibling) if (n.name === name) return true;
  return false;
}

/** The text of the error, or for an empty error node the next word or character after it. */
function tokenAt(expr: string, from: number, to: number): string {
  if (to > from) return expr.slice(from, Math.min(to, from + 200)).trim().slice(0, 40) || expr[from]!;
  // Only a window after the spot: slicing to the end for every error made garbage quadratic.
  let at = from;
  while (at < expr.length && /\s/.test(expr[at]!)) at++;
  const rest = expr.slice(at, at + 40);
  return /^[A-Za-z0-9_:.]+/.exec(rest)?.[0] ?? rest[0] ?? '';
}

function columnOf(expr: string, at: number): number {
  return at - (expr.lastIndexOf('\n', at - 1) + 1) + 1;
}

/**
 * The problem as a user reads it: a sentence with the line and column, then the line of the
 * expression with a caret under the spot. Long lines are cut around the spot.
 */
export function describeProblem(expr: string, p: PromqlProblem): string {
  const lineStart = expr.lastIndexOf('\n', p.from - 1) + 1;
  const lineEnd = expr.indexOf('\n', p.from) < 0 ? expr.length : expr.indexOf('\n', p.from);
  const lineNo = expr.slice(0, lineStart).split('\n').length;
  const where = expr.includes('\n') ? `line ${lineNo}, column ${p.from - lineStart + 1}` : `column ${p.from - lineStart + 1}`;
  let text = expr.slice(lineStart, lineEnd).replace(/\t/g, ' ');
  let caret = p.from - lineStart;
  const WIDTH = 100;
  if (text.length > WIDTH) {
    const start = Math.max(0, Math.min(caret - WIDTH / 2, text.length - WIDTH));
    text = `${start > 0 ? '…' : ''}${text.slice(start, start + WIDTH)}${start + WIDTH < text.length ? '…' : ''}`;
    caret = caret - start + (start > 0 ? 1 : 0);
  }
  return `invalid PromQL at ${where}: ${p.message}\n  ${text}\n  ${' '.repeat(caret)}^`;
}
