import { OpsError } from '../../core/errors.js';
import type { SeataDbOptions } from './options.js';

export type Row = Record<string, unknown>;

/** The little this adapter needs from a database: parameterized reads and a way to close. */
export interface SqlClient {
  readonly dialect: 'pg' | 'mysql';
  /** Runs a statement written with `?` placeholders; values are always bound, never spliced. */
  query(sql: string, params: readonly unknown[]): Promise<Row[]>;
  /** Quotes a checked `name` or `schema.name` for this dialect. */
  ident(name: string): string;
  close(): Promise<void>;
}

/**
 * Opens a small pool with the driver for the URL's scheme. The drivers are imported here, on first
 * use, so a profile without a Seata store never loads them. Nothing connects until the first query.
 */
export async function openSqlClient(o: SeataDbOptions): Promise<SqlClient> {
  return o.dialect === 'pg' ? openPg(o) : openMysql(o);
}

async function openPg(o: SeataDbOptions): Promise<SqlClient> {
  const mod = (await import('pg')) as unknown as { default?: typeof import('pg') } & typeof import('pg');
  const pg = mod.default ?? mod;
  // statement_timeout is the server's; query_timeout is ours, for a server that stopped answering at all.
  const pool = new pg.Pool({ connectionString: o.url, max: 2, connectionTimeoutMillis: o.timeoutMs, statement_timeout: o.timeoutMs, query_timeout: o.timeoutMs + 1000, idleTimeoutMillis: 5_000 });
  // An idle connection the server drops must not crash the process.
  pool.on('error', () => undefined);
  return {
    dialect: 'pg',
    async query(sql, params) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      try {
        return (await pool.query(text, params as unknown[])).rows as Row[];
      } catch (e) {
        throw mapError(e, o);
      }
    },
    ident: (name) => name.split('.').map((p) => `"${p}"`).join('.'),
    close: () => endWithin(pool.end()),
  };
}

async function openMysql(o: SeataDbOptions): Promise<SqlClient> {
  const mod = (await import('mysql2/promise')) as unknown as { default?: typeof import('mysql2/promise') } & typeof import('mysql2/promise');
  const mysql = mod.default ?? mod;
  // Ids are BIGINT: as strings they keep every digit.
  const pool = mysql.createPool({ uri: o.url, connectionLimit: 2, connectTimeout: o.timeoutMs, supportBigNumbers: true, bigNumberStrings: true });
  pool.on('connection', (c) => (c as unknown as { on(e: string, f: () => void): void }).on('error', () => undefined));
  return {
    dialect: 'mysql',
    async query(sql, params) {
      try {
        const [rows] = await pool.query({ sql, timeout: o.timeoutMs }, params as unknown[]);
        return rows as Row[];
      } catch (e) {
        throw mapError(e, o);
      }
    },
    ident: (name) => name.split('.').map((p) => `\`${p}\``).join('.'),
    close: () => endWithin(pool.end()),
  };
}

/**
 * Closing never fails and never holds the process: a pool whose connection died rejects end(),
 * and one whose server hangs may never finish it.
 */
async function endWithin(ending: Promise<void>): Promise<void> {
  await Promise.race([ending.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
}

/** Driver errors to kinds, in words that name the store (never the password). */
function mapError(e: unknown, o: SeataDbOptions): OpsError {
  const err = e as { code?: string; errno?: number; message?: string };
  const code = String(err.code ?? '');
  const msg = String(err.message ?? e);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EAI_AGAIN/.test(code) || /ECONNREFUSED|Connection terminated/.test(msg)) {
    return new OpsError('unreachable', `Seata store ${o.safeUrl} is unreachable: ${msg}`, 'check the url in the profile and that the database is up');
  }
  if (/ETIMEDOUT|PROTOCOL_SEQUENCE_TIMEOUT/.test(code) || code === '57014' || /timeout/i.test(msg)) {
    return new OpsError('timeout', `Seata store ${o.safeUrl} did not answer within ${o.timeoutMs} ms`, 'raise timeoutMs in the profile, or narrow the query');
  }
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return new OpsError('unauthorized', `Seata store ${o.safeUrl} refused the login: ${msg}`, 'check the user and password in the url (use ${ENV} for the password)');
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') {
    return new OpsError('config', `Seata store ${o.safeUrl}: ${msg}`, 'check the database name in the url');
  }
  if (code === '42P01' || code === 'ER_NO_SUCH_TABLE') {
    return new OpsError('config', `Seata store ${o.safeUrl}: ${msg}`, 'set tables: {global, branch, lock} in the profile to the Seata server\'s table names');
  }
  return new OpsError('backend', `Seata store ${o.safeUrl} failed a query: ${msg}`, 'see the database log');
}
