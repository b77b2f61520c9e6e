import { formatDuration, parseDuration } from '../../core/duration.js';
import { usage } from '../../core/errors.js';
import { planRange } from '../../core/metrics.js';
import { parseTimeSpec } from '../../core/time-spec.js';
import { req, str } from '../input.js';
import type { CommandSpec } from '../types.js';
import { assertValidPromql } from '../../shell/promql/load.js';
import { unwrap } from './answer.js';
import { THANOS_FLAGS, thanosFlags } from './thanos-flags.js';

export const metricsRange: CommandSpec = {
  path: ['metrics', 'range'],
  summary: 'Run a range query and draw it as a chart (-o json: the matrix); the step keeps it under 11,000 points',
  args: [{ name: 'expr', summary: 'PromQL expression', required: true, complete: 'promql' }],
  options: [
    { name: 'since', value: 'duration', summary: 'how far back from now', default: '1h' },
    { name: 'start', value: 'time', summary: 'range start (instead of --since)' },
    { name: 'end', value: 'time', summary: 'range end (default: now)' },
    { name: 'step', value: 'duration', summary: 'resolution (default: about two points per chart column)' },
    ...THANOS_FLAGS,
  ],
  examples: ['opsdeck metrics range \'rate(http_requests_total[5m])\' --since 6h', 'opsdeck metrics range up --start 2026-11-25T00:00:00Z --end 2026-11-25T06:00:00Z --step 1m -o json'],
  mutates: false,
  async run(ctx, input) {
    const now = ctx.now();
    await assertValidPromql(req(input, 'expr'));
    if (str(input, 'start') !== undefined && str(input, 'since') !== undefined) throw usage('give --since or --start, not both');
    const end = str(input, 'end') === undefined ? now / 1000 : parseTimeSpec(str(input, 'end')!, now, '--end');
    const start = str(input, 'start') !== undefined ? parseTimeSpec(str(input, 'start')!, now, '--start') : end - parseDuration(str(input, 'since') ?? '1h', '--since') / 1000;
    if (!(end > start)) throw usage('the range is empty: --end must be after --start');
    const wanted = str(input, 'step') === undefined ? undefined : parseDuration(str(input, 'step')!, '--step') / 1000;
    if (wanted !== undefined && wanted <= 0) throw usage('--step must be greater than zero');
    const plan = planRange(start, end, wanted);
    if (plan.clamped) ctx.warn(`--step raised to ${formatDuration(plan.step * 1000)}: a smaller one would exceed 11,000 points per series`);
    const backend = await ctx.session.metrics();
    return unwrap(ctx, await backend.queryRange({ ...plan, expr: req(input, 'expr') }, thanosFlags(input)));
  },
};
