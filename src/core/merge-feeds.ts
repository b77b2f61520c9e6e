/**
 * One feed of "something changed" from several: yields once for any yields of the feeds (those
 * that arrive while the consumer is busy are folded into one), until the signal aborts or every
 * feed has ended. The first feed that fails makes the whole fail. Used for push (Consul's blocking
 * queries) behind a pane that shows several backends or several watched reads.
 */
export async function* mergeFeeds(feeds: ReadonlyArray<AsyncIterable<unknown>>, signal: AbortSignal): AsyncIterable<void> {
  const waiting: { wake: (() => void) | null } = { wake: null };
  const onAbort = () => waiting.wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  let pending = 0;
  let failure: { error: unknown } | null = null;
  let ended = 0;
  for (const feed of feeds) {
    void (async () => {
      try {
        for await (const _ of feed) {
          pending++;
          waiting.wake?.();
          if (signal.aborted) break;
        }
      } catch (e) {
        failure ??= { error: e };
      } finally {
        ended++;
        waiting.wake?.();
      }
    })();
  }
  try {
    while (!signal.aborted) {
      if (failure !== null) throw (failure as { error: unknown }).error;
      if (pending > 0) {
        pending = 0;
        yield;
        continue;
      }
      if (ended === feeds.length) return;
      await new Promise<void>((r) => (waiting.wake = r));
      waiting.wake = null;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
