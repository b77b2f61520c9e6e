import { describe, expect, it } from 'vitest';
import { compareResults } from '../../src/loadgen/compare-results.js';
import { LatencyStats } from '../../src/loadgen/latency-stats.js';
import type { LoadResult } from '../../src/loadgen/load-types.js';

/** A result whose latencies are exactly `values` (µs), built the way runLoad builds one. */
function result(values: number[], over: Partial<LoadResult> = {}): LoadResult {
  const s = new LatencyStats();
  values.forEach((v) => s.record(v));
  const latency = s.snapshot();
  const errors = { connect: 0, read: 0, write: 0, timeout: 0, other: 0 };
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    elapsedMs: 1000,
    requests: values.length,
    bytes: 0,
    requestsPerSec: values.length,
    statuses: { '200': values.length },
    errors,
    latency,
    perTarget: [],
    rate: null,
    correctedForCoordinatedOmission: false,
    interrupted: false,
    plan: { connections: 10, workers: 2, durationMs: 1000, requests: null, method: 'GET', keepAlive: true, pipelining: 1 },
    ...over,
  };
}

describe('compareResults', () => {
  it('gives B against A for req/s and every percentile, in order, ending with the max', () => {
    const a = result(Array.from({ length: 1000 }, (_, i) => 100 + i));
    const b = result(Array.from({ length: 2000 }, (_, i) => 200 + 2 * (i % 1000)));
    const c = compareResults(a, b);
    expect(c.latency.map((p) => p.percentile)).toEqual(['50', '75', '90', '99', '99.9', '99.99', '99.999', '100']);
    const p50 = c.latency[0]!;
    expect(p50.a).toBe(a.latency.percentiles['50']);
    expect(p50.b).toBe(b.latency.percentiles['50']);
    expect(p50.delta).toBe(p50.b - p50.a);
    expect(p50.ratio).toBeCloseTo(2, 2);
    expect(c.latency.at(-1)).toMatchObject({ a: 1099, b: 2198 });
    expect(c.requestsPerSec).toEqual({ a: 1000, b: 2000, delta: 1000, ratio: 2 });
    expect(c.caveats).toEqual([]);
  });

  it('says when the runs are not alike', () => {
    const a = result([100], { rate: 500, correctedForCoordinatedOmission: true });
    const b = result([100], { interrupted: true, plan: { connections: 20, workers: 2, durationMs: 1000, requests: null, method: 'GET', keepAlive: true, pipelining: 1 } });
    const c = compareResults(a, b);
    expect(c.caveats.join('\n')).toMatch(/only A measured latency from intended send times/);
    expect(c.caveats.join('\n')).toMatch(/rates differ \(500 vs none/);
    expect(c.caveats.join('\n')).toMatch(/connection counts differ \(10 vs 20\)/);
    expect(c.caveats.join('\n')).toMatch(/run B was interrupted/);
    expect(compareResults(result([]), result([5])).latency[0]!.ratio).toBeNull();
  });
});
