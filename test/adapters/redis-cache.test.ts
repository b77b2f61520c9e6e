import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../src/adapters/redis/cache-backend.js';
import { connectClient, openClient, type RedisClient } from '../../src/adapters/redis/client.js';
import { parseRedisOptions } from '../../src/adapters/redis/options.js';
import { parseInfo } from '../../src/adapters/redis/parse-info.js';
import type { CacheKey, CacheScanSummary } from '../../src/core/cache.js';
import { OpsError } from '../../src/core/errors.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { startRedisCluster, type RedisClusterServers } from '../servers/redis-cluster.js';
import { freePort, startRedis, type RedisServer } from '../servers/redis-server.js';

/**
 * The Redis cache backend against real redis-servers: stats read back against INFO, bounded key
 * sampling, big and hot keys, a three-master cluster, and the CLI through the built binary.
 */

const BULK = 2000;
const BIG = { 'big:string': ['string', 100_000], 'big:list': ['list', 1000], 'big:hash': ['hash', 500], 'big:set': ['set', 300], 'big:zset': ['zset', 200], 'big:stream': ['stream', 50] } as const;
const TYPED = { 'type:hash': 'hash', 'type:list': 'list', 'type:set': 'set', 'type:stream': 'stream', 'type:string': 'string', 'type:zset': 'zset' } as const;

const clients: RedisClient[] = [];
const servers: Array<{ stop(): Promise<void> }> = [];

/** A RedisCache the way the adapter builds one, plus a plain client to check what it says. */
async function cacheOn(urls: string[], extra: Record<string, unknown> = {}): Promise<{ cache: RedisCache; client: RedisClient }> {
  const o = parseRedisOptions({ urls, ...extra }, 'cache-test');
  const client = openClient(urls[0]!, o);
  clients.push(client);
  await connectClient(client, urls[0]!);
  return { cache: new RedisCache(client, o), client };
}

function plain(server: RedisServer): Redis {
  const r = new Redis(server.port, '127.0.0.1');
  clients.push(r);
  return r;
}

/** Runs a scan and returns its keys with the summary the backend reported. */
async function scan(run: (o: { limit: number; timeMs: number; onScanEnd: (s: CacheScanSummary) => void; signal?: AbortSignal }) => Promise<CacheKey[]>, limit: number, timeMs = 60_000) {
  let summary: CacheScanSummary | undefined;
  const keys = await run({ limit, timeMs, onScanEnd: (s) => (summary = s) });
  return { keys, summary: summary! };
}

async function seed(r: Redis): Promise<void> {
  const p = r.pipeline();
  p.set('type:string', 'hello');
  p.rpush('type:list', 'a', 'b', 'c').expire('type:list', 1000);
  p.hset('type:hash', 'f', 'v').sadd('type:set', 'm').zadd('type:zset', 1, 'm').xadd('type:stream', '*', 'f', 'v');
  p.set('big:string', 'x'.repeat(100_000));
  p.rpush('big:list', ...Array.from({ length: 1000 }, (_, i) => `item-${i}`));
  p.hset('big:hash', Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field-${i}`, `value-${i}`])));
  p.sadd('big:set', ...Array.from({ length: 300 }, (_, i) => `member-${i}`));
  p.zadd('big:zset', ...Array.from({ length: 200 }, (_, i) => [i, `member-${i}`]).flat());
  for (let i = 0; i < 50; i++) p.xadd('big:stream', '*', 'n', String(i));
  for (let i = 0; i < BULK; i++) p.set(`bulk:${i}`, 'v');
  await p.exec();
}

async function everyKey(r: Redis): Promise<string[]> {
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await r.scan(cursor, 'COUNT', 1000);
    for (const k of batch) out.add(k);
    cursor = next;
  } while (cursor !== '0');
  return [...out];
}

async function info(r: Redis): Promise<Map<string, string>> {
  return parseInfo(await r.info());
}

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('redis cache on one node (noeviction, maxmemory 64mb)', () => {
  let server: RedisServer;
  let raw: Redis;
  let cache: RedisCache;

  beforeAll(async () => {
    server = await startRedis(['--maxmemory', '64mb']);
    servers.push(server);
    raw = plain(server);
    await seed(raw);
    ({ cache } = await cacheOn([server.url]));
  });

  it('stats reports what INFO says, with nothing guessed', async () => {
    const s = await cache.stats();
    const i = await info(raw);
    expect(s).toMatchObject({
      backend: 'cache-test',
      version: i.get('redis_version'),
      hits: Number(i.get('keyspace_hits')),
      misses: Number(i.get('keyspace_misses')),
      maxMemoryBytes: 64 * 1024 * 1024,
      evictionPolicy: 'noeviction',
      evictedKeys: Number(i.get('evicted_keys')),
      expiredKeys: Number(i.get('expired_keys')),
      keys: await raw.dbsize(),
    });
    expect(s.keys).toBe(Object.keys(TYPED).length + Object.keys(BIG).length + BULK);
    expect(s.usedMemoryBytes).toBeGreaterThan(0);
    expect(s.peakMemoryBytes).toBeGreaterThanOrEqual(s.usedMemoryBytes!);
    expect(typeof s.opsPerSec).toBe('number');
  });

  it('stats counts hits, misses and expirations as they happen, and the ratio follows', async () => {
    const before = await cache.stats();
    await raw.get('type:string');
    await raw.get('bulk:1');
    await raw.get('bulk:2');
    await raw.get('no-such-key');
    await raw.set('short-lived', 'v', 'PX', 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(await raw.get('short-lived')).toBeNull(); // a miss that also expires the key
    const after = await cache.stats();
    expect(after.hits! - before.hits!).toBe(3);
    expect(after.misses! - before.misses!).toBe(2);
    expect(after.expiredKeys! - before.expiredKeys!).toBe(1);
    expect(after.hitRatio).toBeCloseTo(after.hits! / (after.hits! + after.misses!), 12);
  });

  it('keys returns every key of a pattern with its type, TTL and memory, and says the scan was complete', async () => {
    const { keys, summary } = await scan((o) => cache.keys('type:*', o), 1000);
    expect(keys.map((k) => [k.key, k.type])).toEqual(Object.entries(TYPED));
    for (const k of keys) {
      expect(k.memoryBytes).toBeGreaterThan(0);
      if (k.key === 'type:list') {
        expect(k.ttlMs).toBeGreaterThan(0);
        expect(k.ttlMs).toBeLessThanOrEqual(1_000_000);
      } else expect(k.ttlMs).toBeNull();
    }
    expect(summary).toMatchObject({ complete: true, stoppedBy: 'done' });
  });

  it('keys stops at --limit and says the scan is incomplete', async () => {
    const { keys, summary } = await scan((o) => cache.keys('bulk:*', o), 50);
    expect(keys).toHaveLength(50);
    expect(new Set(keys.map((k) => k.key)).size).toBe(50);
    for (const k of keys) expect(k.key).toMatch(/^bulk:\d+$/);
    expect(summary).toMatchObject({ complete: false, stoppedBy: 'limit' });
  });

  it('keys stops when the time bound has run out, after one SCAN batch', async () => {
    const small = await cacheOn([server.url], { scanCount: 10 });
    const { keys, summary } = await scan((o) => small.cache.keys('bulk:*', o), 10_000, 0);
    expect(summary).toMatchObject({ complete: false, stoppedBy: 'time' });
    expect(summary.scanned).toBeLessThan(BULK);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThan(BULK);
  });

  it('keys with a pattern nothing matches is an empty, complete answer', async () => {
    const { keys, summary } = await scan((o) => cache.keys('nothing:*', o), 100);
    expect(keys).toEqual([]);
    expect(summary).toMatchObject({ complete: true, stoppedBy: 'done', scanned: 0 });
  });

  it('a cancelled scan stops with an OpsError', async () => {
    const abort = new AbortController();
    abort.abort();
    const err = await cache.keys('*', { limit: 10, timeMs: 60_000, signal: abort.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('failed');
  });

  it('bigkeys ranks keys by MEMORY USAGE, with type and element count', async () => {
    const { keys, summary } = await scan((o) => cache.bigKeys!(o), 8);
    expect(summary).toMatchObject({ complete: true, stoppedBy: 'done', scanned: await raw.dbsize() });
    // The expected ranking, measured independently over every key.
    const all = await everyKey(raw);
    const usage = await Promise.all(all.map(async (k) => ({ key: k, bytes: (await raw.memory('USAGE', k)) ?? 0 })));
    const expected = usage.sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1)).slice(0, 8);
    expect(keys.map((k) => [k.key, k.memoryBytes])).toEqual(expected.map((e) => [e.key, e.bytes]));
    for (const [name, [type, size]] of Object.entries(BIG)) {
      expect(keys.find((k) => k.key === name)).toMatchObject({ type, size, ttlMs: null });
    }
  });

  it('hotkeys is refused under a non-LFU policy, naming the policy and what is needed', async () => {
    const err = await cache.hotKeys!({ limit: 5, timeMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('unsupported');
    expect((err as OpsError).message).toMatch(/maxmemory-policy is noeviction/);
    expect((err as OpsError).message).toMatch(/allkeys-lfu or volatile-lfu/);
  });
});

describe('redis cache under eviction (allkeys-lru, maxmemory 2mb)', () => {
  it('reports the policy, the limit and the keys it evicted', async () => {
    const server = await startRedis(['--maxmemory', '2mb', '--maxmemory-policy', 'allkeys-lru']);
    servers.push(server);
    const raw = plain(server);
    const p = raw.pipeline();
    for (let i = 0; i < 200; i++) p.set(`fill:${i}`, 'x'.repeat(20_000));
    await p.exec();
    const { cache } = await cacheOn([server.url]);
    const s = await cache.stats();
    const i = await info(raw);
    expect(s.evictedKeys).toBeGreaterThan(0);
    expect(s.evictedKeys).toBe(Number(i.get('evicted_keys')));
    expect(s).toMatchObject({ evictionPolicy: 'allkeys-lru', maxMemoryBytes: 2 * 1024 * 1024, keys: await raw.dbsize() });
  });
});

describe('redis cache hot keys (allkeys-lfu)', () => {
  it('ranks keys by OBJECT FREQ', async () => {
    // Log factor 0 makes every access count exactly once, and decay 0 keeps counters still, so
    // the frequencies are exact instead of probabilistic.
    const server = await startRedis(['--maxmemory-policy', 'allkeys-lfu', '--lfu-log-factor', '0', '--lfu-decay-time', '0']);
    servers.push(server);
    const raw = plain(server);
    const p = raw.pipeline();
    for (let i = 0; i < 100; i++) p.set(`cold:${i}`, 'v');
    p.set('hot:a', 'a').set('hot:b', 'b');
    for (let i = 0; i < 200; i++) p.get('hot:a');
    for (let i = 0; i < 50; i++) p.get('hot:b');
    await p.exec();
    const { cache } = await cacheOn([server.url]);
    const { keys, summary } = await scan((o) => cache.hotKeys!(o), 2);
    expect(keys.map((k) => k.key)).toEqual(['hot:a', 'hot:b']);
    expect(keys[0]!.frequency).toBeGreaterThanOrEqual(200);
    expect(keys[0]!.frequency! - keys[1]!.frequency!).toBe(150);
    expect(keys[0]).toMatchObject({ type: 'string', ttlMs: null });
    expect(keys[0]!.memoryBytes).toBeGreaterThan(0);
    expect(summary).toMatchObject({ complete: true, stoppedBy: 'done', scanned: 102 });
    expect((await cache.stats()).evictionPolicy).toBe('allkeys-lfu');
  });
});

describe('redis cache on a three-master cluster', () => {
  let cluster: RedisClusterServers;
  let cache: RedisCache;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    servers.push(cluster);
    let client: RedisClient;
    ({ cache, client } = await cacheOn(cluster.urls, { cluster: true }));
    await Promise.all(Array.from({ length: 300 }, (_, i) => client.set(`c:${i}`, 'v')));
    await client.set('c:big', 'x'.repeat(50_000));
  });

  it('scans every master', async () => {
    const perNode = await Promise.all(cluster.nodes.map((n) => plain(n).dbsize()));
    expect(perNode.filter((n) => n > 0).length).toBe(3); // the keys really are spread out
    const { keys, summary } = await scan((o) => cache.keys('c:*', o), 10_000);
    expect(keys).toHaveLength(301);
    expect(summary).toMatchObject({ complete: true, stoppedBy: 'done', scanned: 301 });
    const big = await scan((o) => cache.bigKeys!(o), 1);
    expect(big.keys.map((k) => [k.key, k.size])).toEqual([['c:big', 50_000]]);
  });

  it('adds up stats over the masters, and leaves the peak unknown', async () => {
    const s = await cache.stats();
    expect(s.keys).toBe(301);
    expect(s.evictionPolicy).toBe('noeviction');
    expect(s.maxMemoryBytes).toBe(0);
    expect(s.peakMemoryBytes).toBeNull();
    const used = await Promise.all(cluster.nodes.map(async (n) => Number((await info(plain(n))).get('used_memory'))));
    expect(s.usedMemoryBytes).toBeGreaterThan(Math.max(...used)); // a sum, not one node
  });
});

describe('cache commands through the real binary', () => {
  let server: RedisServer;
  let box: ReturnType<typeof sandbox>;

  beforeAll(async () => {
    server = await startRedis(['--maxmemory', '64mb']);
    servers.push(server);
    await seed(plain(server));
    box = sandbox();
  });
  afterAll(() => box.cleanup());

  function profile(url: string): void {
    const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.yaml'), `profiles:\n  r:\n    cache: {type: redis, url: "${url}"}\n`);
  }

  it('cache stats, keys, bigkeys and hotkeys round-trip with a profile file', async () => {
    profile(server.url);
    const stats = opsdeck(box.env, ['--profile', 'r', 'cache', 'stats', '-o', 'json']);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(stats.json()).toMatchObject({ backend: 'redis', evictionPolicy: 'noeviction', maxMemoryBytes: 64 * 1024 * 1024, keys: Object.keys(TYPED).length + Object.keys(BIG).length + BULK });
    const keys = opsdeck(box.env, ['--profile', 'r', 'cache', 'keys', 'type:*', '-o', 'json']);
    expect(keys.code).toBe(0);
    expect(keys.json()).toMatchObject({ pattern: 'type:*', complete: true, stoppedBy: 'done' });
    expect(keys.json().keys.map((k: CacheKey) => k.key)).toEqual(Object.keys(TYPED));
    const big = opsdeck(box.env, ['--profile', 'r', 'cache', 'bigkeys', '--limit', '1', '-o', 'table']);
    expect(big.code).toBe(0);
    expect(big.stdout).toMatch(/^KEY\s+TYPE\s+MEMORY\s+SIZE\s+TTL\n/);
    expect(big.stdout).toMatch(/big:string\s+string\s+[\d.]+ KiB\s+100,000\s+none/);
    const hot = opsdeck(box.env, ['--profile', 'r', 'cache', 'hotkeys']);
    expect(hot.code).toBe(1);
    expect(hot.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(hot.stderr).toMatch(/^opsdeck: hot keys need an LFU eviction policy .* maxmemory-policy is noeviction \(hint: /);
  });

  it('an unreachable server exits 3 with one clear line', async () => {
    profile(`redis://127.0.0.1:${await freePort()}`);
    const r = opsdeck(box.env, ['--profile', 'r', 'cache', 'stats', '-o', 'json']);
    expect(r.code).toBe(3);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^opsdeck: redis redis:\/\/127\.0\.0\.1:\d+ is unreachable \(connection refused\) \(hint: .+\)$/);
    expect(r.stdout).toBe('');
  });
});
