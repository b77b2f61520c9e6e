import type { CacheDetail, CacheHistory } from '../../core/cache-fleet.js';
import { cacheHistoryQueries, historyFromAnswers, type MatrixSeries } from '../../core/cache-queries.js';
import { notFound } from '../../core/errors.js';
import { planRange } from '../../core/metrics.js';
import type { Session } from '../../session/session.js';
import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { listingExitCode } from '../listing.js';
import { durationOpt } from '../option-types.js';
import { FLEET_OPTIONS } from './fleet-options.js';
import { fleetSpec, readFleet, type FleetAsk } from './fleet-read.js';
import { failedSources } from './list.js';

export const cacheShow = defineCommand({
  path: ['cache', 'show'],
  summary: "One cache: its row per instance, and its hit ratio, lookups/s and evictions/s over time (the metrics backend's history)",
  args: { name: arg({ summary: 'the cache name (the CACHE column of cache list; a Redis backend by its name)' }) },
  options: { ...FLEET_OPTIONS, range: durationOpt({ summary: 'how far back the history goes', default: '1h', min: '1m', max: '7d' }) },
  examples: ['opsdeck cache show books', 'opsdeck cache show books --range 6h -o json'],
  mutates: false,
  async run(ctx, { args, opts }) {
    const detail = await cacheDetail(ctx.session, { windowMs: opts.window, sampleMs: opts.sample, cache: args.name, signal: ctx.signal, warn: (m) => ctx.warn(m) }, opts.range, ctx.now());
    failedSources(ctx.warn, detail.backends);
    if (detail.caches.length === 0 && detail.history.length === 0 && detail.complete) {
      throw notFound(`no cache named ${args.name} in profile ${ctx.session.profile.name}`, 'see the names with: opsdeck cache list');
    }
    return detail;
  },
  exitCode: listingExitCode,
});

/**
 * The rows of one cache and, from the metrics backend, its history over `rangeMs` ending `now`:
 * what `cache show` prints and the console's charts draw.
 */
export async function cacheDetail(session: Session, ask: FleetAsk & { cache: string }, rangeMs: number, now: number): Promise<CacheDetail> {
  const end = now / 1000;
  const plan = planRange(end - rangeMs / 1000, end, undefined, 120);
  const notes: string[] = [];
  const [fleet, history] = await Promise.all([readFleet(session, ask), readHistory(session, ask, plan, (n) => notes.push(n))]);
  notes.push(...fleet.caches.filter((c) => c.kind === 'redis').map((c) => `${c.source}: Redis keeps no history, so it has no charts; its row comes from INFO (${c.window})`));
  return { ...fleet, cache: ask.cache, range: { start: plan.start, end: plan.end, step: plan.step }, history, notes };
}

/** The charts' series; when they cannot be read, a note says why (the rows report a backend that is down). */
async function readHistory(session: Session, ask: FleetAsk & { cache: string }, plan: { start: number; end: number; step: number }, note: (text: string) => void): Promise<CacheHistory[]> {
  if (!session.profile.metrics) return [];
  try {
    const backend = await session.metrics();
    const name = session.profile.metrics.name ?? session.profile.metrics.type;
    const parts = await Promise.all(
      fleetSpec(session).sources.map(async (m) => {
        const queries = cacheHistoryQueries(m, ask.cache, ask.windowMs / 1000);
        const answers = await Promise.all(
          queries.map(async (q) => {
            const a = await backend.queryRange({ ...plan, expr: q.expr }, undefined, ask.signal);
            return a.data.resultType === 'matrix' && Array.isArray(a.data.result) ? (a.data.result as MatrixSeries[]) : [];
          }),
        );
        return historyFromAnswers(m, name, queries, answers);
      }),
    );
    return parts.flat();
  } catch (e) {
    // The rows' read reports a backend that is down; this says only why the charts are missing.
    note(`no history for ${ask.cache}: ${(e as Error).message}`);
    return [];
  }
}
