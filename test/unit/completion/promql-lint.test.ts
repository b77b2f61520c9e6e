import { describe, expect, it } from 'vitest';
import { describeProblem, lintPromql } from '../../../src/shell/promql/lint.js';
import { PROMQL_LIMITS, promqlBounds } from '../../../src/shell/promql/scan.js';

const first = (expr: string) => lintPromql(expr)[0];

describe('lintPromql', () => {
  it('accepts valid expressions', () => {
    for (const expr of [
      'up',
      'rate(http_requests_total{job="api", code=~"5.."}[5m])',
      'sum by (job) (rate(x[5m])) / ignoring(code) group_left sum(y)',
      'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))',
      'max_over_time(x[1h:5m] offset 1d)',
      'x > bool 3',
      'x @ start()',
      'label_replace(up, "dst", "$1", "src", "(.*)")',
      "x{a='single', b=`raw \\d`}",
      '{__name__="up"}',
      '{"my.metric"}',
      'topk(3, x) # a trailing comment',
      '-x ^ 2',
      'x{}',
    ]) {
      expect(lintPromql(expr), expr).toEqual([]);
    }
  });

  it('points at the end of an unclosed call and names the open bracket', () => {
    expect(first('sum(rate(x[5m])')).toEqual({ from: 15, to: 15, incomplete: true, message: 'the expression ends before the "(" at column 4 is closed' });
    expect(first('x{job="a"')).toMatchObject({ from: 9, incomplete: true, message: expect.stringContaining('"{" at column 2') });
    expect(first('rate(x[5m')).toMatchObject({ from: 9, message: expect.stringContaining('"[" at column 7') });
  });

  it('flags an unclosed string at its opening quote (the grammar accepts it)', () => {
    expect(first('x{job="a}')).toMatchObject({ from: 6, incomplete: true, message: expect.stringContaining('string starting at column 7 is not closed') });
    expect(lintPromql('"abc')).toHaveLength(1);
  });

  it('flags stray closing brackets, unknown functions and misplaced tokens at their position', () => {
    expect(first('sum(x))')).toMatchObject({ from: 6, message: '")" closes nothing', incomplete: false });
    expect(first('frobnicate(x)')).toMatchObject({ from: 0, to: 11, message: 'unknown function "frobnicate"' });
    expect(first('rate(x[5q])')).toMatchObject({ from: 8, message: expect.stringContaining('duration') });
    expect(first('x{job=a}')).toMatchObject({ from: 6, message: expect.stringContaining('quoted label value') });
    expect(first('sum(rate(x[5m])) by job')).toMatchObject({ from: 20, message: expect.stringContaining('label names') });
    expect(first('x +')).toMatchObject({ from: 3, incomplete: true, message: expect.stringContaining('after the operator') });
  });

  it('flags a selector with nothing to select and an empty expression', () => {
    expect(first('{}')).toMatchObject({ from: 0, message: expect.stringContaining('metric name or at least one label matcher') });
    expect(first('  ')).toMatchObject({ message: 'the expression is empty', incomplete: true });
  });

  it('sorts problems by position', () => {
    const problems = lintPromql('foo(x) + {}');
    expect(problems.length).toBeGreaterThan(1);
    expect(problems.map((p) => p.from)).toEqual([...problems.map((p) => p.from)].sort((a, b) => a - b));
  });
});

describe('describeProblem', () => {
  it('shows the expression with a caret under the problem', () => {
    const expr = 'sum(rate(x[5m])';
    expect(describeProblem(expr, first(expr)!)).toBe(['invalid PromQL at column 16: the expression ends before the "(" at column 4 is closed', '  sum(rate(x[5m])', `  ${' '.repeat(15)}^`].join('\n'));
  });

  it('names line and column in a multi-line expression and shows only that line', () => {
    const expr = 'sum(\n  rate(x[5q])\n)';
    const text = describeProblem(expr, first(expr)!);
    expect(text.split('\n')).toEqual([expect.stringMatching(/^invalid PromQL at line 2, column 11: /), '    rate(x[5q])', `  ${' '.repeat(10)}^`]);
  });

  it('cuts a long line around the problem, keeping the caret under it', () => {
    const expr = `${'x + '.repeat(60)}x)`;
    const [, line, caret] = describeProblem(expr, first(expr)!).split('\n');
    expect(line!.length).toBeLessThan(110);
    expect(line![caret!.indexOf('^')]).toBe(')');
  });
});

describe('lintPromql: bounds checked before parsing', () => {
  it('refuses an expression over the length limit without parsing it (a 10 MB probe took minutes)', () => {
    const expr = 'sum('.repeat(2_500_000) + 'up' + ')'.repeat(2_500_000);
    const problems = lintPromql(expr);
    expect(problems).toEqual([{ from: PROMQL_LIMITS.chars, to: expr.length, incomplete: false, message: `the expression is ${expr.length} characters long, over the limit of ${PROMQL_LIMITS.chars} (hint: split it into smaller queries)` }]);
  });

  it('takes a long regex alternation just under the length limit', () => {
    const expr = `up{instance=~"${'host-0001.example:9100|'.repeat(11_000)}"}`;
    expect(expr.length).toBeLessThan(PROMQL_LIMITS.chars);
    expect(lintPromql(expr)).toEqual([]);
  });

  it('refuses brackets nested past the limit, at the first bracket too deep', () => {
    const at = 'sum('.length * PROMQL_LIMITS.nesting + 'sum'.length;
    const expr = 'sum('.repeat(PROMQL_LIMITS.nesting + 1) + 'up' + ')'.repeat(PROMQL_LIMITS.nesting + 1);
    expect(lintPromql(expr)).toEqual([{ from: at, to: at + 1, incomplete: false, message: `brackets nest more than ${PROMQL_LIMITS.nesting} levels deep here, the limit (hint: simplify the expression)` }]);
    expect(describeProblem(expr, lintPromql(expr)[0]!).split('\n')[0]).toBe(`invalid PromQL at column ${at + 1}: brackets nest more than 128 levels deep here, the limit (hint: simplify the expression)`);
    // Unbalanced, as in the probe's 2 million "(": refused the same way, never a stack overflow.
    expect(lintPromql('('.repeat(200_000))[0]!.message).toMatch(/^brackets nest more than 128 levels/);
  });

  it('accepts nesting up to the limit', () => {
    const n = PROMQL_LIMITS.nesting;
    expect(lintPromql('sum('.repeat(n) + 'up' + ')'.repeat(n))).toEqual([]);
    expect(lintPromql('('.repeat(n) + '1' + ')'.repeat(n))).toEqual([]);
  });

  it('refuses chains that would make the parse tree too deep, with no bracket at all', () => {
    // Each "> bool b" is one more tree level; 5,000 of them overflowed the parser's stack now and then.
    for (const expr of ['a' + ' > bool b'.repeat(5_000), '- '.repeat(5_000) + '1', 'a' + ' offset 5m'.repeat(5_000), '1 '.repeat(100_000)]) {
      const problems = lintPromql(expr);
      expect(problems).toHaveLength(1);
      expect(problems[0]!.message).toMatch(new RegExp(`^the expression is too deep to check: about \\d+ levels of brackets and chained operators, over the limit of ${PROMQL_LIMITS.depth}`));
    }
  });

  it('parses the deepest shapes the bounds let through without overflowing', () => {
    for (const expr of ['a' + ' > bool b'.repeat(330), '- '.repeat(990) + '1', 'a' + ' offset 5m'.repeat(490), ('sum(' + 'a == bool '.repeat(3)).repeat(60) + 'x' + ')'.repeat(60)]) {
      expect(promqlBounds(expr), expr.slice(0, 40)).toBeNull();
      expect(() => lintPromql(expr)).not.toThrow();
    }
  });

  it('reports at most 50 problems for garbage, the first ones', () => {
    const expr = Array.from({ length: 20 }, () => `(${'1 '.repeat(40)})`).join('+');
    expect(promqlBounds(expr)).toBeNull();
    const problems = lintPromql(expr);
    expect(problems.length).toBe(50);
    expect(problems[0]!.from).toBe(3);
  });
});
