import { describe, expect, it } from 'vitest';
import { benchSeries, benchViewKey, isLoadProgress, LATENCY_UNIT, loadSummary, MAX_SAMPLES, withProgress } from '../../src/frontends/tui/bench-view.js';
import { renderChart } from '../../src/render/chart/render-chart.js';
import { PLAIN } from '../../src/render/style.js';
import type { LoadProgress } from '../../src/loadgen/load-types.js';

const report = (s: number, rps = 100): LoadProgress => ({ elapsedMs: s * 1000, requests: s * rps, requestsPerSec: rps, p50: 1000 * s, p99: 5000 * s, errors: 0 });

describe('the bench live view model', () => {
  it('the first report opens it, later ones of the same line add samples, another line starts afresh', () => {
    let v = withProgress(null, 'bench A', report(1), 10_000);
    expect(v).toMatchObject({ line: 'bench A', startedAt: 9_000, done: false });
    v = withProgress(v, 'bench A', report(2), 11_000);
    expect(v.samples).toHaveLength(2);
    expect(withProgress(v, 'bench B', report(1), 12_000).samples).toHaveLength(1);
    expect(withProgress({ ...v, done: true }, 'bench A', report(1), 12_000).samples).toHaveLength(1);
  });

  it('keeps at most MAX_SAMPLES, dropping the oldest', () => {
    let v = withProgress(null, 'l', report(0), 0);
    for (let i = 1; i <= MAX_SAMPLES; i++) v = withProgress(v, 'l', report(i), 0);
    expect(v.samples).toHaveLength(MAX_SAMPLES);
    expect(v.samples[0]!.elapsedMs).toBe(1000);
  });

  it('charts req/s, and p50/p99 in seconds on the wall clock', () => {
    let v = withProgress(null, 'l', report(1, 250), 5_000);
    v = withProgress(v, 'l', report(2, 300), 6_000);
    const s = benchSeries(v);
    expect(s.rate[0]!.points).toEqual([[5, 250], [6, 300]]);
    expect(s.latency.map((x) => x.label)).toEqual(['p50', 'p99']);
    expect(s.latency[1]!.points[1]).toEqual([6, 0.01]);
  });

  it('the latency legend reads sub-millisecond figures in µs, not "175m ms"', () => {
    const fast = (s: number): LoadProgress => ({ elapsedMs: s * 1000, requests: s * 100, requestsPerSec: 100, p50: 175, p99: 9440, errors: 0 });
    let v = withProgress(null, 'l', fast(1), 0);
    v = withProgress(v, 'l', fast(2), 1000);
    const text = renderChart(benchSeries(v).latency, { width: 80, height: 8, style: PLAIN, unit: LATENCY_UNIT });
    expect(text).toMatch(/p50 .*cur 175µs/);
    expect(text).toMatch(/p99 .*cur 9\.44ms/);
    expect(text).not.toMatch(/\d+m ms|\dm\b/);
  });

  it('q and Esc stop a running load and close; on a finished one they only close; other keys do nothing', () => {
    const calls: string[] = [];
    const fx = { stop: () => calls.push('stop'), close: () => calls.push('close') };
    const v = withProgress(null, 'l', report(1), 0);
    benchViewKey({ kind: 'char', text: 'q' }, v, fx);
    benchViewKey({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false }, { ...v, done: true }, fx);
    benchViewKey({ kind: 'char', text: 'x' }, v, fx);
    expect(calls).toEqual(['stop', 'close', 'close']);
  });

  it("takes a finished load's figures from its result: whole-run percentiles and every error kind", () => {
    const result = { elapsedMs: 3004, requests: 912, requestsPerSec: 303.6, errors: { connect: 1, read: 2, write: 0, timeout: 3, other: 4 }, latency: { percentiles: { '50': 80, '99': 420 } } };
    expect(loadSummary(result)).toEqual({ elapsedMs: 3004, requests: 912, requestsPerSec: 303.6, p50: 80, p99: 420, errors: 10 });
    expect(loadSummary({ ...result, latency: {} })).toBeNull();
    expect(loadSummary('12000 requests')).toBeNull();
    expect(loadSummary(undefined)).toBeNull();
  });

  it('recognises a progress report and nothing else', () => {
    expect(isLoadProgress(report(1))).toBe(true);
    expect(isLoadProgress({ elapsedMs: 1 })).toBe(false);
    expect(isLoadProgress('bench 1s')).toBe(false);
  });
});
