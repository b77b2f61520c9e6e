import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { timeOpt } from '../option-types.js';
import { assertValidPromql } from '../../shell/promql/load.js';
import { unwrap } from './answer.js';
import { THANOS_FLAGS, thanosFlags } from './thanos-flags.js';

export const metricsQuery = defineCommand({
  path: ['metrics', 'query'],
  summary: 'Run an instant PromQL query; -o json returns the Prometheus data object {resultType, result}',
  args: { expr: arg({ summary: 'PromQL expression', complete: 'promql' }) },
  options: { time: timeOpt({ summary: 'evaluation time: RFC 3339, unix seconds, now, now-1h (default: now)' }), ...THANOS_FLAGS },
  examples: ['opsdeck metrics query \'sum by (job) (up)\'', 'opsdeck metrics query up --time now-1h -o json', 'opsdeck metrics query up --dedup false   # Thanos: every replica'],
  mutates: false,
  async run(ctx, { args, opts }) {
    await assertValidPromql(args.expr);
    const backend = await ctx.session.metrics();
    return unwrap(ctx, await backend.query(args.expr, opts.time?.(ctx.now()), thanosFlags(opts), ctx.signal));
  },
});
