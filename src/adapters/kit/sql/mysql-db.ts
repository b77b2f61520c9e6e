import { endWithin, mapped, type Db, type DbSettings, type Query } from './db.js';

/** A small mysql2 pool (mysql2 is loaded here, on first use); dates come back as the server's text. */
export async function openMysql(s: DbSettings): Promise<Db> {
  const mod = (await import('mysql2/promise')) as unknown as { default?: typeof import('mysql2/promise') } & typeof import('mysql2/promise');
  const mysql = mod.default ?? mod;
  const pool = mysql.createPool({
    // mysql2 knows only the mysql: scheme; MariaDB speaks the same protocol.
    uri: s.url.replace(/^mariadb:/i, 'mysql:'),
    connectionLimit: 3,
    connectTimeout: s.connectTimeoutMs,
    dateStrings: true,
    // BIGINT ids (Seata's) as strings keep every digit.
    supportBigNumbers: true,
    bigNumberStrings: true,
    // Answers the process-wide question "is it still there" without keeping a one-shot alive.
    enableKeepAlive: false,
    idleTimeout: 10_000,
    maxIdle: 1,
  });
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on('connection', (c) => (c as unknown as { on(e: string, f: () => void): void }).on('error', () => undefined));
  const run =
    (exec: (sql: string, params: unknown[]) => Promise<unknown>): Query =>
    (sql, params = []) =>
      mapped(s, async () => {
        const [result] = (await exec(sql, [...params])) as [unknown];
        if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], affected: 0 };
        return { rows: [], affected: Number((result as { affectedRows?: number }).affectedRows ?? 0) };
      });
  const timed = (q: (opts: { sql: string; timeout: number; values: unknown[] }) => Promise<unknown>) => (sql: string, values: unknown[]) =>
    q({ sql, timeout: s.statementTimeoutMs, values });
  return {
    dialect: 'mysql',
    where: s.where,
    query: run(timed((o) => pool.query(o))),
    async session(fn) {
      const conn = await mapped(s, () => pool.getConnection());
      try {
        return await fn(run(timed((o) => conn.query(o))));
      } finally {
        conn.release();
      }
    },
    close: () => endWithin(pool.end()),
  };
}
