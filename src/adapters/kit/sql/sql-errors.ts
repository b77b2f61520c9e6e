import { OpsError } from '../../../core/errors.js';

/** Next steps that name an adapter's own profile keys; the defaults suit any database profile. */
export interface SqlHints {
  /** When a connect or statement timed out. */
  timeout?: string;
  /** When a table does not exist; without it a missing table is a backend error. */
  missingTable?: string;
}

/** pg/mysql2 errors → the OpsError kinds that decide exit codes (unreachable etc. exit 3). */
export function mapSqlError(e: unknown, where: string, hints: SqlHints = {}): OpsError {
  if (e instanceof OpsError) return e;
  const err = e as { message?: string; code?: unknown; errno?: unknown };
  const msg = err?.message || String(e);
  const code = String(err?.code ?? '');
  if (['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR'].includes(code) || err?.errno === 1045) {
    return new OpsError('unauthorized', `${where} refused the credentials: ${msg}`, 'check the user and password in the profile URL (use ${ENV} references)');
  }
  if (code === '23505' || code === 'ER_DUP_ENTRY' || err?.errno === 1062) return new OpsError('conflict', `${where}: ${msg}`, 'the row exists already', { duplicateKey: true });
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR') return new OpsError('config', `${where}: ${msg}`, 'fix the database name in the profile URL');
  if (hints.missingTable && (code === '42P01' || code === 'ER_NO_SUCH_TABLE')) return new OpsError('config', `${where}: ${msg}`, hints.missingTable);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET|PROTOCOL_CONNECTION_LOST|Connection terminated|connection is closed|Can't add new command when connection is in closed state/i.test(`${code} ${msg}`)) {
    return new OpsError('unreachable', `${where} is unreachable: ${msg}`, 'check that the server is up and the URL is right');
  }
  if (/ETIMEDOUT|timeout|timed out|57014|PROTOCOL_SEQUENCE_TIMEOUT/i.test(`${code} ${msg}`)) {
    return new OpsError('timeout', `${where} did not answer in time: ${msg}`, hints.timeout ?? 'check the server, or raise the timeouts in the profile');
  }
  return new OpsError('backend', `${where}: ${msg}`, 'see the database server log');
}
