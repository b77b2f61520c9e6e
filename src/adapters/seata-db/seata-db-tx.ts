import { OpsError, usage } from '../../core/errors.js';
import type { GlobalFilter, GlobalTx, LockFilter, RowLock, TxBackend, TxListOptions } from '../../core/transactions.js';
import type { SeataDbOptions } from './options.js';
import { toBranch, toGlobal, toRowLock } from './rows.js';
import { describeTable, selectList, type TableKey, type TableShape } from './schema.js';
import type { Db } from '../kit/sql/db.js';

/** Bounds on one answer, whatever the caller asks: the store of a busy coordinator can be large. */
export const MAX_ROWS = 5000;
const MAX_BRANCHES = 1000;

/**
 * Reads Seata's DB store. Only SELECTs: the coordinator owns these tables and keeps its sessions,
 * branches and locks consistent across them; a row changed behind its back is a corrupt session.
 */
export function seataDbTx(db: Db, o: SeataDbOptions): TxBackend {
  const shapes = new Map<TableKey, Promise<TableShape>>();
  const shape = async (key: TableKey, opts?: TxListOptions): Promise<TableShape> => {
    let p = shapes.get(key);
    if (!p) {
      p = describeTable(db, o, key);
      p.catch(() => shapes.delete(key));
      shapes.set(key, p);
    }
    const s = await p;
    if (s.missing.length > 0) opts?.onWarning?.(`${o.tables[key]} has no ${s.missing.join(', ')} column${s.missing.length > 1 ? 's' : ''}; shown as -`);
    return s;
  };
  const aborted = (opts?: TxListOptions) => {
    if (opts?.signal?.aborted) throw new OpsError('failed', 'cancelled', 'run the command again');
  };

  async function branchCounts(xids: string[], opts?: TxListOptions): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (xids.length === 0) return counts;
    const b = await shape('branch', opts);
    const rows = (await db.query(`SELECT xid, COUNT(*) AS n FROM ${b.sql} WHERE xid IN (${xids.map(() => '?').join(', ')}) GROUP BY xid`, xids)).rows;
    for (const r of rows) counts.set(String(r.xid), Number(r.n));
    return counts;
  }

  async function listLocks(filter: LockFilter, opts?: TxListOptions): Promise<RowLock[]> {
    const l = await shape('lock', opts);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.rowKey !== undefined) {
      where.push('row_key = ?');
      params.push(filter.rowKey);
    }
    if (filter.xid !== undefined) {
      where.push('xid = ?');
      params.push(filter.xid);
    }
    // The row key holds the table between separators, so the filter works without table_name.
    if (filter.tableName !== undefined) {
      where.push("row_key LIKE ? ESCAPE '!'");
      params.push(`%^^^${likeEscape(filter.tableName)}^^^%`);
    }
    if (filter.rowKeyPrefix) {
      where.push("row_key LIKE ? ESCAPE '!'");
      params.push(`${likeEscape(filter.rowKeyPrefix)}%`);
    }
    const limit = Math.min(filter.limit, MAX_ROWS);
    aborted(opts);
    const rows = (await db.query(`SELECT ${selectList(l)} FROM ${l.sql}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY row_key LIMIT ?`, [...params, limit + 1])).rows;
    if (rows.length > limit) opts?.onIncomplete?.(`more than ${limit} row locks match`);
    return rows
      .slice(0, limit)
      .map(toRowLock)
      .filter((x) => filter.tableName === undefined || x.tableName === filter.tableName);
  }

  return {
    name: o.name,
    version: o.version,
    retryingThresholdMs: o.retryingThresholdMs,

    async listGlobal(filter: GlobalFilter, opts?: TxListOptions): Promise<GlobalTx[]> {
      const g = await shape('global', opts);
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.statuses && filter.statuses.length > 0) {
        where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
        params.push(...filter.statuses);
      }
      if (filter.applicationId !== undefined) {
        if (!g.has.has('application_id')) throw usage(`${o.tables.global} has no application_id column, so --app cannot filter`, 'drop --app');
        where.push('application_id = ?');
        params.push(filter.applicationId);
      }
      if (filter.beganBefore !== undefined) {
        if (!g.has.has('begin_time')) throw usage(`${o.tables.global} has no begin_time column, so --older-than cannot filter`, 'drop --older-than');
        where.push('begin_time < ?');
        params.push(filter.beganBefore);
      }
      const limit = Math.min(filter.limit, MAX_ROWS);
      // Oldest first, so a bound keeps the transactions most likely to be stuck.
      const order = g.has.has('begin_time') ? 'begin_time, xid' : 'xid';
      aborted(opts);
      const rows = (await db.query(`SELECT ${selectList(g)} FROM ${g.sql}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`, [...params, limit + 1])).rows;
      if (rows.length > limit) opts?.onIncomplete?.(`more than ${limit} global transactions match; the oldest ${limit} are shown`);
      const page = rows.slice(0, limit);
      aborted(opts);
      const counts = await branchCounts(page.map((r) => String(r.xid)), opts);
      return page.map((r) => toGlobal(r, counts.get(String(r.xid)) ?? 0));
    },

    async getGlobal(xid: string, opts?: TxListOptions) {
      const g = await shape('global', opts);
      const found = (await db.query(`SELECT ${selectList(g)} FROM ${g.sql} WHERE xid = ?`, [xid])).rows;
      if (found.length === 0) return null;
      const b = await shape('branch', opts);
      const rows = (await db.query(`SELECT ${selectList(b)} FROM ${b.sql} WHERE xid = ? ORDER BY branch_id LIMIT ?`, [xid, MAX_BRANCHES + 1])).rows;
      if (rows.length > MAX_BRANCHES) opts?.onIncomplete?.(`more than ${MAX_BRANCHES} branches; the first ${MAX_BRANCHES} are shown`);
      const branches = rows.slice(0, MAX_BRANCHES).map(toBranch);
      const locks = await listLocks({ xid, limit: MAX_ROWS }, opts);
      return { global: toGlobal(found[0]!, branches.length), branches, locks };
    },

    listLocks,
  };
}

/** LIKE wildcards in user text are literal; '!' is the escape (a backslash means different things in MySQL and PostgreSQL literals). */
function likeEscape(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}
