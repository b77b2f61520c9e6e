import { parseDuration } from './duration.js';
import { OpsError } from './errors.js';
import type { SeataVersion } from './transactions.js';

export interface TxCommonOptions {
  version: SeataVersion;
  retryingThresholdMs: number;
}

/**
 * The profile keys every Seata adapter shares. `version` takes "1", "2", 1, 2, "1.8.0" or "2.x":
 * only the major version picks the status tables. It defaults to 2, the current line.
 */
export function txCommonOptions(o: Record<string, unknown>): TxCommonOptions {
  let version: SeataVersion = '2';
  if (o.version !== undefined) {
    const m = /^([12])(\.|$)/.exec(String(o.version));
    if (!m) throw new OpsError('config', `tx: version must be "1" or "2" (the Seata server's major version), not ${JSON.stringify(o.version)}`, 'status codes are named from that version\'s tables; see README "Transactions"');
    version = m[1] as SeataVersion;
  }
  const retryingThresholdMs = o.retryingThreshold === undefined ? 5 * 60_000 : parseDuration(String(o.retryingThreshold), 'tx retryingThreshold');
  return { version, retryingThresholdMs };
}
