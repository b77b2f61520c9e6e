import type { QueryData, ThanosParams } from '../../core/metrics.js';
import { variadicArg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { durationOpt, intOpt } from '../option-types.js';
import { assertValidPromql } from '../../shell/promql/load.js';
import type { Ctx, Stream } from '../types.js';
import { THANOS_FLAGS, thanosFlags } from './thanos-flags.js';
import { sleepUnlessAborted } from '../../core/on-abort.js';

export interface WatchSample {
  at: string;
  expr: string;
  resultType: QueryData['resultType'];
  result: unknown;
  /** Present when the server warned (a Thanos partial response, for one). */
  warnings?: string[];
}

export const metricsWatch = defineCommand({
  path: ['metrics', 'watch'],
  summary: 'Evaluate queries every --interval and print each result as it comes (NDJSON with -o json)',
  args: { expr: variadicArg({ summary: 'PromQL expressions', required: true, complete: 'promql' }) },
  options: {
    // Faster than 100ms would only load the server; the console's pane asks for at least 1s.
    interval: durationOpt({ summary: 'time between evaluations', default: '5s', min: '100ms' }),
    count: intOpt({ summary: 'stop after this many rounds', min: 1 }),
    timeout: durationOpt({ summary: 'stop after this long' }),
    ...THANOS_FLAGS,
  },
  examples: ["opsdeck metrics watch 'sum(rate(http_requests_total[1m]))' --interval 2s", "opsdeck metrics watch up 'count(up == 0)' --count 3 -o json"],
  mutates: false,
  async run(ctx, { args, opts }): Promise<Stream<WatchSample>> {
    const exprs = args.expr;
    for (const [i, e] of exprs.entries()) await assertValidPromql(e, exprs.length > 1 ? `expression ${i + 1}` : 'the expression');
    return { stream: rounds(ctx, exprs, opts.interval, opts.count, opts.timeout, thanosFlags(opts)) };
  },
});

async function* rounds(ctx: Ctx, exprs: string[], intervalMs: number, count: number | undefined, timeoutMs: number | undefined, thanos: ThanosParams | undefined): AsyncIterable<WatchSample> {
  const backend = await ctx.session.metrics();
  const until = timeoutMs === undefined ? Infinity : ctx.now() + timeoutMs;
  for (let round = 0; count === undefined || round < count; round++) {
    if (round > 0) {
      // Sleep to the next round, waking early on Ctrl-C or at the --timeout.
      const wait = Math.min(intervalMs, until - ctx.now());
      if (wait <= 0) return;
      await sleepUnlessAborted(wait, ctx.signal);
    }
    if (ctx.signal.aborted || ctx.now() >= until) return;
    const at = ctx.now() / 1000;
    // All queries of a round are evaluated at the same instant, so they line up.
    const answers = await Promise.all(exprs.map((e) => backend.query(e, at, thanos, ctx.signal)));
    for (const [i, a] of answers.entries()) {
      for (const w of a.warnings) ctx.warn(`the server warns: ${w}`);
      yield { at: new Date(at * 1000).toISOString(), expr: exprs[i]!, resultType: a.data.resultType, result: a.data.result, ...(a.warnings.length > 0 ? { warnings: a.warnings } : {}) };
    }
  }
}
