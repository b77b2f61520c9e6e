import { mergeFeeds } from '../core/merge-feeds.js';
import type { Scope } from '../core/scope.js';
import type { BackendHandle, Session } from '../session/session.js';

/**
 * What a listing view may follow instead of polling: the listing of `services list`/`config
 * list` (every backend of the subsystem, or the one named, in a scope) or one service of `services
 * show`. Not a command of the table: a feed yields "something may have changed" with no data, and
 * its only use is to run the listing command again.
 */
export type ChangeQuery =
  | { subsystem: 'registry'; scope: Scope; backend?: string; service?: string }
  | { subsystem: 'config'; scope: Scope; backend?: string };

/**
 * Yields when the data of the query may have changed, where every backend it reads pushes
 * (Consul's blocking queries); ends at once where one does not, so the reader polls instead.
 */
export function changeFeed(session: Session, q: ChangeQuery, signal: AbortSignal): AsyncIterable<void> {
  if (q.subsystem === 'registry') {
    const handles = q.backend === undefined ? session.registryBackends() : [{ name: q.backend, open: () => session.registryBackend(q.backend) }];
    const ask = q.service === undefined ? { scope: q.scope } : { scope: q.scope, service: q.service };
    return pushOf(handles, (r, s) => r.changes?.(ask, s), signal);
  }
  const handles = q.backend === undefined ? session.configBackends() : [{ name: q.backend, open: () => session.configBackend(q.backend) }];
  return pushOf(handles, (c, s) => c.changes?.({ scope: q.scope }, s), signal);
}

/** Every backend opened and each one's feed merged; one without push ends the whole feed (the view must be polled anyway). */
async function* pushOf<B>(handles: ReadonlyArray<Pick<BackendHandle<B>, 'open'>>, feed: (b: B, signal: AbortSignal) => AsyncIterable<void> | undefined, signal: AbortSignal): AsyncIterable<void> {
  if (handles.length === 0) return;
  const feeds: Array<AsyncIterable<void>> = [];
  for (const h of handles) {
    const f = feed(await h.open(), signal);
    if (f === undefined) return;
    feeds.push(f);
  }
  yield* mergeFeeds(feeds, signal);
}
