import type { ConfigEvent } from '../../core/config-center.js';
import { OpsError } from '../../core/errors.js';
import { formatBytes } from '../kit/snippet.js';
import { isObject } from '../kit/shape.js';
import { b64, decodeKv, prefixEnd, type Kv, type RawKv } from './codec.js';
import type { EtcdHttp } from './etcd-http.js';
import { md5 } from '../kit/config-keys.js';
import { readKey, utf8, type KeyState } from './kv.js';
import { mergeFeeds } from '../../core/merge-feeds.js';
import { sleepUnlessAborted } from '../../core/on-abort.js';
import type { EtcdOptions } from './options.js';

/** Restarts in a row without a frame in between before the watch gives up. */
const MAX_RESTARTS = 5;

/** What a range watch sees: one change, or that etcd compacted past it (then `now` is the key read afresh). */
type WatchItem = { kind: 'change'; deleted: boolean; kv: Kv } | { kind: 'compacted'; now: KeyState };

/**
 * A real etcd watch over the gateway's `/v3/watch` stream, on `key` or (with `rangeEnd`) on every
 * key in [key, rangeEnd): the answer is one JSON frame per line, `{"result":{…}}` (first
 * `created`, then `events`) or `{"error":{…}}`. It starts at revision `from`, so nothing after the
 * caller's read is missed, and every restart resumes after the last revision seen. etcd cancels a
 * watch whose start revision was compacted (`compact_revision`): the changes in between are gone,
 * so `key` is read again, the caller told, and the watch goes on from there. Each frame is capped
 * at `maxResponseBytes`; the signal (Ctrl-C) closes the stream.
 */
async function* watchRange(http: EtcdHttp, o: EtcdOptions, key: Buffer, rangeEnd: Buffer | null, from: number, signal: AbortSignal): AsyncIterable<WatchItem> {
  const what = rangeEnd === null ? key.toString('utf8') : `keys under ${key.toString('utf8') || '/'}`;
  let next = from;
  let restarts = 0;
  while (!signal.aborted) {
    const create: Record<string, unknown> = { key: b64(key), start_revision: String(next) };
    if (rangeEnd !== null) create.range_end = b64(rangeEnd);
    const stream = await http.stream('/v3/watch', { create_request: create }, signal).catch((e: unknown) => {
      if (signal.aborted) return null;
      throw e;
    });
    if (stream === null) return;
    let resync = false;
    try {
      for await (const frame of frames(stream.chunks(), o.maxResponseBytes, http.shape('/v3/watch').where)) {
        restarts = 0;
        if (isObject(frame) && isObject(frame.error)) {
          const err = frame.error as { grpc_code?: unknown; code?: unknown; message?: unknown };
          throw http.failure({ code: Number(err.grpc_code ?? err.code ?? -1), message: String(err.message ?? 'watch failed') });
        }
        const result = isObject(frame) && isObject(frame.result) ? frame.result : null;
        if (!result) throw new OpsError('bad-answer', `etcd at ${o.url} sent a watch frame that is neither a result nor an error`, 'check the url points at an etcd client port (3.4 or later)');
        if (result.canceled === true) {
          if (result.compact_revision !== undefined) {
            resync = true;
            break;
          }
          throw new OpsError('failed', `etcd cancelled the watch on ${what}: ${String(result.cancel_reason ?? 'no reason given')}`, 'run the watch again');
        }
        const events = Array.isArray(result.events) ? result.events : [];
        for (const raw of events) {
          if (!isObject(raw) || !isObject(raw.kv)) continue;
          const kv = decodeKv(raw.kv as unknown as RawKv);
          next = kv.modRevision + 1;
          yield { kind: 'change', deleted: raw.type === 'DELETE', kv };
        }
      }
    } finally {
      stream.close();
    }
    if (signal.aborted) return;
    if (resync) {
      const now = await readKey(http, key, { signal });
      next = now.revision + 1;
      yield { kind: 'compacted', now };
      continue;
    }
    // The server ended the stream (a restart, a leader change): resume after the last revision seen.
    if (++restarts > MAX_RESTARTS) throw new OpsError('unreachable', `etcd at ${o.url} kept closing the watch on ${what}`, 'check "etcdctl endpoint health", then run the watch again');
    await sleepUnlessAborted(200 * restarts, signal);
  }
}

/** One key's changes as config events, from its state when the watch starts. */
export async function* watchKey(http: EtcdHttp, o: EtcdOptions, key: Buffer, signal: AbortSignal): AsyncIterable<ConfigEvent> {
  const start = await readKey(http, key, { signal });
  let last: Kv | null = start.kv;
  for await (const item of watchRange(http, o, key, null, start.revision + 1, signal)) {
    if (item.kind === 'change') {
      const before = last;
      last = item.deleted ? null : item.kv;
      yield eventOf(o, key, item.deleted ? 'delete' : before === null || item.kv.version === 1 ? 'create' : 'update', last);
    } else if ((item.now.kv?.modRevision ?? 0) !== (last?.modRevision ?? 0)) {
      // The changes between the last one seen and the compaction point are gone: compare with the key now.
      const op = item.now.kv === null ? 'delete' : last === null ? 'create' : 'update';
      last = item.now.kv;
      yield eventOf(o, key, op, last);
    }
  }
}

/**
 * Yields whenever a key under one of `prefixes` is put or deleted (a lease expiring deletes its
 * keys; keeping a lease alive writes nothing), from the revision current when it starts; the
 * events of one etcd transaction are folded into one yield. A compaction past the watch yields
 * too, since what changed meanwhile is unknown.
 */
export function watchPrefixes(http: EtcdHttp, o: EtcdOptions, prefixes: readonly Buffer[], signal: AbortSignal): AsyncIterable<void> {
  const one = async function* (prefix: Buffer): AsyncIterable<void> {
    // The empty prefix is every key: etcd takes a range from \0 for it.
    const from = prefix.length === 0 ? Buffer.from([0]) : prefix;
    const start = await readKey(http, from, { signal });
    let seen = -1;
    for await (const item of watchRange(http, o, from, prefixEnd(prefix), start.revision + 1, signal)) {
      if (item.kind === 'change' && item.kv.modRevision === seen) continue;
      if (item.kind === 'change') seen = item.kv.modRevision;
      yield;
    }
  };
  return mergeFeeds(prefixes.map(one), signal);
}

function eventOf(o: EtcdOptions, key: Buffer, op: ConfigEvent['op'], kv: Kv | null): ConfigEvent {
  return {
    backend: o.name,
    dataId: key.toString('utf8'),
    op,
    version: kv?.version ?? null,
    token: kv === null ? null : String(kv.modRevision),
    md5: kv === null ? null : md5(kv.value),
    // Bytes that are not text travel as their md5 only.
    content: kv === null ? null : utf8(kv.value),
    at: new Date().toISOString(),
  };
}

/** Newline-separated JSON frames from a byte stream; one frame over `max` bytes is refused, not buffered. */
export async function* frames(chunks: AsyncIterable<Buffer>, max: number, where: string): AsyncIterable<unknown> {
  let pending: Buffer[] = [];
  let size = 0;
  const parse = (line: Buffer): unknown => {
    const text = line.toString('utf8').trim();
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new OpsError('bad-answer', `${where} sent a watch frame that is not JSON`, 'check the url points at an etcd client port (3.4 or later)');
    }
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      const part = chunk.subarray(from, nl);
      if (size + part.length > max) throw tooBig(where, max);
      const frame = parse(Buffer.concat([...pending, part]));
      pending = [];
      size = 0;
      from = nl + 1;
      if (frame !== undefined) yield frame;
    }
    const rest = chunk.subarray(from);
    size += rest.length;
    if (size > max) throw tooBig(where, max);
    if (rest.length > 0) pending.push(Buffer.from(rest));
  }
  if (size > 0) {
    const frame = parse(Buffer.concat(pending));
    if (frame !== undefined) yield frame;
  }
}

function tooBig(where: string, max: number): OpsError {
  return new OpsError('bad-answer', `${where} sent a watch frame over ${formatBytes(max)}`, 'raise maxResponseBytes in the profile, or watch a key with smaller values');
}
