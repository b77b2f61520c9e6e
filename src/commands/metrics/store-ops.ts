import type { MetricsStoreOps } from '../../core/metrics.js';
import { OpsError } from '../../core/errors.js';
import type { Ctx } from '../types.js';

/** The embedded store of the profile's metrics backend, or a usage error naming what has one. */
export async function metricsStore(ctx: Pick<Ctx, 'session'>, what: string): Promise<MetricsStoreOps> {
  const backend = await ctx.session.metrics();
  if (!backend.store) throw new OpsError('config', `metrics backend ${backend.name} is not the embedded store, so it cannot ${what}`, 'use a profile whose metrics entry is {type: embedded}');
  return backend.store;
}
