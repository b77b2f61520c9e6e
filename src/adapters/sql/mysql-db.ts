import type { Db, Query } from './db.js';
import type { DbSettings } from './pg-db.js';
import { mapSqlError } from './sql-errors.js';

/** A small mysql2 pool (loaded on first use); dates come back as the server's text. */
export async function openMysql(s: DbSettings): Promise<Db> {
  const mysql = (await import('mysql2/promise')).default;
  const pool = mysql.createPool({
    uri: s.url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: 3,
    connectTimeout: s.connectTimeoutMs,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // Answers the process-wide question "is it still there" without keeping a one-shot alive.
    enableKeepAlive: false,
    idleTimeout: 10_000,
    maxIdle: 1,
  });
  const run =
    (exec: (sql: string, params: unknown[]) => Promise<unknown>): Query =>
    async (sql, params = []) => {
      try {
        const [result] = (await exec(sql, params)) as [unknown];
        if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], affected: 0 };
        return { rows: [], affected: Number((result as { affectedRows?: number }).affectedRows ?? 0) };
      } catch (e) {
        throw mapSqlError(e, s.where);
      }
    };
  const timed = (q: (opts: { sql: string; timeout: number; values: unknown[] }) => Promise<unknown>) => (sql: string, values: unknown[]) =>
    q({ sql, timeout: s.statementTimeoutMs, values });
  return {
    dialect: 'mysql',
    where: s.where,
    query: run(timed((o) => pool.query(o))),
    async session(fn) {
      const conn = await pool.getConnection().catch((e: unknown) => {
        throw mapSqlError(e, s.where);
      });
      try {
        return await fn(run(timed((o) => conn.query(o))));
      } finally {
        conn.release();
      }
    },
    async close() {
      await Promise.race([pool.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}
