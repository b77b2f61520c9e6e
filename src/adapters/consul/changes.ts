import { mergeFeeds } from '../../core/merge-feeds.js';
import type { Scope } from '../../core/scope.js';
import { readCatalogServices } from './answers.js';
import { blockingLoop } from './blocking.js';
import { consulIndex } from './consul-http.js';
import type { ConsulContext } from './context.js';
import { datacenterOf, listDatacenters } from './datacenters.js';
import { kvPath } from './kv.js';
import { blockingTimeout, readServiceHealth } from './service-read.js';
import { childAbort } from '../../core/child-abort.js';

/**
 * Push for the console's panes: blocking queries on what a pane shows, each yielding when its index
 * moves (or goes backwards), so a pane reloads on change instead of polling.
 * - one service: /v1/health/service/:name (moves with any change to its instances, checks or nodes);
 * - the services listing: /v1/catalog/services (services added, changed, removed) and
 *   /v1/health/state/any (every check: the healthy and drained counts), per datacenter;
 * - the config listing: /v1/kv/<prefix>?keys&separator=/ (a small answer whose index still moves
 *   with every key under the prefix, deletions included), per datacenter.
 */
export function registryChanges(ctx: ConsulContext, target: { scope: Scope; service?: string }, signal: AbortSignal): AsyncIterable<void> {
  return merged(signal, async (inner) => {
    if (target.service !== undefined) {
      const dc = await datacenterOf(ctx, target.scope);
      const name = target.service;
      return [watchIndex(ctx, inner, (index, s) => readServiceHealth(ctx, name, dc, { signal: s, ...(index > 0 ? { block: { index, waitMs: ctx.o.blockingWaitMs } } : {}) }).then((r) => r.index))];
    }
    const dcs = target.scope.datacenter !== undefined ? [target.scope.datacenter] : await listDatacenters(ctx, inner);
    return dcs.flatMap((dc) => [
      watchIndex(ctx, inner, (index, s) => indexOf(ctx, '/v1/catalog/services', { dc }, index, s, (body, path) => void readCatalogServices(ctx.http.shape(path), body))),
      watchIndex(ctx, inner, (index, s) => indexOf(ctx, '/v1/health/state/any', { dc }, index, s)),
    ]);
  });
}

export function configChanges(ctx: ConsulContext, filter: { scope: Scope }, signal: AbortSignal): AsyncIterable<void> {
  return merged(signal, async (inner) => {
    const dcs = filter.scope.datacenter !== undefined ? [filter.scope.datacenter] : await listDatacenters(ctx, inner);
    return dcs.map((dc) => watchIndex(ctx, inner, (index, s) => indexOf(ctx, kvPath(ctx.o.prefix), { dc, keys: 'true', separator: '/' }, index, s)));
  });
}

/** Yields each time the index read by `read` moves after the first answer (forwards, or backwards: a restore). */
async function* watchIndex(ctx: ConsulContext, signal: AbortSignal, read: (index: number, signal: AbortSignal) => Promise<number | null>): AsyncIterable<void> {
  let last: number | null | undefined;
  for await (const { value } of blockingLoop(async (index, s) => {
    const got = await read(index, s);
    return { value: got, index: got };
  }, { signal, minGapMs: ctx.o.blockingMinGapMs })) {
    if (last !== undefined && value !== last) yield;
    last = value;
  }
}

/** One (blocking) read whose body only matters for its index; 404 (an empty prefix) has an index too. */
async function indexOf(ctx: ConsulContext, path: string, query: Record<string, string>, index: number, signal: AbortSignal, check?: (body: unknown, path: string) => void): Promise<number | null> {
  const waitMs = ctx.o.blockingWaitMs;
  const q = index > 0 ? { ...query, index: String(index), wait: `${Math.ceil(waitMs / 1000)}s` } : query;
  const reply = await ctx.http.send({ path, query: q, signal, ...(index > 0 ? { timeoutMs: blockingTimeout(ctx, waitMs) } : {}) });
  if (reply.status !== 200 && reply.status !== 404) throw ctx.http.failure(reply, `watch ${path}`);
  if (reply.status === 200 && check) check(ctx.http.json(reply), path);
  return consulIndex(reply);
}

/** Starts the feeds `start` makes and merges them; aborting the signal (or the first failure) stops them all. */
async function* merged(signal: AbortSignal, start: (signal: AbortSignal) => Promise<Array<AsyncIterable<void>>>): AsyncIterable<void> {
  // Already stopped (the view closed before the feed began): no query is worth starting.
  if (signal.aborted) return;
  const { controller: inner, release } = childAbort(signal);
  try {
    yield* mergeFeeds(await start(inner.signal), inner.signal);
  } finally {
    release();
    inner.abort();
  }
}
