import type { LoadErrors } from './load-types.js';
import { noLoadErrors } from './load-errors.js';
import { LatencyStats } from './latency-stats.js';
import type { WireTarget } from './worker-messages.js';

/** What one worker measured against one target. Status codes index a typed array: no map lookups per response. */
export class TargetStats {
  requests = 0;
  bytes = 0;
  readonly statuses = new Uint32Array(1000);
  readonly errors: LoadErrors = noLoadErrors();
  readonly latency = new LatencyStats();

  wire(): WireTarget {
    const statuses: Record<string, number> = {};
    for (let code = 0; code < this.statuses.length; code++) if (this.statuses[code]! > 0) statuses[String(code)] = this.statuses[code]!;
    return { requests: this.requests, bytes: this.bytes, statuses, errors: { ...this.errors }, latency: this.latency.wire() };
  }
}
