import type { LockView, LockWaiter } from '../../core/types.js';
import type { Db, Row } from '../kit/sql/db.js';
import { iso } from './resolve-table.js';
import { parseTimestamp } from './zoned-time.js';

export const PG_ADVISORY = 'pg-advisory';

/**
 * PostgreSQL advisory locks of the profile's database, from pg_locks joined to
 * pg_stat_activity. A bigint key is split over classid (high half) and objid (low half) with
 * objsubid 1; a pair of int4 keys is classid, objid with objsubid 2. Holders are sessions (pids);
 * waiters are ungranted rows, with waitstart from PostgreSQL 14 on.
 */
export class PgAdvisoryLocks {
  private waitstart: Promise<boolean> | null = null;

  constructor(private readonly db: Db, private readonly backend: string) {}

  async list(prefix: string): Promise<LockView[]> {
    const views = await this.all();
    return views.filter((v) => v.name.startsWith(prefix));
  }

  async inspect(name: string): Promise<LockView | null> {
    return (await this.all()).find((v) => v.name === name) ?? null;
  }

  /**
   * Ends the holder's session with pg_terminate_backend, in one statement that checks the pid
   * still holds this very lock. Then waits briefly for the server to drop it.
   */
  async terminate(name: string, pid: number): Promise<boolean> {
    const key = parseKey(name);
    if (!key) return false;
    const { rows } = await this.db.query(
      `SELECT pg_terminate_backend(l.pid) AS ok FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.pid = ?
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ?::oid AND l.objid = ?::oid AND l.objsubid = ?`,
      [pid, key.classid, key.objid, key.objsubid],
    );
    if (rows[0]?.ok !== true) return false;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const still = await this.db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = ? AND classid = ?::oid AND objid = ?::oid AND objsubid = ?`, [pid, key.classid, key.objid, key.objsubid]);
      if (still.rows.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  private async all(): Promise<LockView[]> {
    this.waitstart ??= this.db.query(`SELECT current_setting('server_version_num')::int >= 140000 AS v`).then((r) => r.rows[0]?.v === true);
    const ws = await this.waitstart;
    const { rows } = await this.db.query(
      `SELECT l.classid::text AS classid, l.objid::text AS objid, l.objsubid AS objsubid, l.pid AS pid, l.mode AS mode, l.granted AS granted,
              ${ws ? 'l.waitstart' : 'NULL::timestamptz'} AS waitstart,
              a.application_name AS app, host(a.client_addr) AS addr, a.client_port AS port, a.usename AS usr,
              a.backend_start AS backend_start, a.xact_start AS xact_start, a.state AS state
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    const byName = new Map<string, Row[]>();
    for (const r of rows) {
      const name = nameOf(String(r.classid), String(r.objid), Number(r.objsubid));
      byName.set(name, [...(byName.get(name) ?? []), r]);
    }
    return [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, rs]) => this.view(name, rs, ws));
  }

  private view(name: string, rows: Row[], hasWaitstart: boolean): LockView {
    const holders = rows.filter((r) => r.granted === true).sort((a, b) => Number(a.pid) - Number(b.pid));
    const waiting = rows
      .filter((r) => r.granted !== true)
      .map((r) => ({ r, since: r.waitstart ? parseTimestamp(String(r.waitstart), 'UTC') : null }))
      .sort((a, b) => (a.since ?? Infinity) - (b.since ?? Infinity) || Number(a.r.pid) - Number(b.r.pid));
    const first = holders[0];
    const waiters: LockWaiter[] = waiting.map(({ r, since }) => ({ owner: who(r), since: iso(since), until: null }));
    const session = (r: Row) => ({
      pid: Number(r.pid),
      mode: r.mode,
      application: r.app || null,
      clientAddr: r.addr ?? null,
      clientPort: r.port ?? null,
      user: r.usr ?? null,
      backendStart: iso(r.backend_start ? parseTimestamp(String(r.backend_start), 'UTC') : null),
      xactStart: iso(r.xact_start ? parseTimestamp(String(r.xact_start), 'UTC') : null),
      state: r.state ?? null,
    });
    return {
      backend: this.backend,
      name,
      kind: PG_ADVISORY,
      holder: first ? who(first) : null,
      // pg_locks does not say when a lock was granted; the session's start is in details.
      acquiredAt: null,
      expiresAt: null,
      ttlMs: null,
      reentrancy: null,
      waiters,
      token: first ? Number(first.pid) : null,
      details: {
        key: name.slice(PG_ADVISORY.length + 1),
        keyForm: name.includes(',') ? 'two int4' : 'bigint',
        holders: holders.map(session),
        ...(hasWaitstart ? {} : { note: 'waitstart needs PostgreSQL 14 or newer' }),
        ...(first ? session(first) : {}),
      },
    };
  }
}

/** "pid 4242 billing@10.0.0.5": the pid is what the server knows; the rest helps find the app. */
function who(r: Row): string {
  const app = typeof r.app === 'string' && r.app !== '' ? ` ${r.app}` : '';
  const addr = r.addr ? `@${String(r.addr)}` : '';
  return `pid ${String(r.pid)}${app}${addr}`;
}

function nameOf(classid: string, objid: string, objsubid: number): string {
  if (objsubid === 2) return `${PG_ADVISORY}:${BigInt.asIntN(32, BigInt(classid))},${BigInt.asIntN(32, BigInt(objid))}`;
  return `${PG_ADVISORY}:${BigInt.asIntN(64, (BigInt(classid) << 32n) | BigInt(objid))}`;
}

/** The pg_locks columns of a name shown by nameOf, or null for anything else. */
export function parseKey(name: string): { classid: string; objid: string; objsubid: number } | null {
  const m = /^pg-advisory:(-?\d{1,20})(?:,(-?\d{1,11}))?$/.exec(name);
  if (!m) return null;
  const u32 = (v: bigint) => BigInt.asUintN(32, v).toString();
  if (m[2] !== undefined) {
    const a = BigInt(m[1]!);
    const b = BigInt(m[2]);
    if (BigInt.asIntN(32, a) !== a || BigInt.asIntN(32, b) !== b) return null;
    return { classid: u32(a), objid: u32(b), objsubid: 2 };
  }
  const k = BigInt(m[1]!);
  if (BigInt.asIntN(64, k) !== k) return null;
  return { classid: u32(k >> 32n), objid: u32(k), objsubid: 1 };
}
