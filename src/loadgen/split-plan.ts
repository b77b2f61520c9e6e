import type { LoadPlan } from './load-types.js';
import type { WorkerPlan, WorkerTarget } from './worker-messages.js';

/**
 * Deals the plan's connections over workers and targets: connection g goes to worker g mod W and
 * to target ⌊g / W⌋ mod T, so every worker serves every target when there are enough connections
 * and no target is left to one worker. With a rate, each connection sends every C/R seconds,
 * connection g offset by g/R, so the sends of all connections fall evenly R times a second.
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
  for (let g = 0; g < c; g++) {
    plans[g % w]!.connections.push({ target: Math.floor(g / w) % targets.length, phaseMs: rate === null ? 0 : (g * 1000) / rate });
  }
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
