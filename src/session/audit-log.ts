import { appendFileSync } from 'node:fs';
import { makeDirs } from '../lib/make-dirs.js';
import { hostname, homedir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { redactValue } from '../core/redact.js';

export interface AuditEntry {
  command: string;
  args: Record<string, unknown>;
  profile: string;
  exitCode: number;
  /** For lock releases: whether it was forced and whom it took the lock from. */
  forced?: boolean;
  previousHolder?: string | null;
  error?: string;
}

/**
 * Appends one JSON line per mutating command to `$XDG_STATE_HOME/opsdeck/audit.log` (or
 * OPSDECK_AUDIT_LOG): who, where, when, which profile, what, and how it ended. Secret-looking
 * values are redacted. A failure to write never fails the command: the audit log is a record, not
 * a gate, and the command already happened.
 */
export function appendAudit(entry: AuditEntry, env: NodeJS.ProcessEnv = process.env): void {
  const path = auditLogPath(env);
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry: keep "unknown".
  }
  const line = JSON.stringify({ at: new Date().toISOString(), user, host: hostname(), pid: process.pid, ...redactValue(entry) });
  try {
    makeDirs(dirname(path));
    appendFileSync(path, line + '\n', { mode: 0o600 });
  } catch {
    // See above: never fail the command because the record could not be written.
  }
}

export function auditLogPath(env: NodeJS.ProcessEnv): string {
  if (env.OPSDECK_AUDIT_LOG) return env.OPSDECK_AUDIT_LOG;
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'opsdeck', 'audit.log');
}
