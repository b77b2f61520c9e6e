import { describe, expect, it } from 'vitest';
import { OpsError } from '../../../src/core/errors.js';
import { matrixToSeries, seriesLabel } from '../../../src/render/chart/matrix-to-series.js';

describe('matrixToSeries', () => {
  it('parses string samples and turns NaN and ±Inf into gaps', () => {
    const out = matrixToSeries({
      resultType: 'matrix',
      result: [{ metric: { __name__: 'up', job: 'api' }, values: [[1, '1'], [2, 'NaN'], [3, '+Inf'], [4, '-Inf'], [5, '2.5e3'], [6, '-0.5']] }],
    });
    expect(out).toEqual([{ label: 'up{job="api"}', points: [[1, 1], [2, null], [3, null], [4, null], [5, 2500], [6, -0.5]] }]);
  });

  it('writes labels compactly, sorted and escaped, like Prometheus names a series', () => {
    expect(seriesLabel({ __name__: 'up' })).toBe('up');
    expect(seriesLabel({})).toBe('{}');
    expect(seriesLabel({ job: 'x', instance: 'a:9090' })).toBe('{instance="a:9090",job="x"}');
    expect(seriesLabel({ job: 'x', __name__: 'rate', path: 'say "hi"\\\n' })).toBe('rate{job="x",path="say \\"hi\\"\\\\\\n"}');
  });

  it('refuses a result that is not a matrix', () => {
    expect(() => matrixToSeries({ resultType: 'vector', result: [] })).toThrow(OpsError);
    expect(() => matrixToSeries({ resultType: 'vector', result: [] })).toThrow(/range query/);
  });

  it('a native-histogram series (histograms, no values) and junk samples draw nothing instead of crashing', () => {
    const data = { resultType: 'matrix', result: [{ metric: { __name__: 'h' }, histograms: [[1, { count: '3', sum: '1', buckets: [] }]] }, { metric: {}, values: [null, [2, '4']] }] };
    expect(matrixToSeries(data as never)).toEqual([{ label: 'h', points: [] }, { label: '{}', points: [[2, 4]] }]);
  });

  it('keeps an empty matrix empty', () => {
    expect(matrixToSeries({ resultType: 'matrix', result: [] })).toEqual([]);
  });
});
