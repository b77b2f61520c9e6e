import { OpsError } from '../../core/errors.js';
import type { LoadPlan, LoadProgress, LoadResult } from '../../loadgen/load-types.js';
import { formatMicros } from '../../render/bench-views.js';
import type { Ctx } from '../types.js';
import { loadEngine } from './engine.js';
import { reachTargets } from './reach-targets.js';

/** The one-line progress of a run: elapsed, requests, the last second's rate and latency. */
export function progressLine(p: LoadProgress, plan: Pick<LoadPlan, 'durationMs'>): string {
  const of = plan.durationMs === undefined ? '' : `/${(plan.durationMs / 1000).toFixed(0)}s`;
  return `bench ${(p.elapsedMs / 1000).toFixed(1)}s${of} · ${p.requests} requests · ${Math.round(p.requestsPerSec)} req/s · p50 ${formatMicros(p.p50)} · p99 ${formatMicros(p.p99)}${p.errors > 0 ? ` · ${p.errors} errors` : ''}`;
}

/**
 * Runs a plan the command checked: a connection to each target first (a dead one is exit 3 at
 * once), then the engine, reporting progress through `ctx.progress` (text for a terminal, the
 * data for the console's live view). Ctrl-C aborts `ctx.signal`; the engine then ends with what
 * it measured, marked `interrupted`, and that is the result.
 */
export async function runBench(ctx: Pick<Ctx, 'signal' | 'progress'>, plan: LoadPlan): Promise<LoadResult> {
  await reachTargets(plan.targets, plan.timeoutMs, ctx.signal);
  const engine = await loadEngine();
  let result: LoadResult;
  try {
    result = await engine.runLoad(plan, { signal: ctx.signal, onProgress: (p) => ctx.progress(progressLine(p, plan), p) });
  } finally {
    ctx.progress(null);
  }
  if (result.requests === 0 && result.errors.connect > 0 && !result.interrupted) {
    throw new OpsError('unreachable', `no request got through: ${result.errors.connect} connection attempts failed`, 'check that the server is up and the port is right');
  }
  return result;
}
