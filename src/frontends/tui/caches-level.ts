import { readFleet } from '../../commands/cache/fleet-read.js';
import { cacheDetail } from '../../commands/cache/show.js';
import type { CacheRow } from '../../core/cache-fleet.js';
import { CACHE_COLUMNS, historyCharts } from '../../render/cache-fleet-view.js';
import { PLAIN } from '../../render/style.js';
import type { Level, LoadedView } from './pane-levels.js';
import { errorDetail, errorRows, isErrorRow } from './scoped-rows.js';
import type { PaneRow } from './state.js';

/** The pane's columns: the same definitions `cache list` prints with. */
export const CACHES_COLUMNS = CACHE_COLUMNS.map((c) => c.header);

/** The window and Redis sample the pane reads with: `cache list`'s defaults. */
const WINDOW_MS = 5 * 60_000;
const SAMPLE_MS = 1000;
const HISTORY_MS = 60 * 60_000;

/**
 * The caches pane: the rows of `cache list` (read through the command's own `readFleet`, so the
 * pane and the command cannot disagree), flagged rows red, a source that could not be read as a
 * red row naming it. Enter opens the cache's charts over the last hour (what `cache show` reads):
 * hit ratio, lookups/s, evictions/s per instance.
 */
export const cachesTop: Level = {
  // Each load runs a dozen PromQL queries and watches Redis for a second: not every 2 s.
  minRefreshMs: () => 10_000,
  async load(session): Promise<LoadedView> {
    const fleet = await readFleet(session, { windowMs: WINDOW_MS, sampleMs: SAMPLE_MS });
    const failed = fleet.backends.filter((b) => b.error !== null);
    // Nothing answered: throw, so the pane keeps its last rows with the error in its header.
    if (failed.length > 0 && failed.length === fleet.backends.length) throw new Error(failed.map((b) => `${b.backend}: ${b.error}`).join('; '));
    const rows: PaneRow[] = fleet.caches.map((r) => ({
      key: `${r.source}/${r.kind}/${r.cache}/${r.instance}/${JSON.stringify(r.labels)}`,
      cells: CACHE_COLUMNS.map((c) => c.get(r)),
      tone: r.flags.length > 0 ? 'bad' : r.hitRatio === null ? 'dim' : 'plain',
      data: r,
    }));
    const errors = errorRows(failed.map((b) => ({ backend: b.backend, error: { message: b.error! } })), () => [], CACHE_COLUMNS.length - 2);
    const warnings = fleet.caches.flatMap((r) => r.flags.map((f) => `${r.cache}${r.instance ? ` @ ${r.instance}` : ''}: ${f.message}`));
    return { rows: [...errors, ...rows], columns: CACHES_COLUMNS, ...(warnings.length > 0 ? { warnings } : {}) };
  },
  enter(row) {
    if (isErrorRow(row)) return errorDetail(row, 'cache source');
    const r = row.data as CacheRow;
    return {
      kind: 'detail',
      title: `cache ${r.cache}${r.instance ? ` @ ${r.instance}` : ''} — last hour`,
      async load(session, cols = 100) {
        const d = await cacheDetail(session, { windowMs: WINDOW_MS, sampleMs: SAMPLE_MS, cache: r.cache }, HISTORY_MS, Date.now());
        const mine = d.history.filter((h) => h.instance === r.instance && h.source === r.source);
        const facts = [
          `kind ${r.kind} · source ${r.source} · ${Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(' ') || 'no other labels'}`,
          ...r.flags.map((f) => `⚑ ${f.kind}: ${f.message}`),
          '',
        ];
        if (mine.length === 0) return [...facts, ...d.notes, `no history for ${r.cache} @ ${r.instance} in the metrics backend`];
        return [...facts, ...historyCharts(mine[0]!, PLAIN, Math.max(40, cols - 2), 8)];
      },
    };
  },
  actions: [],
};
