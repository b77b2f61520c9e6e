import type { CacheDetail, CacheFleet, CacheRow } from '../../core/cache-fleet.js';
import { CACHE_COLUMNS, historyCharts } from '../../render/cache-fleet-view.js';
import { PLAIN } from '../../render/style.js';
import type { Level, LoadedView } from './pane-levels.js';
import { paneTable } from './pane-table.js';
import { errorDetail, errorRows, isErrorRow } from './scoped-rows.js';

/**
 * The caches pane: `cache list` in its CLI columns (read through the command, so the pane and the
 * command cannot disagree), flagged rows red with the flags' sentences above the rows, a source
 * that could not be read as a red row naming it. Enter opens the cache's charts over the last hour
 * for that instance, from `cache show`: hit ratio, lookups/s, evictions/s.
 */
export const cachesTop: Level = {
  // Each load runs a dozen PromQL queries and watches Redis for a second: not every 2 s.
  minRefreshMs: () => 10_000,
  async load(reads): Promise<LoadedView> {
    const { data: fleet, warnings: said } = await reads.readNoting<CacheFleet>(['cache', 'list']);
    const failed = fleet.backends.filter((b) => b.error !== null);
    // Nothing answered: throw, so the pane keeps its last rows with the error in its header.
    if (failed.length > 0 && failed.length === fleet.backends.length) throw new Error(failed.map((b) => `${b.backend}: ${b.error}`).join('; '));
    const table = paneTable(CACHE_COLUMNS, fleet.caches, (r) => ({
      key: `${r.source}/${r.kind}/${r.cache}/${r.instance}/${JSON.stringify(r.labels)}`,
      tone: r.flags.length > 0 ? 'bad' : r.hitRatio === null ? 'dim' : 'plain',
      data: r,
    }));
    const flags = fleet.caches.flatMap((r) => r.flags.map((f) => `${r.cache}${r.instance ? ` @ ${r.instance}` : ''}: ${f.message}`));
    // The command's own warnings name the failed sources, which are red rows already.
    const warnings = [...flags, ...said.filter((w) => !failed.some((b) => w.includes(`backend ${b.backend} was not read`)))];
    return { ...table, rows: [...table.rows, ...errorRows(failed, table.columns)], ...(warnings.length > 0 ? { warnings } : {}) };
  },
  enter(row) {
    if (isErrorRow(row)) return errorDetail(row, 'cache source');
    const r = row.data as CacheRow;
    return {
      kind: 'detail',
      title: `cache ${r.cache}${r.instance ? ` @ ${r.instance}` : ''} — last hour`,
      async load(reads, cols = 100) {
        const d = await reads.read<CacheDetail>(['cache', 'show', r.cache, '--range', '1h']);
        const mine = d.history.find((h) => h.instance === r.instance && h.source === r.source);
        const facts = [
          `kind ${r.kind} · source ${r.source} · ${Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(' ') || 'no other labels'}`,
          ...r.flags.map((f) => `⚑ ${f.kind}: ${f.message}`),
          '',
        ];
        if (!mine) return [...facts, ...d.notes, `no history for ${r.cache} @ ${r.instance} in the metrics backend`];
        return [...facts, ...historyCharts(mine, PLAIN, Math.max(40, cols - 2), 8)];
      },
    };
  },
  actions: [],
};
