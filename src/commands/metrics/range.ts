import { formatDuration } from '../../core/duration.js';
import { usage } from '../../core/errors.js';
import { planRange } from '../../core/metrics.js';
import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { durationOpt, timeOpt } from '../option-types.js';
import { assertValidPromql } from '../../shell/promql/load.js';
import { unwrap } from './answer.js';
import { THANOS_FLAGS, thanosFlags } from './thanos-flags.js';

/** A century: past any retention, and far inside the range of dates. */
const LONGEST_RANGE = '36500d';

export const metricsRange = defineCommand({
  path: ['metrics', 'range'],
  summary: 'Run a range query and draw it as a chart (-o json: the matrix); the step keeps it under 11,000 points',
  args: { expr: arg({ summary: 'PromQL expression', complete: 'promql' }) },
  options: {
    since: durationOpt({ summary: 'how far back from now', default: '1h', max: LONGEST_RANGE }),
    start: timeOpt({ summary: 'range start (instead of --since)' }),
    end: timeOpt({ summary: 'range end (default: now)' }),
    step: durationOpt({ summary: 'resolution (default: about two points per chart column)', max: LONGEST_RANGE }),
    ...THANOS_FLAGS,
  },
  examples: ['opsdeck metrics range \'rate(http_requests_total[5m])\' --since 6h', 'opsdeck metrics range up --start 2026-11-25T00:00:00Z --end 2026-11-25T06:00:00Z --step 1m -o json'],
  mutates: false,
  async run(ctx, { args, opts, given }) {
    const now = ctx.now();
    await assertValidPromql(args.expr);
    if (given.has('start') && given.has('since')) throw usage('give --since or --start, not both');
    const end = opts.end?.(now) ?? now / 1000;
    const start = opts.start?.(now) ?? end - opts.since / 1000;
    if (!(end > start)) throw usage('the range is empty: --end must be after --start');
    const plan = planRange(start, end, opts.step === undefined ? undefined : opts.step / 1000);
    if (plan.clamped) ctx.warn(`--step raised to ${formatDuration(plan.step * 1000)}: a smaller one would exceed 11,000 points per series`);
    const backend = await ctx.session.metrics();
    // Ctrl-C (and the console closing its metrics pane) aborts the request in flight.
    return unwrap(ctx, await backend.queryRange({ ...plan, expr: args.expr }, thanosFlags(opts), ctx.signal));
  },
});
