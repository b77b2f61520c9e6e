import { describe, expect, it } from 'vitest';
import { staleNaN } from '../../../src/core/series-source.js';
import { evaluateInstant, evaluateRange, MemorySeriesSource, NotSupportedError, PromqlError } from '../../../src/promql/index.js';
import { formatValue } from '../../../src/promql/format.js';
import { re2ToRegExp } from '../../../src/promql/regex.js';

/**
 * What the differential tests cannot reach: staleness markers (OpenMetrics cannot carry them into
 * Prometheus' blocks), Go's number formatting, RE2 translation and the `not supported yet` rule.
 */
const series = (labels: Record<string, string>, points: Array<[number, number]>) => ({ labels, t: points.map((p) => p[0] * 1000), v: points.map((p) => p[1]) });

describe('PromQL evaluator', () => {
  it('a staleness marker ends a series at once, while a gap lasts the 5-minute lookback', () => {
    const src = new MemorySeriesSource([
      series({ __name__: 'up', job: 'stale' }, [[0, 1], [60, 1], [120, staleNaN()]]),
      series({ __name__: 'up', job: 'gap' }, [[0, 1], [60, 1]]),
    ]);
    const at = (s: number) => (evaluateInstant('up', s * 1000, src).result as Array<{ metric: { job: string } }>).map((r) => r.metric.job).sort();
    expect(at(90)).toEqual(['gap', 'stale']);
    expect(at(150)).toEqual(['gap']);
    expect(at(360)).toEqual(['gap']);
    expect(at(361)).toEqual([]);
    // Range selectors skip the marker instead of counting it.
    const counted = evaluateInstant('count_over_time(up[5m])', 200_000, src).result as Array<{ metric: { job: string }; value: [number, string] }>;
    expect(counted.map((r) => [r.metric.job, r.value[1]]).sort()).toEqual([['gap', '2'], ['stale', '2']]);
  });

  it('answers in the HTTP API shape, numbers formatted as Go formats them', () => {
    const src = new MemorySeriesSource([series({ __name__: 'x' }, [[0, 1e21], [10, 1e-7]])]);
    expect(evaluateInstant('x', 5000, src)).toEqual({ resultType: 'vector', result: [{ metric: { __name__: 'x' }, value: [5, '1000000000000000000000'] }] });
    expect(evaluateInstant('x', 10_000, src).result).toEqual([{ metric: { __name__: 'x' }, value: [10, '0.0000001'] }]);
    expect(evaluateInstant('1/0', 0, src)).toEqual({ resultType: 'scalar', result: [0, '+Inf'] });
    expect(evaluateRange('-x', 0, 10_000, 5000, src).result).toEqual([{ metric: {}, values: [[0, '-1000000000000000000000'], [5, '-1000000000000000000000'], [10, '-0.0000001']] }]);
    expect([formatValue(NaN), formatValue(-Infinity), formatValue(-0), formatValue(123.456)]).toEqual(['NaN', '-Inf', '-0', '123.456']);
  });

  it('translates RE2 into anchored JS regexes with Go semantics', () => {
    expect(re2ToRegExp('a.c').test('a\nc')).toBe(false);
    expect(re2ToRegExp('(?s)a.c').test('a\nc')).toBe(true);
    expect(re2ToRegExp('(?i)abc').test('ABC')).toBe(true);
    expect(re2ToRegExp('ab').test('xab')).toBe(false);
    expect(re2ToRegExp('[[:digit:]]+\\_x').test('12_x')).toBe(true);
    expect(re2ToRegExp('\\Q.*\\E').test('.*')).toBe(true);
    expect(re2ToRegExp('a{,2}').test('a{,2}')).toBe(true);
    expect(re2ToRegExp('(?P<n>x)y').exec('xy')?.groups?.n).toBe('x');
    expect(() => re2ToRegExp('(?=a)')).toThrow(/invalid or unsupported Perl syntax/);
  });

  it('refuses what it does not support with `not supported yet`, never an answer', () => {
    const src = new MemorySeriesSource([]);
    for (const q of ['double_exponential_smoothing(x[5m], 0.5, 0.5)', 'limitk(1, x)', 'x[1m+1m]', 'sort_by_label(x, "a")']) {
      expect(() => evaluateInstant(q, 0, src), q).toThrow(NotSupportedError);
      expect(() => evaluateInstant(q, 0, src), q).toThrow(/^not supported yet: /);
    }
  });

  it('fails a pathologically deep expression as a query error, not a crash', () => {
    const src = new MemorySeriesSource([]);
    const deep = '1' + ' + 1'.repeat(50_000);
    // The grammar caps nesting itself; whichever layer gives up, it is a query error.
    expect(() => evaluateInstant(deep, 0, src)).toThrow(PromqlError);
    expect(() => evaluateInstant('-'.repeat(2000) + '1', 0, src)).not.toThrow();
  });

  it('reports Prometheus\' errors for duplicate label sets and many-to-many matching', () => {
    const src = new MemorySeriesSource([series({ __name__: 'a', j: '1' }, [[0, 1]]), series({ __name__: 'b', j: '1' }, [[0, 2]]), series({ __name__: 'c', j: '1', k: '1' }, [[0, 2]]), series({ __name__: 'c', j: '1', k: '2' }, [[0, 2]])]);
    expect(() => evaluateInstant('{j="1",__name__=~"a|b"} * 2', 0, src)).toThrow('vector cannot contain metrics with the same labelset');
    expect(() => evaluateInstant('a + on(j) c', 0, src)).toThrow(/found duplicate series for the match group \{j="1"\} on the right hand-side/);
    expect(() => evaluateInstant('c + on(j) group_left a', 0, src)).not.toThrow();
  });
});
