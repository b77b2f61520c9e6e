import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheFleet } from '../../src/core/cache-fleet.js';
import { opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';
import { freePort, startRedis, type RedisServer } from '../servers/redis-server.js';
import { writeProfiles } from '../interop/support.js';

/**
 * `cache list` on Redis rows against real redis-servers: one with a small maxmemory and
 * allkeys-lru that evicts while the command watches it, and one with noeviction filled until it
 * refuses writes. The figures are checked against the servers' own INFO.
 */

const MAXMEMORY = 2 * 1024 * 1024;
let lru: RedisServer;
let full: RedisServer;
const box = sandbox();

function info(text: string, field: string): number {
  return Number(new RegExp(`^${field}:(\\d+)`, 'm').exec(text)?.[1]);
}

beforeAll(async () => {
  [lru, full] = await Promise.all([
    startRedis(['--maxmemory', String(MAXMEMORY), '--maxmemory-policy', 'allkeys-lru']),
    startRedis(['--maxmemory', String(MAXMEMORY), '--maxmemory-policy', 'noeviction']),
  ]);
  const nobody = await freePort();
  writeProfiles(box.env, {
    lru: { cache: { type: 'redis', name: 'sessions', url: lru.url } },
    full: { cache: { type: 'redis', name: 'jobs', url: full.url } },
    down: { cache: { type: 'redis', name: 'gone', url: `redis://127.0.0.1:${nobody}`, connectTimeoutMs: 500 } },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([lru?.stop(), full?.stop()]);
  box.cleanup();
});

describe('Redis rows of the fleet view', () => {
  it('shows a Redis evicting under allkeys-lru while it is watched: evictions/s, lookups and memory against maxmemory', async () => {
    const client = new Redis(lru.url);
    let writing = true;
    const value = 'x'.repeat(2048);
    // Writes past maxmemory (so Redis evicts) and reads recent keys (hits) and long-gone ones (misses).
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const p = client.pipeline();
        for (let j = 0; j < 50; j++) p.set(`k:${i * 50 + j}`, value);
        p.get(`k:${i * 50}`).get(`k:${i * 50 + 1}`).get('k:0');
        await p.exec();
      }
    })();
    try {
      const before = await client.info('stats');
      const r = await opsdeckAsync(box.env, ['--profile', 'lru', 'cache', 'list', '--sample', '2s', '-o', 'json']);
      const after = await client.info('stats');
      const memory = await client.info('memory');
      expect(r.code, r.stderr).toBe(0);
      const fleet = r.json<CacheFleet>();
      expect(fleet.backends).toEqual([{ backend: 'sessions', subsystem: 'cache', complete: true, stoppedBy: 'done', error: null }]);
      const [row] = fleet.caches;
      expect(row).toMatchObject({ source: 'sessions', kind: 'redis', cache: 'sessions', instance: `127.0.0.1:${lru.port}`, window: '2s', policy: 'allkeys-lru', bound: MAXMEMORY, sizeUnit: 'bytes' });
      // Evicting while watched, at no more than the server evicted over the whole command.
      const evictedDuring = info(after, 'evicted_keys') - info(before, 'evicted_keys');
      expect(row!.evictionsPerSec).toBeGreaterThan(0);
      expect(row!.evictionsPerSec! * 2).toBeLessThanOrEqual(evictedDuring);
      const lookupsDuring = info(after, 'keyspace_hits') + info(after, 'keyspace_misses') - info(before, 'keyspace_hits') - info(before, 'keyspace_misses');
      expect(row!.requestsPerSec).toBeGreaterThan(0);
      expect(row!.requestsPerSec! * 2).toBeLessThanOrEqual(lookupsDuring);
      expect(row!.hitRatio).toBeGreaterThan(0);
      expect(row!.hitRatio).toBeLessThan(1);
      // At its bound: used_memory hovers at maxmemory while it evicts.
      expect(row!.fill).toBeGreaterThan(0.8);
      expect(row!.fill).toBeCloseTo(row!.size! / MAXMEMORY, 10);
      expect(Math.abs(row!.size! - info(memory, 'used_memory')) / MAXMEMORY).toBeLessThan(0.2);
      expect(row!.flags.map((f) => f.kind)).toContain('evicting-at-bound');
    } finally {
      writing = false;
      await writer.catch(() => undefined);
      client.disconnect();
    }
  }, 60_000);

  it('flags a noeviction Redis near full, and not while it has room', async () => {
    const empty = opsdeck(box.env, ['--profile', 'full', 'cache', 'list', '--sample', '100ms', '-o', 'json']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.json<CacheFleet>().caches[0]!.flags).toEqual([]);

    const client = new Redis(full.url);
    const value = 'y'.repeat(4096);
    let refused: Error | null = null;
    for (let i = 0; refused === null && i < 10_000; i++) {
      await client.set(`job:${i}`, value).catch((e: Error) => (refused = e));
    }
    client.disconnect();
    expect(String(refused)).toContain('OOM');
    const r = opsdeck(box.env, ['--profile', 'full', 'cache', 'list', '--sample', '100ms', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = r.json<CacheFleet>().caches;
    expect(row!.policy).toBe('noeviction');
    expect(row!.fill).toBeGreaterThanOrEqual(0.9);
    expect(row!.flags.map((f) => f.kind)).toEqual(['noeviction-near-full']);
    const text = opsdeck(box.env, ['--profile', 'full', 'cache', 'list', '--sample', '100ms', '-o', 'table']);
    expect(text.stdout).toMatch(/⚑ jobs @ 127\.0\.0\.1:\d+: maxmemory-policy noeviction at \d+\.\d% of maxmemory/);
  }, 60_000);

  it('exits 3 naming the Redis that is down', () => {
    const r = opsdeck(box.env, ['--profile', 'down', 'cache', 'list', '-o', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cache backend gone was not read: .*127\.0\.0\.1/);
    const fleet = r.json<CacheFleet>();
    expect(fleet.backends[0]).toMatchObject({ backend: 'gone', complete: false, stoppedBy: 'unreachable' });
    expect(fleet.caches).toEqual([]);
  });
});
