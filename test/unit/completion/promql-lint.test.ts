import { describe, expect, it } from 'vitest';
import { describeProblem, lintPromql } from '../../../src/shell/promql/lint.js';

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
