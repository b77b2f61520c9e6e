import { mergeFeeds } from '../../core/merge-feeds.js';
import type { BackendHandle } from '../../session/session.js';

/**
 * The push feed of a view over several backends: every backend opened, each one's feed merged.
 * When one of them has no push (`feed` gives undefined), the view must be polled anyway, so the
 * feed ends at once and the console polls.
 */
export async function* pushOf<B>(handles: ReadonlyArray<Pick<BackendHandle<B>, 'open'>>, feed: (b: B, signal: AbortSignal) => AsyncIterable<void> | undefined, signal: AbortSignal): AsyncIterable<void> {
  if (handles.length === 0) return;
  const feeds: Array<AsyncIterable<void>> = [];
  for (const h of handles) {
    const f = feed(await h.open(), signal);
    if (f === undefined) return;
    feeds.push(f);
  }
  yield* mergeFeeds(feeds, signal);
}
