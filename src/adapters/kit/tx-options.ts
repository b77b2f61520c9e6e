import type { SeataVersion } from '../../core/transactions.js';
import { custom, duration, fail } from './options.js';

/**
 * The profile keys every Seata adapter shares. `version` takes "1", "2", 1, 2, "1.8.0" or "2.x":
 * only the major version picks the status tables. It defaults to 2, the current line.
 */
export const TX_COMMON_FIELDS = {
  version: custom<SeataVersion>(
    'the Seata server\'s major version, "1" or "2"',
    (v, c) => {
      const m = typeof v === 'string' || typeof v === 'number' ? /^([12])(\.|$)/.exec(String(v)) : null;
      if (!m) return fail(c, `version must be "1" or "2" (the Seata server's major version), not ${JSON.stringify(v)}`, 'status codes are named from that version\'s tables; see README "Transactions"');
      return m[1] as SeataVersion;
    },
    { default: '2' },
  ),
  /** How long a retrying status may last before it is flagged. */
  retryingThreshold: duration({ bareMs: false, default: 5 * 60_000 }),
};

export interface TxCommonOptions {
  version: SeataVersion;
  retryingThresholdMs: number;
}
