import type { LoadPlan } from './load-types.js';
import type { WorkerPlan, WorkerTarget } from './worker-messages.js';

/**
 * Deals the plan's connections over workers and targets: connection g goes to worker g mod W, so
 * workers get equal shares, and the targets are dealt round-robin over worker 0's connections,
 * then on over worker 1's, and so on. So targets get equal shares too, every target is served
 * when there are at least as many connections as targets, and a worker with at least T
 * connections serves every target (no target is left to one worker's loop). With a rate, each
 * connection sends every C/R seconds, connection g offset by g/R, so the sends of all
 * connections fall evenly R times a second.
 */
export function splitPlan(plan: LoadPlan, targets: WorkerTarget[], progress: boolean): WorkerPlan[] {
  const c = plan.connections;
  const w = Math.max(1, Math.min(plan.workers, c));
  const rate = plan.rate ?? null;
  const plans: WorkerPlan[] = [];
  for (let i = 0; i < w; i++) {
    plans.push({
      targets,
      connections: [],
      pipelining: Math.max(1, plan.pipelining ?? 1),
      keepAlive: plan.keepAlive,
      timeoutMs: plan.timeoutMs,
      durationMs: plan.durationMs ?? null,
      requests: null,
      intervalMs: rate === null ? null : (c * 1000) / rate,
      progress,
    });
  }
  let dealt = 0;
  plans.forEach((p, i) => {
    for (let g = i; g < c; g += w) p.connections.push({ target: dealt++ % targets.length, phaseMs: rate === null ? 0 : (g * 1000) / rate });
  });
  if (plan.requests !== undefined) {
    // Shares in proportion to connections, the remainder to the first workers.
    let left = plan.requests;
    plans.forEach((p, i) => {
      const share = i === plans.length - 1 ? left : Math.floor((plan.requests! * p.connections.length) / c);
      p.requests = share;
      left -= share;
    });
  }
  return plans;
}
