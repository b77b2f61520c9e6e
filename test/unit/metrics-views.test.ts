import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../src/render/style.js';
import { renderQuery } from '../../src/render/metrics-views.js';

describe('metrics query tables', () => {
  it('show float samples, and name native-histogram samples instead of crashing', () => {
    const vector = renderQuery(
      {
        resultType: 'vector',
        result: [
          { metric: { __name__: 'up', job: 'api' }, value: [1700000000, '1'] },
          { metric: { __name__: 'http_request_duration_seconds', job: 'api' }, histogram: [1700000000, { count: '3', sum: '0.5', buckets: [] }] },
        ],
      },
      PLAIN,
    );
    expect(vector).toMatch(/up\{job="api"\}\s+1/);
    expect(vector).toMatch(/http_request_duration_seconds\{job="api"\}\s+\(native histogram\)/);

    const matrix = renderQuery(
      {
        resultType: 'matrix',
        result: [
          { metric: { job: 'a' }, values: [[1, '1'], [2, '5']] },
          { metric: { job: 'b' }, histograms: [[1, {}], [2, {}], [3, {}]] },
        ],
      },
      PLAIN,
    );
    expect(matrix).toMatch(/\{job="a"\}\s+2\s+5/);
    expect(matrix).toMatch(/\{job="b"\}\s+3\s+\(native histogram\)/);
  });
});
