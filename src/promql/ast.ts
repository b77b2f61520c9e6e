import type { LabelMatcher } from '../core/series-source.js';

/**
 * The evaluator's syntax tree: what the Lezer parse tree means once checked, in the shape of
 * Prometheus' own AST, so the evaluation rules read like Prometheus' engine.
 */
export type ValueType = 'vector' | 'matrix' | 'scalar' | 'string';

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | CallExpr
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr;

export interface NumberLiteral {
  kind: 'number';
  value: number;
}

export interface StringLiteral {
  kind: 'string';
  value: string;
}

/** `@` as written: a fixed time (ms) or the query's start/end. */
export type AtModifier = { at: number } | { at: 'start' | 'end' };

export interface VectorSelector {
  kind: 'vector';
  name: string | undefined;
  matchers: LabelMatcher[];
  /** Milliseconds; positive looks into the past. */
  offset: number;
  at: AtModifier | undefined;
}

export interface MatrixSelector {
  kind: 'matrix';
  selector: VectorSelector;
  /** Milliseconds. */
  range: number;
}

export interface SubqueryExpr {
  kind: 'subquery';
  expr: Expr;
  range: number;
  /** Milliseconds; 0 means the default evaluation interval. */
  step: number;
  offset: number;
  at: AtModifier | undefined;
}

export interface CallExpr {
  kind: 'call';
  func: string;
  args: Expr[];
}

export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'stddev' | 'stdvar' | 'topk' | 'bottomk' | 'quantile' | 'count_values';

export interface AggregateExpr {
  kind: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  param: Expr | undefined;
  grouping: string[];
  without: boolean;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'and' | 'or' | 'unless';

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** The labels of on(...) or ignoring(...). */
  labels: string[];
  on: boolean;
  /** group_left/group_right's extra labels, copied from the "one" side. */
  include: string[];
}

export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  returnBool: boolean;
  /** Present when both sides are vectors. */
  matching: VectorMatching | undefined;
}

export interface UnaryExpr {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
}

export interface ParenExpr {
  kind: 'paren';
  expr: Expr;
}

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
      return 'vector';
    case 'matrix':
    case 'subquery':
      return 'matrix';
    case 'call':
      return e.func === 'scalar' || e.func === 'time' || e.func === 'pi' ? 'scalar' : 'vector';
    case 'aggregate':
      return 'vector';
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(e.expr);
  }
}
