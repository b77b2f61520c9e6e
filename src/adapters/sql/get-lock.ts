import type { LockView, LockWaiter } from '../../core/types.js';
import type { Db, Row } from '../kit/sql/db.js';
import { iso } from './resolve-table.js';

export const GET_LOCK = 'get-lock';

/** Where this server shows user-level locks, decided once per backend. */
type Source = { kind: 'performance_schema' } | { kind: 'metadata_lock_info' } | { kind: 'none'; why: string };

/**
 * MySQL/MariaDB GET_LOCK locks. performance_schema.metadata_locks has holders (GRANTED) and
 * waiters (PENDING) with their threads; MariaDB's metadata_lock_info plugin has holders only;
 * without either, IS_USED_LOCK still names the holder of a lock asked for by name.
 */
export class GetLocks {
  private source: Promise<Source> | null = null;
  private mariadb: Promise<boolean> | null = null;

  constructor(private readonly db: Db, private readonly backend: string) {}

  /** null when every lock can be listed, else the reason and the setting that would fix it. */
  async unavailable(): Promise<string | null> {
    const s = await this.where();
    return s.kind === 'none' ? s.why : null;
  }

  async list(prefix: string): Promise<LockView[]> {
    const s = await this.where();
    if (s.kind === 'none') return [];
    return (await this.all(s)).filter((v) => v.name.startsWith(prefix));
  }

  async inspect(name: string): Promise<LockView | null> {
    if (!name.startsWith(`${GET_LOCK}:`)) return null;
    const s = await this.where();
    if (s.kind !== 'none') return (await this.all(s)).find((v) => v.name === name) ?? null;
    const lock = name.slice(GET_LOCK.length + 1);
    const { rows } = await this.db.query('SELECT IS_USED_LOCK(?) AS id', [lock]);
    const id = rows[0]?.id;
    if (id === null || id === undefined) return null;
    return this.view(name, [{ conn: id, status: 'GRANTED' }], s.why);
  }

  /**
   * KILLs the holder's connection only if it still holds the lock. MariaDB checks and kills in
   * one compound statement; MySQL has no conditional KILL, so there the check runs just before.
   */
  async kill(name: string, connectionId: number): Promise<boolean> {
    const lock = name.slice(GET_LOCK.length + 1);
    if (!Number.isSafeInteger(connectionId) || connectionId <= 0) return false;
    this.mariadb ??= this.db.query('SELECT VERSION() AS v').then((r) => /mariadb/i.test(String(r.rows[0]?.v)));
    const killed = await this.db.session(async (q) => {
      if (await this.mariadb) {
        await q('SET @opsdeck_lock = ?, @opsdeck_conn = ?, @opsdeck_killed = 0', [lock, connectionId]);
        await q('BEGIN NOT ATOMIC IF IS_USED_LOCK(@opsdeck_lock) <=> @opsdeck_conn THEN KILL CONNECTION @opsdeck_conn; SET @opsdeck_killed = 1; END IF; END');
        return Number((await q('SELECT @opsdeck_killed AS k')).rows[0]?.k) === 1;
      }
      const { rows } = await q('SELECT IS_USED_LOCK(?) AS id', [lock]);
      if (Number(rows[0]?.id) !== connectionId) return false;
      await q(`KILL CONNECTION ${connectionId}`);
      return true;
    });
    if (!killed) return false;
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const { rows } = await this.db.query('SELECT IS_USED_LOCK(?) AS id', [lock]);
      if (Number(rows[0]?.id) !== connectionId) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  private where(): Promise<Source> {
    this.source ??= this.detect().catch((e: unknown) => {
      this.source = null;
      throw e;
    });
    return this.source;
  }

  private async detect(): Promise<Source> {
    const { rows } = await this.db.query('SELECT @@performance_schema AS ps, VERSION() AS v');
    const maria = /mariadb/i.test(String(rows[0]?.v));
    if (Number(rows[0]?.ps) === 1) {
      const inst = await this.db.query(`SELECT ENABLED AS e FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl'`);
      if (String(inst.rows[0]?.e).toUpperCase() === 'YES') return { kind: 'performance_schema' };
      if (!maria) return { kind: 'none', why: "performance_schema is ON but the instrument wait/lock/metadata/sql/mdl is disabled; enable it (UPDATE performance_schema.setup_instruments SET ENABLED='YES' WHERE NAME='wait/lock/metadata/sql/mdl', or performance-schema-instrument='wait/lock/metadata/sql/mdl=ON' in my.cnf)" };
    }
    if (maria) {
      const plugin = await this.db.query(`SELECT 1 AS x FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'METADATA_LOCK_INFO' AND PLUGIN_STATUS = 'ACTIVE'`);
      if (plugin.rows.length > 0) return { kind: 'metadata_lock_info' };
    }
    const fix = maria
      ? "set performance_schema=ON and performance-schema-instrument='wait/lock/metadata/sql/mdl=ON' in the server's my.cnf (restart needed), or INSTALL SONAME 'metadata_lock_info' for holders without waiters"
      : 'set performance_schema=ON in my.cnf (restart needed)';
    return {
      kind: 'none',
      why: `GET_LOCK locks cannot be listed: ${Number(rows[0]?.ps) === 1 ? 'the metadata lock instrument is off' : 'performance_schema is OFF'} on this server; ${fix}. "locks show ${GET_LOCK}:NAME" still finds a holder by name (IS_USED_LOCK), without waiters`,
    };
  }

  private async all(s: Source): Promise<LockView[]> {
    let rows: Row[];
    if (s.kind === 'performance_schema') {
      rows = (
        await this.db.query(
          `SELECT m.OBJECT_NAME AS name, m.LOCK_STATUS AS status, t.PROCESSLIST_ID AS conn, t.PROCESSLIST_USER AS usr, t.PROCESSLIST_HOST AS host, t.PROCESSLIST_TIME AS secs
             FROM performance_schema.metadata_locks m LEFT JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID
            WHERE m.OBJECT_TYPE = 'USER LEVEL LOCK'`,
        )
      ).rows;
    } else {
      // metadata_lock_info: THREAD_ID is the connection id and TABLE_SCHEMA holds the lock name.
      rows = (
        await this.db.query(
          `SELECT i.TABLE_SCHEMA AS name, 'GRANTED' AS status, i.THREAD_ID AS conn, p.USER AS usr, p.HOST AS host, i.LOCK_TIME_MS AS held_ms
             FROM information_schema.METADATA_LOCK_INFO i LEFT JOIN information_schema.PROCESSLIST p ON p.ID = i.THREAD_ID
            WHERE i.LOCK_TYPE = 'User lock'`,
        )
      ).rows;
    }
    const byName = new Map<string, Row[]>();
    for (const r of rows) {
      const name = `${GET_LOCK}:${String(r.name)}`;
      byName.set(name, [...(byName.get(name) ?? []), r]);
    }
    const note = s.kind === 'metadata_lock_info' ? 'waiters need performance_schema (metadata_lock_info shows holders only)' : null;
    return [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, rs]) => this.view(name, rs, note));
  }

  private view(name: string, rows: Row[], note: string | null): LockView {
    const now = Date.now();
    const holder = rows.find((r) => String(r.status).toUpperCase() === 'GRANTED');
    const pending = rows.filter((r) => String(r.status).toUpperCase() === 'PENDING');
    // PROCESSLIST_TIME is how long the waiting GET_LOCK statement has run: the wait, to the second.
    const waiters: LockWaiter[] = pending
      .map((r) => ({ r, since: r.secs === null || r.secs === undefined ? null : now - Number(r.secs) * 1000 }))
      .sort((a, b) => (a.since ?? Infinity) - (b.since ?? Infinity) || Number(a.r.conn) - Number(b.r.conn))
      .map(({ r, since }) => ({ owner: who(r), since: iso(since), until: null }));
    const held = holder?.held_ms === undefined || holder.held_ms === null ? null : now - Number(holder.held_ms);
    return {
      backend: this.backend,
      name,
      kind: GET_LOCK,
      holder: holder ? who(holder) : null,
      acquiredAt: iso(held),
      expiresAt: null,
      ttlMs: null,
      reentrancy: null,
      waiters: note === null ? waiters : null,
      token: holder ? Number(holder.conn) : null,
      details: {
        lock: name.slice(GET_LOCK.length + 1),
        ...(holder ? { connectionId: Number(holder.conn), user: holder.usr ?? null, host: holder.host ?? null } : {}),
        ...(note === null ? {} : { note }),
      },
    };
  }
}

/** "conn 17 app@10.0.0.5": the connection id is what KILL takes. */
function who(r: Row): string {
  const user = r.usr ? ` ${String(r.usr)}${r.host ? `@${String(r.host)}` : ''}` : '';
  return `conn ${String(r.conn)}${user}`;
}
