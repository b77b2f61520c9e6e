import { Cluster, type Redis } from 'ioredis';
import { connectClient, type RedisClient } from './client.js';
import { scanBatches } from './scan-batches.js';

export interface ScanBounds {
  /** Keys per SCAN call (a hint to the server). */
  count: number;
  /** Stop after this many keys, or after this long. */
  maxKeys: number;
  timeMs: number;
  signal?: AbortSignal;
  onProgress?(scanned: number): void;
}

/**
 * Lock names matching `match` on every master (one for a single node, all of them in a cluster),
 * through the same bounded SCAN the cache commands use. Lock names are text, so keys are decoded.
 */
export async function boundedScan(client: RedisClient, match: string, b: ScanBounds): Promise<{ keys: string[]; complete: boolean; stoppedBy: string; scanned: number }> {
  const keys: string[] = [];
  const summary = await scanBatches(await masters(client), { match, count: b.count, limit: b.maxKeys, timeMs: b.timeMs, signal: b.signal }, async (_node, batch) => {
    for (const k of batch) keys.push(k.toString());
    b.onProgress?.(keys.length);
  });
  return { keys, complete: summary.complete, stoppedBy: summary.stoppedBy, scanned: summary.scanned };
}

/** The nodes to scan, connected: cluster node connections open lazily and queue nothing while offline. */
export async function masters(client: RedisClient): Promise<Redis[]> {
  if (!(client instanceof Cluster)) return [client];
  const nodes = client.nodes('master');
  await Promise.all(nodes.map((n) => connectClient(n, `redis://${n.options.host}:${n.options.port}`)));
  return nodes;
}

/** Escapes glob characters so a prefix matches literally. */
export function globPrefix(prefix: string): string {
  return prefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
}
