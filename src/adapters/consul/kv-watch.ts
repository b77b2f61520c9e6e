import type { ConfigEvent, ConfigRef } from '../../core/config-center.js';
import type { KvEntry } from './answers.js';
import { blockingLoop } from './blocking.js';
import type { ConsulContext } from './context.js';
import { datacenterOf } from './datacenters.js';
import { keyOf, md5, readKey, utf8 } from './kv.js';
import { blockingTimeout } from './service-read.js';

/**
 * Watches one key with blocking queries: each answer is compared with the last state seen
 * (absent, or present at a ModifyIndex with an md5), and a difference is one event. The index of
 * an absent key is the whole KV store's, so it moves with every write in the datacenter; comparing
 * states keeps those wake-ups quiet. When the index goes backwards (a snapshot restore) the loop
 * starts over from a plain read, and content the restore brought back is reported as a change.
 * Consul coalesces changes that happen while no query is held, so two quick writes may be one event.
 */
export async function* watchKey(ctx: ConsulContext, ref: ConfigRef, signal: AbortSignal): AsyncIterable<ConfigEvent> {
  const key = keyOf(ctx, ref);
  const datacenter = await datacenterOf(ctx, ref.scope);
  const waitMs = ctx.o.blockingWaitMs;
  let last: KvEntry | null | undefined;
  const steps = blockingLoop(
    async (index, s) => {
      const r = await readKey(ctx, key, datacenter, { signal: s, ...(index > 0 ? { block: { index, waitMs, timeoutMs: blockingTimeout(ctx, waitMs) } } : {}) });
      return { value: r.entry, index: r.index };
    },
    { signal, minGapMs: ctx.o.blockingMinGapMs },
  );
  for await (const { value } of steps) {
    // The first answer is where the watch starts from, not a change.
    if (last === undefined) {
      last = value;
      continue;
    }
    if (same(last, value)) continue;
    const before = last;
    last = value;
    yield eventOf(ctx, datacenter, key, before, value);
  }
}

function same(a: KvEntry | null, b: KvEntry | null): boolean {
  if (a === null || b === null) return a === b;
  return a.modifyIndex === b.modifyIndex && md5(a.value) === md5(b.value);
}

function eventOf(ctx: ConsulContext, datacenter: string, key: string, before: KvEntry | null, after: KvEntry | null): ConfigEvent {
  return {
    backend: ctx.o.name,
    datacenter,
    dataId: key,
    op: after === null ? 'delete' : before === null ? 'create' : 'update',
    version: null,
    token: after === null ? null : String(after.modifyIndex),
    md5: after === null ? null : md5(after.value),
    // Bytes that are not text travel as their md5 only.
    content: after === null ? null : utf8(after.value),
    at: new Date().toISOString(),
  };
}
