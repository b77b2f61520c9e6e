import type { Dialect } from './identifiers.js';

export type Row = Record<string, unknown>;

/** One statement's outcome: rows for SELECTs, the affected row count for writes. */
export interface QueryResult {
  rows: Row[];
  affected: number;
}

export type Query = (sql: string, params?: unknown[]) => Promise<QueryResult>;

/**
 * The little opsdeck needs from pg or mysql2. SQL is written with `?` placeholders; the
 * PostgreSQL side numbers them. Timestamps always come back as the server's text, never as JS
 * Dates, so no driver guesses a time zone on our behalf.
 */
export interface Db {
  readonly dialect: Dialect;
  /** The URL without its password, for messages. */
  readonly where: string;
  query: Query;
  /** Runs fn on one connection, for statements that depend on session state (user variables). */
  session<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
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
