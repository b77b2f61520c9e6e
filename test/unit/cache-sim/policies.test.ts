import { describe, expect, it } from 'vitest';
import { Belady, nextUses } from '../../../src/core/cache-sim/belady.js';
import { Lru } from '../../../src/core/cache-sim/lru.js';
import { S3Fifo } from '../../../src/core/cache-sim/s3-fifo.js';
import { POLICIES, sizesFor } from '../../../src/core/cache-sim/policy-names.js';
import { hitsOf, recommend, sweep } from '../../../src/core/cache-sim/simulate.js';
import { WTinyLfu } from '../../../src/core/cache-sim/w-tinylfu.js';
import { zipfTrace } from '../../../src/core/cache-sim/zipf.js';

/** Which requests hit, in order, for a policy fed one key at a time. */
function hitPattern(policy: { access(k: number): boolean }, trace: number[]): boolean[] {
  return trace.map((k) => policy.access(k));
}

const T = true;
const F = false;

describe('each policy on a small trace worked out by hand', () => {
  it('LRU evicts the least recently used key', () => {
    // cap 2: 0 1 | 0 hit | 2 evicts 1 | 1 evicts 0 | 0 evicts 2
    expect(hitPattern(new Lru(2, 3), [0, 1, 0, 2, 1, 0])).toEqual([F, F, T, F, F, F]);
  });

  it('W-TinyLFU keeps the more frequent of candidate and victim', () => {
    // cap 2: window 1, main 1 (probation only). 2 pushes 1 to probation, where 1 (seen once) loses
    // to 0 (seen once: a tie keeps the victim). 0 hits. 1 pushes 2 out the same way (0 now seen
    // twice). 1 hits in the window, 0 in probation; 2 (seen twice) pushes 1 (thrice) to duel 0
    // (thrice): the tie keeps 0 again, so 1 misses. LRU would have missed the 4th request (0).
    const trace = [0, 1, 2, 0, 1, 1, 0, 2, 1];
    expect(hitPattern(new WTinyLfu(2, 3), trace)).toEqual([F, F, F, T, F, T, T, F, F]);
    expect(hitPattern(new Lru(2, 3), trace)).toEqual([F, F, F, F, F, T, T, F, F]);
  });

  it('W-TinyLFU keeps a frequently used set through a one-pass scan that flushes LRU', () => {
    const hot = Array.from({ length: 50 }, (_, i) => i);
    const scan = Array.from({ length: 1000 }, (_, i) => 1000 + i);
    const trace = [...hot, ...hot, ...hot, ...hot, ...hot, ...scan, ...hot];
    const last = (p: { access(k: number): boolean }) => hitPattern(p, trace).slice(-hot.length).filter(Boolean).length;
    expect(last(new WTinyLfu(100, 2000))).toBe(50);
    expect(last(new Lru(100, 2000))).toBe(0);
  });

  it('S3-FIFO moves keys hit in the small queue to main, the others to the ghosts, and ghosts come back to main', () => {
    // cap 10: small target 1. 0 is hit while in small; 1..10 fill the cache; 10 evicts from small:
    // 0 (hit) moves to main, 1 (not hit) becomes a ghost. 1 comes back from the ghosts into main
    // (evicting 2 to the ghosts), hits; 2 comes back (evicting 3); 0 hits in main; 3 comes back.
    const trace = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 1, 2, 0, 3];
    expect(hitPattern(new S3Fifo(10, 11), trace)).toEqual([F, T, F, F, F, F, F, F, F, F, F, F, F, T, F, T, F]);
    // LRU evicts 0, the oldest, and keeps 1 and 2; bringing 0 back then evicts 3.
    expect(hitPattern(new Lru(10, 11), trace)).toEqual([F, T, F, F, F, F, F, F, F, F, F, F, T, T, T, F, F]);
  });

  it("Bélády drops the key needed furthest ahead, bypassing a new key needed later than every resident one", () => {
    const trace = [0, 1, 2, 0, 1, 2, 0];
    expect(Array.from(nextUses(Int32Array.from(trace), 3))).toEqual([3, 4, 5, 6, 7, 7, 7]);
    expect(hitPattern(new Belady(2, 3, nextUses(Int32Array.from(trace), 3)), trace)).toEqual([F, F, F, T, T, F, T]);
    expect(hitPattern(new Lru(2, 3), trace).some(Boolean)).toBe(false);
  });
});

describe('Bélády is an upper bound', () => {
  for (const s of [0.6, 1.0]) {
    it(`reaches at least every other policy on Zipf s=${s} at every size`, async () => {
      const keys = 5000;
      const trace = { keys: zipfTrace({ s, keys, requests: 200_000, seed: 11 }), keyCount: keys };
      const points = await sweep(trace, sizesFor(keys), POLICIES);
      for (const size of sizesFor(keys)) {
        const at = points.filter((p) => p.size === size);
        const belady = at.find((p) => p.policy === 'belady')!;
        for (const p of at) expect(belady.hits, `${p.policy} at ${size}`).toBeGreaterThanOrEqual(p.hits);
        // And the bound is not trivial: it beats LRU outright.
        expect(belady.hits).toBeGreaterThan(at.find((p) => p.policy === 'lru')!.hits);
      }
    });
  }
});

describe('sweep helpers', () => {
  it('sizes are shares of the distinct keys, at least 1, without repeats', () => {
    expect(sizesFor(1000)).toEqual([10, 20, 50, 100, 150, 200]);
    expect(sizesFor(10)).toEqual([1, 2]);
  });

  it('recommends the smallest size that reaches the target, or none', () => {
    const points = [
      { policy: 'lru' as const, size: 10, hits: 5, requests: 10, hitRatio: 0.5, range: null },
      { policy: 'lru' as const, size: 20, hits: 9, requests: 10, hitRatio: 0.9, range: null },
      { policy: 'lru' as const, size: 30, hits: 10, requests: 10, hitRatio: 1, range: null },
      { policy: 's3-fifo' as const, size: 30, hits: 8, requests: 10, hitRatio: 0.8, range: null },
    ];
    expect(recommend(points, ['lru', 's3-fifo'], 0.9)).toEqual([
      { policy: 'lru', size: 20, hitRatio: 0.9 },
      { policy: 's3-fifo', size: null, hitRatio: null },
    ]);
  });

  it('averages W-TinyLFU over its hash runs and reports their range', async () => {
    const keys = 2000;
    const trace = { keys: zipfTrace({ s: 0.8, keys, requests: 50_000, seed: 3 }), keyCount: keys };
    const [p] = await sweep(trace, [40], ['w-tinylfu'], { hashRuns: 3 });
    const runs = [0, 1, 2].map((seed) => hitsOf('w-tinylfu', 40, trace, undefined, seed));
    expect(new Set(runs).size, 'each run hashes differently').toBeGreaterThan(1);
    expect(p!.hits).toBeCloseTo((runs[0]! + runs[1]! + runs[2]!) / 3, 9);
    expect(p!.range).toEqual([Math.min(...runs) / 50_000, Math.max(...runs) / 50_000]);
  });

  it('hitsOf computes next uses itself when not given them', () => {
    const trace = { keys: Int32Array.from([0, 1, 2, 0, 1, 2, 0]), keyCount: 3 };
    expect(hitsOf('belady', 2, trace)).toBe(3);
  });
});
