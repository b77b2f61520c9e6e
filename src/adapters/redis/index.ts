import type { Adapter } from '../../core/subsystems.js';
import type { AdapterContext } from '../types.js';
import { connectClient, mapRedisError, openClient, type RedisClient } from './client.js';
import { parseRedisOptions } from './options.js';
import { RedisCache } from './cache-backend.js';
import { RedisLocks } from './redis-locks.js';
import { RedlockGroup } from './redlock-group.js';

/**
 * The Redis adapter: lock forensics (one node, a cluster, or a Redlock group of independent nodes).
 * Connections open lazily on first use and reconnect by themselves after a server restart.
 */
export async function connect(options: Record<string, unknown>, ctx: AdapterContext): Promise<Adapter> {
  const o = parseRedisOptions(options, ctx.name);
  const group = o.urls.length > 1 && !o.cluster;
  const nodes = (o.cluster ? [o.urls[0]!] : o.urls).map((url) => ({ url, client: openClient(url, o) }));
  const ready = async (n: { url: string; client: RedisClient }) => connectClient(n.client, n.url);
  // A group works with a majority, so it connects to what it can; a single node must answer.
  // QUIT is polite but waits for the server; a stuck server must not hold the process, so cut it off.
  const closeAll = () =>
    Promise.allSettled(
      nodes.map((n) =>
        Promise.race([n.client.quit(), new Promise((r) => setTimeout(r, 500).unref())])
          .catch(() => undefined)
          .finally(() => n.client.disconnect()),
      ),
    );
  if (group) await Promise.allSettled(nodes.map(ready));
  else {
    try {
      await ready(nodes[0]!);
    } catch (e) {
      // A client left behind would keep reconnecting and keep a one-shot process alive.
      nodes.forEach((n) => n.client.disconnect());
      throw e;
    }
  }
  const locks = group ? new RedlockGroup(nodes, o) : new RedisLocks(nodes[0]!.client, o, nodes[0]!.url);
  // A Redlock group is several independent servers, not one cache; a node or a cluster is one.
  const cache = group ? undefined : new RedisCache(nodes[0]!.client, o);
  return {
    type: 'redis',
    locks,
    cache,
    async ping() {
      const n = nodes[0]!;
      try {
        await ready(n);
        const info = await n.client.info('server');
        return { version: /redis_version:(\S+)/.exec(info)?.[1] ?? null };
      } catch (e) {
        throw mapRedisError(e, n.url);
      }
    },
    async dispose() {
      await closeAll();
    },
  };
}
