import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import type { Db } from './db.js';
import { openMysql } from './mysql-db.js';
import { parseSqlOptions } from './options.js';
import { openPg } from './pg-db.js';
import { SqlLocks } from './sql-locks.js';

/**
 * The SQL lock adapter for PostgreSQL (`type: postgres`) and MySQL/MariaDB (`type: mysql`): lock
 * tables of ShedLock, Spring Integration and home-made unique-key designs, plus the server's own
 * advisory / GET_LOCK locks. The driver loads when a profile uses it; connections open on first use.
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseSqlOptions(options, ctx.name, ctx.type);
  const settings = { url: o.url, where: o.where, connectTimeoutMs: o.connectTimeoutMs, statementTimeoutMs: o.statementTimeoutMs };
  const db: Db = o.dialect === 'postgres' ? await openPg(settings) : await openMysql(settings);
  return {
    type: o.dialect,
    locks: new SqlLocks(db, o),
    async ping() {
      const { rows } = await db.query('SELECT VERSION() AS v');
      return { version: rows[0]?.v === undefined ? null : String(rows[0].v) };
    },
    async dispose() {
      await db.close();
    },
  };
}
