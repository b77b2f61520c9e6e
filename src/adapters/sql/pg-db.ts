import { numberPlaceholders, type Db, type Query } from './db.js';
import { mapSqlError } from './sql-errors.js';

export interface DbSettings {
  url: string;
  where: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** A small pg pool (loaded on first use) whose timestamps arrive as text. */
export async function openPg(s: DbSettings): Promise<Db> {
  const pg = (await import('pg')).default;
  const raw = (v: string) => v;
  const pool = new pg.Pool({
    connectionString: s.url,
    max: 3,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: s.statementTimeoutMs,
    query_timeout: s.statementTimeoutMs + 1000,
    // Shows in pg_stat_activity, so an operator can tell opsdeck's sessions from the apps'.
    application_name: 'opsdeck',
    types: { getTypeParser: ((oid: number, fmt?: string) => (oid === TIMESTAMP || oid === TIMESTAMPTZ ? raw : pg.types.getTypeParser(oid, fmt as 'text'))) as never },
  });
  // An idle client whose server went away must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const run =
    (exec: (sql: string, params: unknown[]) => Promise<{ rows: unknown[]; rowCount: number | null }>): Query =>
    async (sql, params = []) => {
      try {
        const r = await exec(numberPlaceholders(sql), params);
        return { rows: r.rows as Record<string, unknown>[], affected: r.rowCount ?? 0 };
      } catch (e) {
        throw mapSqlError(e, s.where);
      }
    };
  return {
    dialect: 'postgres',
    where: s.where,
    query: run((sql, params) => pool.query(sql, params)),
    async session(fn) {
      const client = await pool.connect().catch((e: unknown) => {
        throw mapSqlError(e, s.where);
      });
      try {
        return await fn(run((sql, params) => client.query(sql, params)));
      } finally {
        client.release();
      }
    },
    async close() {
      // end() waits for checked-out clients; a stuck server must not hold a one-shot process.
      await Promise.race([pool.end().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}

