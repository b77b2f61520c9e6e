import { OpsError } from '../../core/errors.js';
import type { QueryData, ThanosParams } from '../../core/metrics.js';
import { duration, int, list } from '../input.js';
import { assertValidPromql } from '../../shell/promql/load.js';
import type { CommandSpec, Ctx, Stream } from '../types.js';
import { THANOS_FLAGS, thanosFlags } from './thanos-flags.js';

export interface WatchSample {
  at: string;
  expr: string;
  resultType: QueryData['resultType'];
  result: unknown;
  /** Present when the server warned (a Thanos partial response, for one). */
  warnings?: string[];
}

export const metricsWatch: CommandSpec = {
  path: ['metrics', 'watch'],
  summary: 'Evaluate queries every --interval and print each result as it comes (NDJSON with -o json)',
  args: [{ name: 'expr', summary: 'PromQL expressions', required: true, variadic: true, complete: 'promql' }],
  options: [
    { name: 'interval', value: 'duration', summary: 'time between evaluations', default: '5s' },
    { name: 'count', value: 'n', summary: 'stop after this many rounds' },
    { name: 'timeout', value: 'duration', summary: 'stop after this long' },
    ...THANOS_FLAGS,
  ],
  examples: ["opsdeck metrics watch 'sum(rate(http_requests_total[1m]))' --interval 2s", "opsdeck metrics watch up 'count(up == 0)' --count 3 -o json"],
  mutates: false,
  async run(ctx, input): Promise<Stream<WatchSample>> {
    const exprs = list(input, 'expr');
    if (exprs.length === 0) throw new OpsError('usage', 'give at least one PromQL expression');
    for (const [i, e] of exprs.entries()) await assertValidPromql(e, exprs.length > 1 ? `expression ${i + 1}` : 'the expression');
    const intervalMs = duration(input, 'interval', '5s')!;
    if (intervalMs < 100) throw new OpsError('usage', '--interval must be at least 100ms', 'a watch every few seconds is plenty');
    return { stream: rounds(ctx, exprs, intervalMs, int(input, 'count', 1), duration(input, 'timeout'), thanosFlags(input)) };
  },
};

async function* rounds(ctx: Ctx, exprs: string[], intervalMs: number, count: number | undefined, timeoutMs: number | undefined, thanos: ThanosParams | undefined): AsyncIterable<WatchSample> {
  const backend = await ctx.session.metrics();
  const until = timeoutMs === undefined ? Infinity : ctx.now() + timeoutMs;
  for (let round = 0; count === undefined || round < count; round++) {
    if (round > 0) {
      // Sleep to the next round, waking early on Ctrl-C or at the --timeout.
      const wait = Math.min(intervalMs, until - ctx.now());
      if (wait <= 0) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, wait);
        ctx.signal.addEventListener('abort', done, { once: true });
        function done() {
          clearTimeout(t);
          ctx.signal.removeEventListener('abort', done);
          resolve();
        }
      });
    }
    if (ctx.signal.aborted || ctx.now() >= until) return;
    const at = ctx.now() / 1000;
    // All queries of a round are evaluated at the same instant, so they line up.
    const answers = await Promise.all(exprs.map((e) => backend.query(e, at, thanos)));
    for (const [i, a] of answers.entries()) {
      for (const w of a.warnings) ctx.warn(`the server warns: ${w}`);
      yield { at: new Date(at * 1000).toISOString(), expr: exprs[i]!, resultType: a.data.resultType, result: a.data.result, ...(a.warnings.length > 0 ? { warnings: a.warnings } : {}) };
    }
  }
}
