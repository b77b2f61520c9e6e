import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import type { MetricsAnswer, MetricsBackend } from '../../../src/core/metrics.js';
import { complete } from '../../../src/shell/completion/complete.js';
import { PROMQL_CACHE_LIMITS, PromqlCache } from '../../../src/shell/completion/promql-cache.js';
import type { CompletionData } from '../../../src/shell/completion/types.js';
import { loadPromql } from '../../../src/shell/promql/load.js';
import { fakeData } from './fixtures.js';

type Call = { method: 'labels' | 'series' | 'metadata'; args: unknown[]; resolve(data: unknown): void; reject(e: Error): void };

/**
 * A metrics backend whose answers the test hands out one by one: every call waits until the test
 * resolves (or rejects) it, so what completion shows before and after is under the test's control.
 */
function pendingBackend() {
  const calls: Call[] = [];
  const call = (method: Call['method']) => (...args: unknown[]) =>
    new Promise<MetricsAnswer<any>>((resolve, reject) => {
      calls.push({ method, args, resolve: (data) => resolve({ data, warnings: [] }), reject });
    });
  const backend = { name: 'fake', labels: call('labels'), series: call('series'), metadata: call('metadata') } as unknown as MetricsBackend;
  const find = (method: Call['method'], first?: unknown) => calls.find((c) => c.method === method && (first === undefined || JSON.stringify(c.args[0]) === JSON.stringify(first)));
  return { backend, calls, find };
}

/** Lets the cache's background loads run to completion. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function console_(cache: PromqlCache): CompletionData {
  return { ...fakeData().data, promql: cache };
}
const offered = (data: CompletionData, line: string) => complete(COMMANDS, line, line.length, data, 50).items.map((i) => i.value);

beforeAll(async () => {
  await loadPromql();
});

describe('PromqlCache: never waits on the network', () => {
  it('answers at once from an empty cache when the backend never answers, and asks only once', () => {
    const { backend, calls } = pendingBackend();
    const cache = new PromqlCache(async () => backend);
    const data = console_(cache);
    for (let i = 0; i < 5; i++) {
      // complete() is synchronous: it returns without any of the pending calls having answered.
      expect(offered(data, "metrics query 'rat")).toEqual(expect.arrayContaining(['rate']));
      expect(offered(data, "metrics query 'http_req")).toEqual([]);
      expect(offered(data, "metrics query 'up{job=\"")).toEqual([]);
      expect(offered(data, "metrics query '{job=\"")).toEqual([]);
    }
    return settle().then(() => {
      // One request per list, however many keystrokes asked.
      expect(calls.filter((c) => c.method === 'labels' && c.args[0] === '__name__')).toHaveLength(1);
      expect(calls.filter((c) => c.method === 'series')).toHaveLength(1);
      expect(calls.filter((c) => c.method === 'labels' && c.args[0] === 'job')).toHaveLength(1);
    });
  });

  it('a backend that cannot even be reached yields empty lists, not errors', async () => {
    const cache = new PromqlCache(() => new Promise<MetricsBackend>(() => undefined));
    expect(cache.metricNames()).toEqual([]);
    expect(cache.labelNames('up')).toEqual([]);
    expect(cache.labelValues('job', 'up')).toBeUndefined();
    await settle();
    expect(cache.metricNames()).toEqual([]);
  });
});

describe('PromqlCache: says when it is still loading', () => {
  it('a position with no offer while its list is on its first fetch is "loading"; once it lands, it is not', async () => {
    const { backend, find } = pendingBackend();
    const cache = new PromqlCache(async () => backend);
    const data = console_(cache);
    const result = (line: string) => complete(COMMANDS, line, line.length, data, 50);
    expect(result("metrics query 'http_req").loading).toBe(true);
    expect(cache.pending()).toBe(true);
    await settle();
    find('labels', '__name__')!.resolve(['http_requests_total']);
    await settle();
    expect(result("metrics query 'http_req").loading).toBeUndefined();
    expect(result("metrics query 'http_req").items.map((i) => i.value)).toContain('http_requests_total');
    // Loaded and nothing matches: that is an answer, not loading.
    expect(result("metrics query 'zzzq_nothing").loading).toBeUndefined();
  });
});

describe('PromqlCache: shows what is cached', () => {
  it('metric names with type and help once loaded; a _total series gets its family’s metadata', async () => {
    const { backend, find } = pendingBackend();
    const data = console_(new PromqlCache(async () => backend));
    expect(offered(data, "metrics query 'http_")).toEqual([]);
    await settle();
    find('labels', '__name__')!.resolve(['http_requests_total', 'http_requests_created', 'queue_depth']);
    await settle();
    expect(offered(data, "metrics query 'http_")).toEqual(['http_requests_total', 'http_requests_created']);
    // Metadata is asked for once the names are known.
    await settle();
    find('metadata')!.resolve({ http_requests: [{ type: 'counter', help: 'Requests\nserved.', unit: '' }], queue_depth: [{ type: 'gauge', help: 'Jobs.', unit: '' }] });
    await settle();
    const items = complete(COMMANDS, "metrics query 'http_requests_t", 30, data, 5).items;
    expect(items[0]).toMatchObject({ value: 'http_requests_total', description: 'counter · Requests served.' });
    expect(complete(COMMANDS, "metrics query 'queue", 20, data, 5).items[0]).toMatchObject({ value: 'queue_depth', description: 'gauge · Jobs.' });
  });

  it('label values of the metric under the cursor: two metrics, different values of the same label', async () => {
    const { backend, calls, find } = pendingBackend();
    const data = console_(new PromqlCache(async () => backend));
    expect(offered(data, "metrics query 'http_requests_total{job=\"")).toEqual([]);
    expect(offered(data, "metrics query 'up{job=\"")).toEqual([]);
    await settle();
    find('series', ['{__name__="http_requests_total"}'])!.resolve([
      { __name__: 'http_requests_total', job: 'api', code: '200' },
      { __name__: 'http_requests_total', job: 'api', code: '500' },
      { __name__: 'http_requests_total', job: 'web', code: '200' },
    ]);
    find('series', ['{__name__="up"}'])!.resolve([
      { __name__: 'up', job: 'node', instance: 'a:9100' },
      { __name__: 'up', job: 'prometheus', instance: 'b:9090' },
    ]);
    await settle();
    expect(offered(data, "metrics query 'http_requests_total{job=\"")).toEqual(['api', 'web']);
    expect(offered(data, "metrics query 'up{job=\"")).toEqual(['node', 'prometheus']);
    // The same series give each metric's own label names.
    expect(offered(data, "metrics query 'http_requests_total{")).toEqual(['code', 'job']);
    expect(offered(data, "metrics query 'up{job=\"node\", ")).toEqual(['instance']);
    // Series are looked up over a bounded recent window, not all of history.
    const [, start, end] = calls.find((c) => c.method === 'series')!.args as [string[], number, number];
    expect(end - start).toBe(12 * 3600);
  });

  it('keeps answering from the old data while a stale list reloads, and replaces it when the reload lands', async () => {
    let now = 1_000_000;
    const { backend, calls } = pendingBackend();
    const cache = new PromqlCache(async () => backend, 60_000, 5_000, () => now);
    cache.labelNames();
    await settle();
    calls.pop()!.resolve(['job']);
    await settle();
    expect(cache.labelNames()).toEqual(['job']);
    expect(calls).toHaveLength(0);
    now += 61_000;
    expect(cache.labelNames()).toEqual(['job']);
    await settle();
    expect(calls).toHaveLength(1);
    calls.pop()!.resolve(['job', 'route']);
    await settle();
    expect(cache.labelNames()).toEqual(['job', 'route']);
  });

  it('a failed load keeps nothing broken and is retried after the retry interval', async () => {
    let now = 1_000_000;
    const { backend, calls } = pendingBackend();
    const cache = new PromqlCache(async () => backend, 60_000, 5_000, () => now);
    expect(cache.labelValues('job')).toBeUndefined();
    await settle();
    calls.pop()!.reject(new Error('connection refused'));
    await settle();
    expect(cache.labelValues('job')).toBeUndefined();
    expect(calls).toHaveLength(0);
    now += 6_000;
    cache.labelValues('job');
    await settle();
    calls.pop()!.resolve(['api']);
    await settle();
    expect(cache.labelValues('job')).toEqual(['api']);
  });

  it('bounds what it keeps from a huge or malformed answer', async () => {
    const { backend, calls } = pendingBackend();
    const cache = new PromqlCache(async () => backend);
    cache.labelValues('pod');
    cache.labelNames();
    await settle();
    calls.find((c) => c.args[0] === 'pod')!.resolve(Array.from({ length: PROMQL_CACHE_LIMITS.valuesPerLabel + 100 }, (_, i) => `pod-${i}`));
    calls.find((c) => c.args[0] === undefined)!.resolve({ not: 'a list' });
    await settle();
    expect(cache.labelValues('pod')).toHaveLength(PROMQL_CACHE_LIMITS.valuesPerLabel);
    expect(cache.labelNames()).toEqual([]);
  });
});
