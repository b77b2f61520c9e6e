import { OpsError } from '../../core/errors.js';
import type { ChartSeries } from './chart-series.js';

export interface MatrixData {
  resultType: string;
  result: Array<{ metric: Record<string, string>; values?: Array<[number, string]>; histograms?: unknown[] }>;
}

/**
 * Turns a Prometheus range-query result (`resultType: "matrix"`) into chart series. Sample values
 * are JSON strings; "NaN", "+Inf" and "-Inf" become gaps (null). Labels read like Prometheus
 * writes a series, compactly: `up{instance="a:9090",job="api"}`, `up`, or `{}`.
 */
export function matrixToSeries(data: MatrixData): ChartSeries[] {
  if (data.resultType !== 'matrix') {
    throw new OpsError('usage', `a chart needs a range query result (matrix), got ${data.resultType}`, 'chart a range query (query_range)');
  }
  return data.result.map((r) => ({
    label: seriesLabel(r.metric),
    // A native-histogram series has `histograms` and no float `values`: nothing to draw, no crash.
    points: (r.values ?? []).filter(Array.isArray).map(([t, v]): [number, number | null] => {
      const n = Number(v);
      return [Number(t), Number.isFinite(n) ? n : null];
    }),
  }));
}

/** `name{k="v",...}` with label names sorted and values escaped as PromQL string literals. */
export function seriesLabel(metric: Record<string, string>): string {
  const name = metric['__name__'] ?? '';
  const pairs = Object.keys(metric)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(metric[k] ?? '')}`);
  return pairs.length === 0 && name !== '' ? name : `${name}{${pairs.join(',')}}`;
}
