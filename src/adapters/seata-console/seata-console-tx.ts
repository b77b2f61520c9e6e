import type { GlobalFilter, GlobalTx, LockFilter, RowLock, TxBackend, TxListOptions } from '../../core/transactions.js';
import { decodeRowKey } from '../../core/tx-row-key.js';
import type { ConsoleHttp } from './console-http.js';
import type { SeataConsoleOptions } from './options.js';
import { branchTimesAreDates, isObj, toBranch, toGlobal, toRowLock } from './vo.js';

const GLOBALS = '/api/v1/console/globalSession/query';
const LOCKS = '/api/v1/console/globalLock/query';
/** The console refuses pageNum above 999 (common/util/PageUtil). */
const MAX_PAGE_NUM = 999;

type Params = Record<string, string | number | boolean | undefined>;

/**
 * Reads the Seata console's query endpoints, page by page. Filters the console applies loosely
 * (the file store matches applicationId and xid by substring) are applied again here, and the
 * age filter is applied only here: the stores disagree on what timeEnd means.
 */
export function seataConsoleTx(http: ConsoleHttp, o: SeataConsoleOptions): TxBackend {
  /** Pages through one query until `want` items passed `keep`, the pages end, or maxPages. */
  async function collect<T>(path: string, params: Params, convert: (v: Record<string, unknown>) => T | null, keep: (t: T) => boolean, want: number, opts?: TxListOptions): Promise<T[]> {
    const out: T[] = [];
    let skipped = 0;
    const lastPage = Math.min(o.maxPages, MAX_PAGE_NUM);
    for (let pageNum = 1; ; pageNum++) {
      const env = await http.get(path, { ...params, pageNum, pageSize: o.pageSize }, opts?.signal);
      const items = Array.isArray(env.data) ? env.data : [];
      for (const raw of items) {
        const t = isObj(raw) ? convert(raw) : null;
        if (t === null) skipped++;
        else if (keep(t)) out.push(t);
      }
      const pages = typeof env.pages === 'number' ? env.pages : null;
      const more = items.length >= o.pageSize && (pages === null || pageNum < pages);
      if (out.length > want) {
        opts?.onIncomplete?.(`more than ${want} match`);
        break;
      }
      if (!more) break;
      if (pageNum >= lastPage) {
        opts?.onIncomplete?.(`stopped after ${pageNum} pages of ${o.pageSize}${pages !== null ? ` (the console has ${pages})` : ''}; raise maxPages in the profile or narrow the filter`);
        break;
      }
    }
    if (skipped > 0) opts?.onWarning?.(`${skipped} console entr${skipped === 1 ? 'y' : 'ies'} without an id skipped`);
    return out.slice(0, want);
  }

  async function listLocks(filter: LockFilter, opts?: TxListOptions): Promise<RowLock[]> {
    const key = filter.rowKey === undefined ? null : decodeRowKey(filter.rowKey);
    const params: Params = { xid: filter.xid, tableName: filter.tableName ?? key?.tableName, pk: key?.pk, resourceId: key?.resourceId };
    const keep = (l: RowLock) =>
      (filter.xid === undefined || l.xid === filter.xid) &&
      (filter.tableName === undefined || l.tableName === filter.tableName) &&
      (filter.rowKey === undefined || l.rowKey === filter.rowKey) &&
      (!filter.rowKeyPrefix || l.rowKey.startsWith(filter.rowKeyPrefix));
    return collect(LOCKS, params, toRowLock, keep, filter.limit, opts);
  }

  return {
    name: o.name,
    version: o.version,
    retryingThresholdMs: o.retryingThresholdMs,

    async listGlobal(filter: GlobalFilter, opts?: TxListOptions): Promise<GlobalTx[]> {
      const keep = (t: GlobalTx) =>
        (filter.applicationId === undefined || t.applicationId === filter.applicationId) &&
        (filter.beganBefore === undefined || (t.beganAt !== null && Date.parse(t.beganAt) < filter.beganBefore));
      const base: Params = { applicationId: filter.applicationId, withBranch: true };
      // The console filters one status per query.
      const statuses: Array<number | undefined> = filter.statuses && filter.statuses.length > 0 ? [...new Set(filter.statuses)] : [undefined];
      const out: GlobalTx[] = [];
      for (const status of statuses) {
        const left = filter.limit - out.length;
        if (left <= 0) {
          opts?.onIncomplete?.(`more than ${filter.limit} match`);
          break;
        }
        out.push(...(await collect(GLOBALS, { ...base, status }, toGlobal, keep, left, opts)));
      }
      return out;
    },

    async getGlobal(xid: string, opts?: TxListOptions) {
      const [found] = await collect(GLOBALS, { xid, withBranch: true }, (v) => {
        const g = toGlobal(v);
        return g && { g, branches: (Array.isArray(v.branchSessionVOs) ? v.branchSessionVOs : []).filter(isObj) };
      }, (x) => x.g.xid === xid, 1, opts);
      if (!found) return null;
      const branches = found.branches.map(toBranch).filter((b) => b !== null).sort((a, b) => cmpId(a.branchId, b.branchId));
      if (found.branches.some(branchTimesAreDates)) opts?.onWarning?.('the console sent branch times as dates only (its DB store reads them without the time); branch ages are shown as -');
      const locks = await listLocks({ xid, limit: 5000 }, opts);
      return { global: { ...found.g, branchCount: branches.length }, branches, locks };
    },

    listLocks,
  };
}

/** Numeric ids as strings, compared as numbers without losing digits. */
function cmpId(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
