import { OpsError } from '../../core/errors.js';

/**
 * Table and column names come from the profile and end up in SQL text, where parameters cannot
 * go. So they must look like plain identifiers (optionally schema-qualified); anything else is
 * refused before a statement is built, and what passes is quoted for the dialect.
 */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function checkIdentifier(v: unknown, what: string): string {
  if (typeof v === 'string' && IDENT.test(v)) return v;
  throw new OpsError('config', `sql locks: ${what} ${JSON.stringify(v)} is not a plain SQL identifier`, 'use letters, digits and underscores (at most 63), starting with a letter or underscore');
}

/** "shedlock" or "ops.shedlock" → its parts, each checked. */
export function checkTableName(v: unknown, what: string): { schema: string | null; table: string } {
  if (typeof v !== 'string') return { schema: null, table: checkIdentifier(v, what) };
  const parts = v.split('.');
  if (parts.length === 2) return { schema: checkIdentifier(parts[0], what), table: checkIdentifier(parts[1], what) };
  return { schema: null, table: checkIdentifier(v, what) };
}

export type Dialect = 'postgres' | 'mysql';

/** Quotes an identifier that passed checkIdentifier (or came from information_schema). */
export function quoteIdent(dialect: Dialect, name: string): string {
  if (!IDENT.test(name)) throw new OpsError('config', `sql locks: refusing to quote ${JSON.stringify(name)}`, 'rename it to a plain identifier');
  return dialect === 'postgres' ? `"${name}"` : `\`${name}\``;
}
