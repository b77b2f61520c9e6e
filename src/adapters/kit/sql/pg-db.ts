import { endWithin, mapped, numberPlaceholders, type Db, type DbSettings, type Query } from './db.js';

const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** A small pg pool (pg is loaded here, on first use) whose timestamps arrive as text. */
export async function openPg(s: DbSettings): Promise<Db> {
  const mod = (await import('pg')) as unknown as { default?: typeof import('pg') } & typeof import('pg');
  const pg = mod.default ?? mod;
  const raw = (v: string) => v;
  const pool = new pg.Pool({
    connectionString: s.url,
    max: 3,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: s.connectTimeoutMs,
    // statement_timeout is the server's; query_timeout is ours, for a server that stopped answering at all.
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
    (sql, params = []) =>
      mapped(s, async () => {
        const r = await exec(numberPlaceholders(sql), [...params]);
        return { rows: r.rows as Record<string, unknown>[], affected: r.rowCount ?? 0 };
      });
  return {
    dialect: 'postgres',
    where: s.where,
    query: run((sql, params) => pool.query(sql, params)),
    async session(fn) {
      const client = await mapped(s, () => pool.connect());
      try {
        return await fn(run((sql, params) => client.query(sql, params)));
      } finally {
        client.release();
      }
    },
    // end() waits for checked-out clients; a stuck server must not hold a one-shot process.
    close: () => endWithin(pool.end()),
  };
}
