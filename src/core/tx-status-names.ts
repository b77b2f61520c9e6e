import { OpsError } from './errors.js';
import type { SeataVersion } from './transactions.js';

/*
 * Status codes of apache/incubator-seata core/model/GlobalStatus.java and BranchStatus.java, read
 * at the release tags. Global 16–17 (CommitRetryTimeout, RollbackRetryTimeout) and branch 11–12
 * (the XAER_NOTA retryables) arrived in 1.5.0; branch 13 PhaseOne_RDONLY in 2.2.0. Codes a version
 * never writes are left out of its table, so a store that holds one (a newer server, a feature
 * branch: #5856 reuses branch 13 for STOP_RETRY) shows the number instead of a wrong name.
 */
const GLOBAL_V1 = [
  'UnKnown', 'Begin', 'Committing', 'CommitRetrying', 'Rollbacking', 'RollbackRetrying', 'TimeoutRollbacking',
  'TimeoutRollbackRetrying', 'AsyncCommitting', 'Committed', 'CommitFailed', 'Rollbacked', 'RollbackFailed',
  'TimeoutRollbacked', 'TimeoutRollbackFailed', 'Finished', 'CommitRetryTimeout', 'RollbackRetryTimeout',
] as const;
const GLOBAL_V2 = GLOBAL_V1;

const BRANCH_V1 = [
  'Unknown', 'Registered', 'PhaseOne_Done', 'PhaseOne_Failed', 'PhaseOne_Timeout', 'PhaseTwo_Committed',
  'PhaseTwo_CommitFailed_Retryable', 'PhaseTwo_CommitFailed_Unretryable', 'PhaseTwo_Rollbacked',
  'PhaseTwo_RollbackFailed_Retryable', 'PhaseTwo_RollbackFailed_Unretryable',
  'PhaseTwo_CommitFailed_XAER_NOTA_Retryable', 'PhaseTwo_RollbackFailed_XAER_NOTA_Retryable',
] as const;
const BRANCH_V2 = [...BRANCH_V1, 'PhaseOne_RDONLY'] as const;

const GLOBAL: Record<SeataVersion, readonly string[]> = { '1': GLOBAL_V1, '2': GLOBAL_V2 };
const BRANCH: Record<SeataVersion, readonly string[]> = { '1': BRANCH_V1, '2': BRANCH_V2 };

/** lock_table.status (Seata 1.5+): the row lock's own state. */
const LOCK_STATUS: readonly string[] = ['Locked', 'Rollbacking'];

function nameIn(table: readonly string[], code: number | null): string | null {
  return code !== null && Number.isInteger(code) && code >= 0 && code < table.length ? table[code]! : null;
}

export function globalStatusName(code: number | null, version: SeataVersion): string | null {
  return nameIn(GLOBAL[version], code);
}

export function branchStatusName(code: number | null, version: SeataVersion): string | null {
  return nameIn(BRANCH[version], code);
}

export function lockStatusName(code: number | null): string | null {
  return nameIn(LOCK_STATUS, code);
}

/** Every global status name of a version, in code order (for help and completion). */
export function globalStatusNames(version: SeataVersion): readonly string[] {
  return GLOBAL[version];
}

/**
 * Parses a --status value: names (any case) or codes, comma-separated. A bare number is taken as
 * is even when the version has no name for it, so an unknown code can still be filtered on.
 */
export function parseGlobalStatuses(text: string, version: SeataVersion): number[] {
  const table = GLOBAL[version];
  return text.split(',').map((raw) => {
    const s = raw.trim();
    if (/^\d+$/.test(s)) return Number(s);
    const i = table.findIndex((n) => n.toLowerCase() === s.toLowerCase());
    if (i < 0) throw new OpsError('usage', `unknown Seata ${version}.x global status "${s}"`, `use a code or one of: ${table.join(', ')}`);
    return i;
  });
}
