import { parseTimeSpec } from '../../core/time-spec.js';
import { req, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { assertValidPromql } from '../../shell/promql/load.js';
import { unwrap } from './answer.js';
import { THANOS_FLAGS, thanosFlags } from './thanos-flags.js';

export const metricsQuery: CommandSpec = {
  path: ['metrics', 'query'],
  summary: 'Run an instant PromQL query; -o json returns the Prometheus data object {resultType, result}',
  args: [{ name: 'expr', summary: 'PromQL expression', required: true, complete: 'promql' }],
  options: [{ name: 'time', value: 'time', summary: 'evaluation time: RFC 3339, unix seconds, now, now-1h (default: now)' }, ...THANOS_FLAGS],
  examples: ['opsdeck metrics query \'sum by (job) (up)\'', 'opsdeck metrics query up --time now-1h -o json', 'opsdeck metrics query up --dedup false   # Thanos: every replica'],
  mutates: false,
  async run(ctx, input) {
    const t = str(input, 'time');
    await assertValidPromql(req(input, 'expr'));
    const backend = await ctx.session.metrics();
    return unwrap(ctx, await backend.query(req(input, 'expr'), t === undefined ? undefined : parseTimeSpec(t, ctx.now(), '--time'), thanosFlags(input)));
  },
};
