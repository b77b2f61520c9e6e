import { wakeOrTimeout } from '../../core/on-abort.js';

/**
 * Push from ZooKeeper watches, which fire once: `arm` sets them (every one calling the watcher it
 * is given), and the feed yields when any fires, then arms them all again. They are also armed
 * again every `rearmMs` without an event, because a session that expired took its watches along.
 * Ends when `signal` aborts; an error from `arm` ends it too. A yield is no proof of change.
 */
export async function* rearmingWatches(arm: (watcher: () => void) => Promise<unknown>, rearmMs: number, signal: AbortSignal): AsyncIterable<void> {
  while (!signal.aborted) {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    await arm(() => wake());
    if ((await wakeOrTimeout(woken, rearmMs, signal)) && !signal.aborted) yield;
  }
}
