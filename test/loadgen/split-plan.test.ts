import { describe, expect, it } from 'vitest';
import type { LoadPlan } from '../../src/loadgen/load-types.js';
import { splitPlan } from '../../src/loadgen/split-plan.js';
import type { WorkerTarget } from '../../src/loadgen/worker-messages.js';

const target = (port: number): WorkerTarget => ({ host: '127.0.0.1', port, tls: false, servername: '127.0.0.1', request: new Uint8Array(), headRequest: false });
const plan = (over: Partial<LoadPlan>): LoadPlan => ({ targets: [], method: 'GET', headers: {}, connections: 1, workers: 1, timeoutMs: 1000, keepAlive: true, durationMs: 1000, ...over });
const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

describe('splitPlan', () => {
  it('spreads connections evenly over workers and targets, and serves every target', () => {
    for (const [c, w, t] of [
      [4, 2, 3],
      [4, 2, 4],
      [4, 2, 2],
      [7, 3, 2],
      [64, 2, 5],
      [3, 8, 3],
      [10, 4, 10],
    ] as const) {
      const targets = Array.from({ length: t }, (_, i) => target(1000 + i));
      const plans = splitPlan(plan({ connections: c, workers: w, targets: targets.map((x) => ({ url: `http://127.0.0.1:${x.port}/` })) }), targets, false);
      const label = `${c} connections, ${w} workers, ${t} targets`;
      expect([label, plans.length]).toEqual([label, Math.min(w, c)]);
      expect([label, spread(plans.map((p) => p.connections.length))]).toEqual([label, c % plans.length === 0 ? 0 : 1]);
      const perTarget = Array.from({ length: t }, (_, i) => plans.flatMap((p) => p.connections).filter((x) => x.target === i).length);
      expect([label, Math.min(...perTarget) >= 1, spread(perTarget) <= 1]).toEqual([label, true, true]);
      for (const p of plans.filter((x) => x.connections.length >= t)) expect([label, new Set(p.connections.map((x) => x.target)).size]).toEqual([label, t]);
    }
  });

  it('paces each connection every C/R seconds, offset so all sends fall evenly, and shares a request count exactly', () => {
    const targets = [target(1)];
    const plans = splitPlan(plan({ connections: 5, workers: 2, rate: 1000, requests: 1001, targets: [{ url: 'http://127.0.0.1:1/' }] }), targets, true);
    expect(plans.every((p) => p.intervalMs === 5)).toBe(true);
    const phases = plans.flatMap((p) => p.connections.map((x) => x.phaseMs)).sort((a, b) => a - b);
    expect(phases).toEqual([0, 1, 2, 3, 4]);
    expect(plans.reduce((n, p) => n + p.requests!, 0)).toBe(1001);
    expect(plans.every((p) => p.progress)).toBe(true);
  });
});
