import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/core/cache-sim/simulation.js';
import { opsdeck, opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';

/**
 * `cache simulate` through the built binary: traces from files (plain, timestamped, gzip) with
 * results worked out by hand, the Zipf source, the table and chart, bad input, the memory bounds,
 * and a MONITOR sample of a real redis-server that a client is reading from.
 */

const box = sandbox();
afterAll(() => box.cleanup());
const run = (...args: string[]) => opsdeck(box.env, ['cache', 'simulate', ...args]);

function trace(name: string, content: string | Buffer): string {
  const p = join(box.dir, name);
  writeFileSync(p, content);
  return p;
}

/** A usage error: exit 2 and exactly one line on stderr, matching `pattern`. */
function refused(r: ReturnType<typeof run>, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stdout).toBe('');
}

describe('cache simulate on trace files', () => {
  it('replays a plain trace: LRU at size 2 on a b a c b a hits once, Bélády three times', () => {
    const p = trace('abacba.txt', 'a\nb\na\nc\nb\na\n');
    const d = run(p, '--sizes', '2', '--policies', 'lru,belady', '--target', '0.5', '-o', 'json').json<Simulation>();
    expect(d.source).toEqual({ kind: 'file', file: p });
    expect([d.requests, d.distinctKeys, d.sizes]).toEqual([6, 3, [2]]);
    // Bélády: a b | a hit | c bypasses (a is needed sooner, b too) | b hit | a hit.
    expect(d.points.map((x) => [x.policy, x.hits])).toEqual([['lru', 1], ['belady', 3]]);
    expect(d.recommendations).toEqual([{ policy: 'lru', size: null, hitRatio: null }, { policy: 'belady', size: 2, hitRatio: 0.5 }]);
  });

  it('reads timestamped and gzipped traces the same as the plain one', () => {
    const plain = run(trace('p.txt', 'x\ny\nx\nz\ny\nx\n'), '--sizes', '2', '-o', 'json').json<Simulation>();
    const stamped = run(trace('t.txt', '1.5 x\n2 y\n3 x\n4 z\n5 y\n6 x\n'), '--sizes', '2', '-o', 'json').json<Simulation>();
    const gz = run(trace('g.gz', gzipSync('x\ny\nx\nz\ny\nx\n')), '--sizes', '2', '-o', 'json').json<Simulation>();
    expect(plain.points.length).toBe(4);
    expect(stamped.points).toEqual(plain.points);
    expect(gz.points).toEqual(plain.points);
  });

  it('takes sizes as entries or shares of the distinct keys', () => {
    const keys = Array.from({ length: 400 }, (_, i) => `k${i}`).join('\n');
    const d = run(trace('400.txt', keys), '--sizes', '10%,5,50%,5', '--policies', 'lru', '-o', 'json').json<Simulation>();
    expect(d.sizes).toEqual([5, 40, 200]);
  });
});

describe('cache simulate on a Zipf trace', () => {
  it('sweeps 1% … 20% of the keys, with Bélády on top and a recommendation per policy', () => {
    const r = run('--zipf', '1.0', '--keys', '5000', '--requests', '100000', '--seed', '7', '--target', '0.6', '-o', 'json');
    const d = r.json<Simulation>();
    expect(d.source).toEqual({ kind: 'zipf', zipf: { s: 1, keys: 5000, requests: 100000, seed: 7 } });
    expect(d.sizes).toEqual([50, 100, 250, 500, 750, 1000]);
    expect(d.points).toHaveLength(24);
    for (const size of d.sizes) {
      const at = d.points.filter((p) => p.size === size);
      const best = Math.max(...at.map((p) => p.hitRatio));
      expect(at.find((p) => p.policy === 'belady')!.hitRatio).toBe(best);
    }
    for (const rec of d.recommendations) {
      const curve = d.points.filter((p) => p.policy === rec.policy);
      const first = curve.find((p) => p.hitRatio >= 0.6);
      expect(rec.size).toBe(first?.size ?? null);
    }
    // Seeded: the same command gives the same answer.
    expect(run('--zipf', '1.0', '--keys', '5000', '--requests', '100000', '--seed', '7', '--target', '0.6', '-o', 'json').stdout).toBe(r.stdout);
  });

  it('renders the chart, the table and the recommendation as text', () => {
    const r = run('--zipf', '0.9', '--keys', '2000', '--requests', '50000', '-o', 'table');
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Zipf s=0.9, seed 1: 50,000 requests over 2,000 distinct keys');
    // x axis: the sizes tried; y axis in percent; a legend line per policy.
    expect(out).toMatch(/\n\s+20\s.*\s400\n/);
    expect(out).toMatch(/%┤/);
    for (const name of ['LRU', 'W-TinyLFU', 'S3-FIFO', 'Bélády (optimal)']) expect(out).toContain(`● ${name}`);
    expect(out).toMatch(/SIZE\s+OF KEYS\s+LRU\s+W-TINYLFU\s+S3-FIFO/);
    expect(out).toMatch(/smallest size for a 90\.00% hit ratio: LRU /);
  });
});

describe('cache simulate refuses bad input with one line and exit 2', () => {
  it('names what is wrong', () => {
    refused(run(join(box.dir, 'missing.txt')), /missing\.txt: it does not exist/);
    refused(run(), /needs a trace/);
    refused(run(trace('one.txt', 'a\n'), '--zipf', '1'), /one trace source at a time/);
    refused(run('--zipf', 'abc'), /--zipf must be a number/);
    refused(run('--zipf', '0'), /--zipf must be above 0/);
    refused(run('--keys', '10'), /--keys only applies to a Zipf trace/);
    refused(run('--zipf', '1', '--sizes', '5,ten'), /--sizes takes sizes .* not "ten"/);
    refused(run('--zipf', '1', '--policies', 'lru,arc'), /unknown policy "arc"/);
    refused(run('--zipf', '1', '--target', '1.5'), /--target must be a number from 0 to 1/);
    refused(run(trace('empty.txt', '\n\n')), /holds no requests/);
  });

  it('stops a run too big for its memory bounds before it starts, naming the bound', () => {
    refused(run('--zipf', '1', '--keys', '1000', '--max-keys', '999'), /--keys 1000 is above --max-keys 999/);
    refused(run('--zipf', '1', '--requests', '5000', '--max-requests', '4999'), /--requests 5000 is above --max-requests 4999/);
    const p = trace('wide.txt', Array.from({ length: 300 }, (_, i) => `k${i}`).join('\n'));
    refused(run(p, '--max-keys', '200'), /more than 200 distinct keys.*--max-keys/);
    refused(run(p, '--max-requests', '100'), /more than 100 requests.*--max-requests/);
  });
});

describe('cache simulate --monitor on a real redis-server', () => {
  let redis: RedisServer;
  let reader: Redis;
  let env: NodeJS.ProcessEnv;
  let stop = false;
  let reading: Promise<void>;

  beforeAll(async () => {
    redis = await startRedis();
    const setup = new Redis(redis.url);
    await setup.mset(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`sim:k${i}`, 'v'])));
    setup.disconnect();
    reader = new Redis(redis.url);
    // An application reading ten keys round and round (GET one at a time, and an MGET now and then).
    reading = (async () => {
      for (let i = 0; !stop; i++) {
        if (i % 50 === 49) await reader.mget('sim:k0', 'sim:k1');
        else await reader.get(`sim:k${i % 10}`);
        if (i % 200 === 0) await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const s = sandbox();
    env = s.env;
    writeProfileFile(env, `profiles:\n  r:\n    cache: {type: redis, url: "${redis.url}"}\n`);
  }, 120_000);

  afterAll(async () => {
    stop = true;
    await reading;
    reader.disconnect();
    await redis?.stop();
  });

  it('samples the keys clients read for the duration, warns about the cost, and simulates them', async () => {
    const r = await opsdeckAsync(env, ['--profile', 'r', 'cache', 'simulate', '--monitor', '2s', '--sizes', '10', '--policies', 'lru', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/MONITOR makes .* copy every command .* for up to 2 s/);
    const d = r.json<Simulation>();
    expect(d.source.kind).toBe('redis-monitor');
    expect(d.source.monitor!.stoppedBy).toBe('time');
    expect(d.requests).toBeGreaterThan(100);
    expect(d.distinctKeys).toBe(10);
    // Ten keys in a cache of ten: every request after each key's first is a hit.
    expect(d.points[0]!.hits).toBe(d.requests - 10);
  }, 60_000);

  it('stops at --max-requests and says so', async () => {
    const r = await opsdeckAsync(env, ['--profile', 'r', 'cache', 'simulate', '--monitor', '30s', '--max-requests', '500', '--sizes', '10', '--policies', 'lru', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/stopped at --max-requests before the 30 s were up/);
    const d = r.json<Simulation>();
    expect(d.requests).toBe(500);
    expect(d.source.monitor).toMatchObject({ stoppedBy: 'bound', bound: 'requests' });
  }, 60_000);
});
