import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { openDb } from '../kit/sql/db.js';
import { parseSqlOptions } from './options.js';
import { SqlLocks } from './sql-locks.js';

/**
 * The SQL lock adapter for PostgreSQL (`type: postgres`) and MySQL/MariaDB (`type: mysql`): lock
 * tables of ShedLock, Spring Integration and home-made unique-key designs, plus the server's own
 * advisory / GET_LOCK locks. The driver loads when a profile uses it; connections open on first use.
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseSqlOptions(options, ctx.name, ctx.type);
  const db = await openDb(o.dialect, {
    url: o.url,
    where: o.where,
    connectTimeoutMs: o.connectTimeoutMs,
    statementTimeoutMs: o.statementTimeoutMs,
    hints: { timeout: 'check the server, or raise connectTimeoutMs / statementTimeoutMs in the profile' },
  });
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
