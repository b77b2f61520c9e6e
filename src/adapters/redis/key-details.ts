import type { Redis } from 'ioredis';
import type { CacheKey } from '../../core/cache.js';
import { pipelined } from './pipelined.js';

/** The command that counts a type's elements (a string's length); other types have no size here. */
const SIZE_COMMAND: Readonly<Record<string, string>> = { string: 'strlen', list: 'llen', hash: 'hlen', set: 'scard', zset: 'zcard', stream: 'xlen' };

/**
 * Type, TTL and optionally memory and size of keys on one node, pipelined: one round trip, or two
 * with sizes (the size command depends on the type). A key deleted since SCAN saw it is left out
 * (null). TYPE, PTTL and MEMORY USAGE leave the LRU/LFU clock alone, so inspecting keys does not
 * change what the server evicts; the size commands do touch it, which is why they run only on the
 * few keys a command returns. (Redis still counts TYPE and PTTL in keyspace_hits: README says so.)
 */
export async function keyDetails(node: Redis, keys: readonly Buffer[], want: { memory: boolean; size: boolean }): Promise<Array<CacheKey | null>> {
  const per = want.memory ? 3 : 2;
  const replies = await pipelined(node, (p) => {
    for (const k of keys) {
      p.type(k).pttl(k);
      if (want.memory) p.memory('USAGE', k);
    }
  });
  const out = keys.map((k, i): CacheKey | null => {
    const type = replies[i * per];
    const pttl = replies[i * per + 1];
    if (type === 'none' || pttl === -2) return null;
    const row: CacheKey = {
      key: k.toString('utf8'),
      type: typeof type === 'string' ? type : 'unknown',
      ttlMs: typeof pttl === 'number' && pttl >= 0 ? pttl : null,
      memoryBytes: null,
    };
    if (want.memory) row.memoryBytes = numberOrNull(replies[i * per + 2]);
    return row;
  });
  if (want.size) await addSizes(node, keys, out);
  return out;
}

async function addSizes(node: Redis, keys: readonly Buffer[], rows: Array<CacheKey | null>): Promise<void> {
  const asked: number[] = [];
  const replies = await pipelined(node, (p) => {
    rows.forEach((row, i) => {
      const cmd = row ? SIZE_COMMAND[row.type] : undefined;
      if (cmd) {
        p.call(cmd, keys[i]!);
        asked.push(i);
      }
    });
  });
  for (const row of rows) if (row) row.size = null;
  asked.forEach((i, j) => (rows[i]!.size = numberOrNull(replies[j])));
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
