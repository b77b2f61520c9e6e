import { mapSqlError, type SqlHints } from './sql-errors.js';

/** PostgreSQL, or MySQL/MariaDB (one protocol, one driver). */
export type Dialect = 'postgres' | 'mysql';

export type Row = Record<string, unknown>;

/** One statement's outcome: rows for SELECTs, the affected row count for writes. */
export interface QueryResult {
  rows: Row[];
  affected: number;
}

export type Query = (sql: string, params?: readonly unknown[]) => Promise<QueryResult>;

/**
 * The little opsdeck needs from pg or mysql2, for every adapter that reads a database (SQL locks,
 * Seata's DB store). SQL is written with `?` placeholders; the PostgreSQL side numbers them, and
 * values are always bound, never spliced. Timestamps always come back as the server's text, never
 * as JS Dates, so no driver guesses a time zone on our behalf. Errors arrive as OpsErrors.
 */
export interface Db {
  readonly dialect: Dialect;
  /** Names the database in messages, without its password. */
  readonly where: string;
  query: Query;
  /** Runs fn on one connection, for statements that depend on session state (user variables). */
  session<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  /** Never fails and never holds the process longer than a second. */
  close(): Promise<void>;
}

export interface DbSettings {
  /** postgres://, postgresql://, mysql:// or mariadb://, credentials included. */
  url: string;
  where: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** Next steps that name the adapter's own profile keys. */
  hints?: SqlHints;
}

/** The dialect a URL's scheme names, or undefined for any other scheme. */
export function dialectOfUrl(url: string): Dialect | undefined {
  const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme === 'mysql' || scheme === 'mariadb') return 'mysql';
  return undefined;
}

/**
 * Opens a small pool (3 connections) with the driver for the dialect, imported here on first use,
 * so a profile without a database never loads pg or mysql2. Nothing connects until the first query.
 */
export async function openDb(dialect: Dialect, s: DbSettings): Promise<Db> {
  return dialect === 'postgres' ? (await import('./pg-db.js')).openPg(s) : (await import('./mysql-db.js')).openMysql(s);
}

/** INSERT that reports false instead of failing when the key exists (a lock someone holds). */
export async function insertIfAbsent(db: Db, insert: string, params: unknown[]): Promise<boolean> {
  if (db.dialect === 'postgres') return (await db.query(`${insert} ON CONFLICT DO NOTHING`, params)).affected === 1;
  try {
    await db.query(insert, params);
    return true;
  } catch (e) {
    if ((e as { details?: { duplicateKey?: boolean } }).details?.duplicateKey) return false;
    throw e;
  }
}

/** `?` → `$1, $2, ...` (the SQL text is ours; `?` never occurs inside its literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** How often a statement the server chose as a deadlock victim is run again. */
const DEADLOCK_RETRIES = 4;

/**
 * Runs a driver call and maps its failure, for the pg and mysql2 layers. A statement the server
 * rolled back as a deadlock victim (InnoDB's unique-key gap locks do this to contending INSERTs
 * and DELETEs of lock rows) is run again after a short random pause: opsdeck runs every statement
 * on its own, in autocommit, so the victim's work was undone whole and running it again is exactly
 * once. Only after several losses in a row does the deadlock reach the user.
 */
export async function mapped<T>(s: DbSettings, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (attempt < DEADLOCK_RETRIES && isDeadlockVictim(e)) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw mapSqlError(e, s.where, s.hints);
    }
  }
}

/** MySQL/MariaDB ER_LOCK_DEADLOCK (1213); PostgreSQL deadlock_detected (40P01) and serialization_failure (40001). */
export function isDeadlockVictim(e: unknown): boolean {
  const err = e as { code?: unknown; errno?: unknown } | null;
  return err?.errno === 1213 || err?.code === 'ER_LOCK_DEADLOCK' || err?.code === '40P01' || err?.code === '40001';
}

/**
 * Ends a pool without failing and without holding the process: a pool whose connection died
 * rejects end(), and one whose server hangs may never finish it, so it is cut off after 1 s.
 */
export async function endWithin(ending: Promise<void>): Promise<void> {
  await Promise.race([ending.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
}
