import type { Redis } from 'ioredis';
import type { CacheScanSummary } from '../../core/cache.js';
import { OpsError } from '../../core/errors.js';

export interface BatchBounds {
  match: string;
  /** Keys per SCAN call (a hint to the server). */
  count: number;
  /** Keys to hand over at most; Infinity for a pass that ranks as it goes. */
  limit: number;
  timeMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * SCAN MATCH over each node in turn (never KEYS), handing every batch to `visit` before the next
 * SCAN, so memory stays at one batch plus what the visitor keeps and the time bound is checked
 * between round trips. Keys stay Buffers: cache keys are often binary, and one decoded to text
 * and back may no longer name the same key. The first SCAN always runs, so even a zero time
 * budget returns a sample.
 */
export async function scanBatches(nodes: readonly Redis[], b: BatchBounds, visit: (node: Redis, keys: Buffer[]) => Promise<void>): Promise<CacheScanSummary> {
  const deadline = Date.now() + b.timeMs;
  // Only a limited sample needs de-duplicating here (SCAN may repeat a key while the server
  // rehashes); a ranking pass de-duplicates in its ranking, without a set of every key seen.
  const seen = Number.isFinite(b.limit) ? new Set<string>() : null;
  let scanned = 0;
  let delivered = 0;
  let first = true;
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    let cursor = '0';
    do {
      if (b.signal?.aborted) throw new OpsError('failed', 'the scan was cancelled; nothing was changed', 'run it again, narrower (a pattern or --prefix) or with a smaller time bound');
      if (!first && Date.now() >= deadline) return { complete: false, stoppedBy: 'time', scanned };
      first = false;
      const [next, batch] = await abortable(node.scanBuffer(cursor, 'MATCH', b.match, 'COUNT', b.count), b.signal);
      cursor = next.toString();
      scanned += batch.length;
      let keys = batch;
      let dropped = false;
      if (seen) {
        keys = [];
        for (const k of batch) {
          const id = k.toString('latin1');
          if (seen.has(id)) continue;
          if (delivered + keys.length >= b.limit) {
            dropped = true;
            break;
          }
          seen.add(id);
          keys.push(k);
        }
      }
      if (keys.length > 0) await visit(node, keys);
      delivered += keys.length;
      if (delivered >= b.limit) {
        const covered = !dropped && cursor === '0' && n === nodes.length - 1;
        return covered ? { complete: true, stoppedBy: 'done', scanned } : { complete: false, stoppedBy: 'limit', scanned };
      }
    } while (cursor !== '0');
  }
  return { complete: true, stoppedBy: 'done', scanned };
}

/** Rejects as soon as the signal aborts, so Ctrl-C does not wait for a stuck server to answer. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new OpsError('failed', 'the scan was cancelled; nothing was changed', 'run it again, narrower (a pattern or --prefix) or with a smaller time bound'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
