import { OpsError } from '../../core/errors.js';
import { defineCommand } from '../define-command.js';
import { unwrap } from './answer.js';

/** Thanos Query's view of its store API endpoints; a plain Prometheus has none and says so. */
export const metricsStores = defineCommand({
  path: ['metrics', 'stores'],
  summary: 'Thanos only: store API endpoints by type (sidecar, store, rule, receive…) with time range, labels, last check and last error',
  args: {},
  options: {},
  examples: ['opsdeck metrics stores', 'opsdeck metrics stores -o json'],
  mutates: false,
  async run(ctx) {
    const backend = await ctx.session.metrics();
    if (!backend.stores) throw new OpsError('unsupported', `the metrics backend ${backend.name} cannot list Thanos stores`, 'point the metrics profile at Thanos Query (type: thanos)');
    return unwrap(ctx, await backend.stores());
  },
});
