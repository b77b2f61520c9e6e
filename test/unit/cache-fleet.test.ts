import { describe, expect, it } from 'vitest';
import type { CacheStats } from '../../src/core/cache.js';
import { cacheFlags } from '../../src/core/cache-flags.js';
import type { CacheRow } from '../../src/core/cache-fleet.js';
import { CacheSpecError, DEFAULT_FLAG_RULES, DEFAULT_MAPPINGS, readCacheFleet } from '../../src/core/cache-mapping.js';
import { cacheHistoryQueries, cacheQueries, historyFromAnswers, rowsFromAnswers, windowLabel, withMatchers, type VectorSample } from '../../src/core/cache-queries.js';
import { redisRow } from '../../src/core/cache-redis-row.js';

const micrometer = DEFAULT_MAPPINGS.micrometer!;
const groupcache = DEFAULT_MAPPINGS.groupcache!;

/** Answers keyed by field/period, handed back in the order of the queries. */
function answer(queries: ReturnType<typeof cacheQueries>, byField: Record<string, VectorSample[]>): VectorSample[][] {
  return queries.map((q) => byField[`${q.field}/${q.period}`] ?? []);
}
const s = (metric: Record<string, string>, v: number): VectorSample => ({ metric, value: [0, String(v)] });

describe('selectors', () => {
  it('adds matchers inside existing braces, or opens them', () => {
    expect(withMatchers('cache_gets_total{result="hit"}', ['job="api"', null])).toBe('cache_gets_total{result="hit",job="api"}');
    expect(withMatchers('cache_size', ['cache="a\\"b"'])).toBe('cache_size{cache="a\\"b"}');
    expect(withMatchers('x{}', ['a="1"'])).toBe('x{a="1"}');
    expect(withMatchers('x', [])).toBe('x');
  });

  it('asks the window and the hour before it, narrowed to one cache when asked', () => {
    const q = cacheQueries(micrometer, 300, 'books');
    const hits = q.filter((x) => x.field === 'hits');
    expect(hits.map((x) => x.period)).toEqual(['window', 'baseline']);
    expect(hits[0]!.expr).toBe('sum by (cache, instance, cache_manager, job) (increase(cache_gets_total{result="hit",cache="books"}[300s]))');
    expect(hits[1]!.expr).toContain('[3600s] offset 300s');
    expect(q.find((x) => x.field === 'size')!.expr).toBe('sum by (cache, instance, cache_manager, job) (cache_size{cache="books"})');
    expect(cacheHistoryQueries(groupcache, 'thumbs', 60).map((x) => x.field)).toEqual(['hits', 'requests', 'evictions']);
  });

  it('labels windows as people write them', () => {
    expect([windowLabel(300), windowLabel(3600), windowLabel(90), windowLabel(0.5)]).toEqual(['5m', '1h', '90s', '0.5s']);
  });
});

describe('rows from Micrometer answers', () => {
  const books = { cache: 'books', instance: 'a:8080', cache_manager: 'cacheManager', job: 'api' };
  const tiny = { cache: 'tiny', instance: 'a:8080', cache_manager: 'cacheManager', job: 'api' };
  const q = cacheQueries({ ...micrometer, bounds: { tiny: 10 } }, 300);
  const rows = rowsFromAnswers({ ...micrometer, bounds: { tiny: 10 } }, DEFAULT_FLAG_RULES, { source: 'prom', window: '5m', windowSeconds: 300 }, q, answer(q, {
    'hits/window': [s(books, 700), s(tiny, 0)],
    'misses/window': [s(books, 300), s(tiny, 600)],
    'hits/baseline': [s(books, 9000)],
    'misses/baseline': [s(books, 1000)],
    'evictions/window': [s(tiny, 590)],
    'size/now': [s(books, 412), s(tiny, 10)],
  }));

  it('computes ratio, rates and fill per cache and instance', () => {
    expect(rows.map((r) => r.cache)).toEqual(['books', 'tiny']);
    const b = rows[0]!;
    expect(b.hitRatio).toBeCloseTo(0.7);
    expect(b.baselineHitRatio).toBeCloseTo(0.9);
    expect(b.requestsPerSec).toBeCloseTo(1000 / 300);
    expect(b.evictionsPerSec).toBe(0);
    expect([b.size, b.bound, b.fill]).toEqual([412, null, null]);
    expect(b.labels).toEqual({ cache_manager: 'cacheManager', job: 'api' });
    const t = rows[1]!;
    expect([t.hitRatio, t.fill]).toEqual([0, 1]);
  });

  it('flags the drop against the hour before and the cache evicting at its bound', () => {
    expect(rows[0]!.flags.map((f) => f.kind)).toEqual(['hit-ratio-drop']);
    expect(rows[0]!.flags[0]!.message).toContain('70.0%');
    expect(rows[1]!.flags.map((f) => f.kind)).toEqual(['evicting-at-bound']);
  });

  it('has no ratio, rather than 0, without lookups', () => {
    const idle = rowsFromAnswers(micrometer, DEFAULT_FLAG_RULES, { source: 'p', window: '5m', windowSeconds: 300 }, q, answer(q, { 'hits/window': [s(books, 0)], 'misses/window': [s(books, 0)] }));
    expect(idle[0]!.hitRatio).toBeNull();
    expect(idle[0]!.flags).toEqual([]);
  });
});

describe('groupcache', () => {
  it('reads the hit ratio from gets and the share served by peers', () => {
    const g = { group: 'thumbs', instance: 'b:9000', job: 'img' };
    const q = cacheQueries(groupcache, 60);
    const [row] = rowsFromAnswers(groupcache, DEFAULT_FLAG_RULES, { source: 'p', window: '1m', windowSeconds: 60 }, q, answer(q, {
      'hits/window': [s(g, 600)],
      'requests/window': [s(g, 1000)],
      'peerLoads/window': [s(g, 250)],
      'extra:loadsDeduped/window': [s(g, 120)],
    }));
    expect(row!.cache).toBe('thumbs');
    expect(row!.hitRatio).toBeCloseTo(0.6);
    expect(row!.peerShare).toBeCloseTo(0.25);
    expect(row!.extra.loadsDedupedPerSec).toBeCloseTo(2);
    expect(row!.sizeUnit).toBe('bytes');
  });

  it('turns range answers into a ratio per step', () => {
    const q = cacheHistoryQueries(micrometer, 'books', 60);
    const m = { cache: 'books', instance: 'a', cache_manager: 'm', job: 'j' };
    const h = historyFromAnswers(micrometer, 'p', q, q.map((x) => (x.field === 'hits' ? [{ metric: m, values: [[10, '3'], [20, '0']] }] : x.field === 'misses' ? [{ metric: m, values: [[10, '1'], [20, '0']] }] : [])) as never);
    expect(h[0]!.hitRatio).toEqual([[10, 0.75], [20, null]]);
    expect(h[0]!.requestsPerSec).toEqual([[10, 4], [20, 0]]);
  });
});

describe('the flag rules', () => {
  const base: Omit<CacheRow, 'flags'> = {
    source: 's', kind: 'micrometer', cache: 'c', instance: 'i', labels: {}, window: '5m', hitRatio: 0.8, baselineHitRatio: 0.8,
    requestsPerSec: 10, evictionsPerSec: 0, size: 50, bound: 100, sizeUnit: 'entries', fill: 0.5, peerShare: null, policy: null, extra: {},
  };
  const kinds = (r: Partial<CacheRow>, counts = { window: 3000, baseline: 36000 }, rules = DEFAULT_FLAG_RULES) => cacheFlags({ ...base, ...r }, rules, counts).map((f) => f.kind);

  it('judges a drop only past the threshold and with enough lookups on both sides', () => {
    expect(kinds({ hitRatio: 0.76 })).toEqual([]);
    expect(kinds({ hitRatio: 0.75 })).toEqual(['hit-ratio-drop']);
    expect(kinds({ hitRatio: 0.5 }, { window: 99, baseline: 36000 })).toEqual([]);
    expect(kinds({ hitRatio: 0.5 }, { window: 3000, baseline: 10 })).toEqual([]);
    expect(kinds({ hitRatio: 0.75 }, undefined, { ...DEFAULT_FLAG_RULES, ratioDrop: 0.1 })).toEqual([]);
  });

  it('flags evicting hard only at the bound, or where the bound is unknown', () => {
    expect(kinds({ evictionsPerSec: 5, fill: 0.5 })).toEqual([]);
    expect(kinds({ evictionsPerSec: 5, fill: 0.96 })).toEqual(['evicting-at-bound']);
    expect(kinds({ evictionsPerSec: 0.5, fill: 0.96 })).toEqual([]);
    expect(kinds({ evictionsPerSec: 5, fill: null, bound: null })).toEqual(['evicting-at-bound']);
    expect(kinds({ evictionsPerSec: 1, requestsPerSec: 0, fill: 1 })).toEqual(['evicting-at-bound']);
  });

  it('flags a noeviction Redis near full, not one with room or another policy', () => {
    const redis = { kind: 'redis', sizeUnit: 'bytes' as const };
    expect(kinds({ ...redis, policy: 'noeviction', fill: 0.92 })).toEqual(['noeviction-near-full']);
    expect(kinds({ ...redis, policy: 'noeviction', fill: 0.5 })).toEqual([]);
    expect(kinds({ ...redis, policy: 'allkeys-lru', fill: 0.99 })).toEqual([]);
  });
});

describe('Redis rows', () => {
  const stats = (o: Partial<CacheStats>): CacheStats => ({
    backend: 'r', version: '7', hitRatio: null, hits: 0, misses: 0, opsPerSec: 0, usedMemoryBytes: 0, peakMemoryBytes: 0, maxMemoryBytes: 0, evictionPolicy: 'allkeys-lru', evictedKeys: 0, expiredKeys: 0, keys: 0, ...o,
  });

  it('rates over the sample, ratio over it when it saw lookups, the baseline since start', () => {
    const r = redisRow('cache', 'h:1', stats({ hits: 100, misses: 100, evictedKeys: 10 }), stats({ hits: 190, misses: 110, evictedKeys: 30, usedMemoryBytes: 900, maxMemoryBytes: 1000 }), 2, '2s', DEFAULT_FLAG_RULES);
    expect(r.hitRatio).toBeCloseTo(0.9);
    expect(r.baselineHitRatio).toBeCloseTo(190 / 300);
    expect(r.window).toBe('2s');
    expect(r.requestsPerSec).toBe(50);
    expect(r.evictionsPerSec).toBe(10);
    expect(r.fill).toBeCloseTo(0.9);
    expect(r.flags.map((f) => f.kind)).toEqual([]);
  });

  it('falls back to the ratio since start with no lookups in the sample, and has no bound without maxmemory', () => {
    const r = redisRow('cache', 'h:1', stats({ hits: 3, misses: 1 }), stats({ hits: 3, misses: 1, usedMemoryBytes: 5 }), 1, '1s', DEFAULT_FLAG_RULES);
    expect([r.hitRatio, r.window, r.bound, r.fill]).toEqual([0.75, 'since start', null, null]);
  });
});

describe('the profile block', () => {
  it('defaults to Micrometer, and takes a default kind with overrides', () => {
    expect(readCacheFleet({}).sources.map((m) => m.kind)).toEqual(['micrometer']);
    const f = readCacheFleet({ sources: [{ kind: 'groupcache', selector: 'job="img"', metrics: { size: null } }, { kind: 'edge', from: 'bigcache', bounds: { sessions: 1024 } }], flags: { ratioDrop: 0.1 } });
    expect(f.sources[0]!.metrics.size).toBeUndefined();
    expect(f.sources[0]!.selector).toBe('job="img"');
    expect(f.sources[1]!.kind).toBe('edge');
    expect(f.sources[1]!.metrics.hits).toBe('bigcache_hits_total');
    expect(f.flags).toEqual({ ...DEFAULT_FLAG_RULES, ratioDrop: 0.1 });
  });

  it('takes a kind of its own with every name given', () => {
    const f = readCacheFleet({ sources: [{ kind: 'ristretto', cacheLabel: 'name', instanceLabel: 'pod', metrics: { hits: 'ristretto_hits_total', misses: 'ristretto_misses_total' } }] });
    expect(f.sources[0]).toMatchObject({ kind: 'ristretto', cacheLabel: 'name', instanceLabel: 'pod', keepLabels: [], extra: {} });
  });

  it.each([
    [{ sourcez: [] }, ['sourcez'], 'unknown key'],
    [{ sources: [{ kind: 'x' }] }, ['sources', 0, 'metrics'], 'needs "hits"'],
    [{ sources: [{ kind: 'x', metrics: { hits: 'a' } }] }, ['sources', 0, 'metrics'], 'needs "misses" or "requests"'],
    [{ sources: [{ kind: 'x', metrics: { hits: 'a', misses: 'b' } }] }, ['sources', 0, 'cacheLabel'], 'cacheLabel is needed'],
    [{ sources: [{ kind: 'micrometer', metrics: { hits: 'rate(x[5m])' } }] }, ['sources', 0, 'metrics', 'hits'], 'not a series selector'],
    [{ sources: [{ kind: 'micrometer', selector: '{job="a"}' }] }, ['sources', 0, 'selector'], 'without braces'],
    [{ sources: [{ kind: 'a', from: 'memcached' }] }, ['sources', 0, 'from'], 'no default mapping'],
    [{ flags: { atBound: 2 } }, ['flags', 'atBound'], 'fraction'],
    [{ sources: [{ kind: 'micrometer', bounds: { books: -1 } }] }, ['sources', 0, 'bounds', 'books'], 'above 0'],
  ])('refuses %j at its path', (raw, path, text) => {
    let err: unknown;
    try {
      readCacheFleet(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CacheSpecError);
    expect((err as CacheSpecError).path).toEqual(path);
    expect((err as CacheSpecError).detail).toContain(text);
  });
});
