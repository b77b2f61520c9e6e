import { Cluster } from 'ioredis';
import { connectClient, type RedisClient } from './client.js';

export interface ScanBounds {
  /** Keys per SCAN call (a hint to the server). */
  count: number;
  /** Stop after this many keys, or after this long. */
  maxKeys: number;
  timeMs: number;
  signal?: AbortSignal;
}

/**
 * SCAN with MATCH over every master (one for a single node, all of them in a cluster), bounded in
 * keys and time, never KEYS. Returns the keys found and whether the whole keyspace was covered.
 */
export async function boundedScan(client: RedisClient, match: string, b: ScanBounds): Promise<{ keys: string[]; complete: boolean }> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  // Cluster node connections open lazily and queue nothing while offline: open each before its SCAN.
  if (client instanceof Cluster) await Promise.all(nodes.map((n) => connectClient(n, `redis://${n.options.host}:${n.options.port}`)));
  const deadline = Date.now() + b.timeMs;
  const keys = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      if (b.signal?.aborted || Date.now() > deadline || keys.size >= b.maxKeys) return { keys: [...keys], complete: false };
      const [next, batch] = await node.scan(cursor, 'MATCH', match, 'COUNT', b.count);
      cursor = next;
      for (const k of batch) keys.add(k);
    } while (cursor !== '0');
  }
  return { keys: [...keys], complete: true };
}

/** Escapes glob characters so a prefix matches literally. */
export function globPrefix(prefix: string): string {
  return prefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
}
