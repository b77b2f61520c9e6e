import { isOpsError } from '../../core/errors.js';
import { sleepUnlessAborted } from '../../core/on-abort.js';

/**
 * Consul's blocking queries (docs/dev/consul-facts.md §2): a read answers X-Consul-Index; the next
 * read sends `?index=<that>&wait=<d>` and the server holds it until the index of what it reads
 * passes that value or the wait runs out. A return is no proof of change. The rules Consul asks
 * clients to follow, all here:
 * - an index lower than the one sent (a snapshot restore, a server that lost its state) means
 *   start over: the next read is a plain one (index 0), and the caller compares what it sees with
 *   what it saw before;
 * - never block on an index below 1 (index 0 does not block, so a loop on it would spin);
 * - rate-limit the loop: a read that came back sooner than `minGapMs` waits out the rest.
 */

/** The index to send next, from the one sent and the one Consul answered; 0 means "a plain read". */
export function nextIndex(sent: number, got: number | null): number {
  if (got === null) return 0;
  if (got < sent) return 0;
  return Math.max(got, 1);
}

export interface BlockingRead<T> {
  value: T;
  /** X-Consul-Index of the answer; null when it had none (then the loop starts over). */
  index: number | null;
}

export interface BlockingStep<T> {
  value: T;
  /** The index went backwards (or was missing): what was seen before may no longer hold. */
  reset: boolean;
}

export interface LoopOptions {
  signal: AbortSignal;
  minGapMs: number;
  /** Failures in a row that are tried again (after 1 s, 2 s, 4 s, …) before the loop gives up. */
  retries?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Reads, then blocks on each answer's index, yielding every answer (the first is the plain read).
 * Ends quietly when the signal aborts. A passing failure (agent restarting, a leader election)
 * is tried again a few times; then it is thrown.
 */
export async function* blockingLoop<T>(read: (index: number, signal: AbortSignal) => Promise<BlockingRead<T>>, o: LoopOptions): AsyncIterable<BlockingStep<T>> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? sleepUnlessAborted;
  let index = 0;
  let failures = 0;
  while (!o.signal.aborted) {
    const started = now();
    let answer: BlockingRead<T>;
    try {
      answer = await read(index, o.signal);
      failures = 0;
    } catch (e) {
      if (o.signal.aborted) return;
      if (!passing(e) || ++failures > (o.retries ?? 3)) throw e;
      await sleep(1000 * 2 ** (failures - 1), o.signal);
      continue;
    }
    const next = nextIndex(index, answer.index);
    yield { value: answer.value, reset: answer.index === null || answer.index < index };
    index = next;
    const took = now() - started;
    if (took < o.minGapMs) await sleep(o.minGapMs - took, o.signal);
  }
}

/** Failures worth another try: the agent or its servers briefly away. */
function passing(e: unknown): boolean {
  return isOpsError(e) && (e.kind === 'unreachable' || e.kind === 'timeout' || e.kind === 'backend');
}
