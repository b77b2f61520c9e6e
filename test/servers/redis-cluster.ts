import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from './redis-server.js';

export interface RedisClusterServers {
  nodes: RedisServer[];
  urls: string[];
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` masters (no replicas) on loopback, built with
 * `redis-cli --cluster create`, returned once every node reports cluster_state:ok.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterServers> {
  const nodes: RedisServer[] = [];
  const stop = async () => void (await Promise.all(nodes.map((n) => n.stop())));
  try {
    for (let i = 0; i < masters; i++) nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']));
    execFileSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'pipe' });
    for (const n of nodes) await waitClusterOk(n.port);
  } catch (e) {
    await stop();
    throw e;
  }
  return { nodes, urls: nodes.map((n) => n.url), stop };
}

async function waitClusterOk(port: number): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  try {
    await client.connect();
    for (let i = 0; i < 200; i++) {
      if (/cluster_state:ok/.test(await client.cluster('INFO'))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis cluster node ${port} never reached cluster_state:ok`);
  } finally {
    client.disconnect();
  }
}
