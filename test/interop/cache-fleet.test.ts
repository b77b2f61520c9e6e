import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheDetail, CacheFleet } from '../../src/core/cache-fleet.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { httpStatus } from '../servers/detached.js';
import { startJavaApp, type JavaApp } from '../servers/java-app.js';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server.js';
import { buildJarLocked } from '../servers/shared-server.js';
import { writeProfiles } from './support.js';

/**
 * The fleet cache view against the real thing: a Spring Boot 3.5.7 application with two Caffeine
 * caches and Micrometer's Prometheus registry (test/interop/spring-caffeine/), scraped every second
 * by a real Prometheus. The test drives a known number of hits and misses through the app's HTTP
 * endpoint, waits until Prometheus has scraped them, and checks what `cache list` and `cache show`
 * print through the built binary. One JVM for the whole file: JVM starts are what costs here.
 */

const MODULE = resolve(__dirname, 'spring-caffeine');
const JAR = join(MODULE, 'target', 'spring-caffeine-interop.jar');

let app: JavaApp;
let prom: PrometheusServer;
const box = sandbox();

async function get(path: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${app.port}${path}`);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
  return r.text();
}

/** The newest stored value of each series the query matches, as `result` label → value. */
async function promValues(expr: string): Promise<Map<string, number>> {
  const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return new Map(body.data.result.map((s) => [s.metric.result ?? s.metric.__name__ ?? '', Number(s.value[1])]));
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  await buildJarLocked(MODULE, JAR, 'spring-caffeine');
  app = await startJavaApp({
    label: 'spring-caffeine',
    jar: JAR,
    args: (port) => [`--server.port=${port}`, '--spring.jmx.enabled=false'],
    ready: async (port) => (await httpStatus(`http://127.0.0.1:${port}/actuator/health`)) === 200,
  });
  prom = await startPrometheus({ jobs: [{ job: 'caffeine-app', targets: [`127.0.0.1:${app.port}`], path: '/actuator/prometheus' }] });
  // Both counters of "books" scraped at zero before any traffic: the window's increase then counts
  // every lookup the test makes, and hits and misses share their sample times.
  await waitFor('two scrapes of the app at zero', async () => {
    const n = await promValues('count_over_time(cache_gets_total{cache="books"}[1m])');
    return n.size === 2 && [...n.values()].every((v) => v >= 2);
  });
  writeProfiles(box.env, {
    app: {
      metrics: { type: 'prometheus', url: prom.url },
      caches: { sources: [{ kind: 'micrometer', bounds: { books: 1000, tiny: 10 } }] },
    },
  });
}, 300_000);

afterAll(async () => {
  await prom?.stop();
  await app?.stop();
  box.cleanup();
});

describe('cache list against Spring Boot, Caffeine, Micrometer and Prometheus', () => {
  it('shows the hit ratio the test drove, within 0.02, and the tiny cache evicting at its bound', async () => {
    // books: 30 distinct keys (30 misses), then 70 lookups of keys it holds (70 hits): 0.7.
    let hits = 0;
    let misses = 0;
    for (let i = 0; i < 30; i++) (await get(`/lookup/books/k${i}`)) === 'miss' ? misses++ : hits++;
    for (let i = 0; i < 70; i++) (await get(`/lookup/books/k${i % 30}`)) === 'hit' ? hits++ : misses++;
    // tiny (maximumSize 10): 40 distinct keys, so 30 are evicted.
    for (let i = 0; i < 40; i++) await get(`/lookup/tiny/t${i}`);
    expect([hits, misses]).toEqual([70, 30]);
    await waitFor('Prometheus to scrape the lookups', async () => {
      const books = await promValues('cache_gets_total{cache="books"}');
      const tiny = await promValues('cache_evictions_total{cache="tiny"}');
      return books.get('hit') === 70 && books.get('miss') === 30 && [...tiny.values()][0] === 30;
    });

    const r = opsdeck(box.env, ['--profile', 'app', 'cache', 'list', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const fleet = r.json<CacheFleet>();
    expect(fleet.complete).toBe(true);
    expect(fleet.window).toBe('5m');
    const books = fleet.caches.find((c) => c.cache === 'books')!;
    expect(books).toMatchObject({ kind: 'micrometer', instance: `127.0.0.1:${app.port}`, labels: { cache_manager: 'cacheManager', job: 'caffeine-app' }, size: 30, bound: 1000 });
    expect(Math.abs(books.hitRatio! - 0.7)).toBeLessThanOrEqual(0.02);
    expect(books.requestsPerSec).toBeGreaterThan(0);
    expect(books.evictionsPerSec).toBe(0);
    expect(books.flags).toEqual([]);

    const tiny = fleet.caches.find((c) => c.cache === 'tiny')!;
    expect(tiny.hitRatio).toBe(0);
    expect([tiny.size, tiny.bound, tiny.fill]).toEqual([10, 10, 1]);
    expect(tiny.evictionsPerSec).toBeGreaterThan(0);
    expect(tiny.flags.map((f) => f.kind)).toEqual(['evicting-at-bound']);

    // The text a person reads: the same rows, and the flag with its figures under the table.
    const text = opsdeck(box.env, ['--profile', 'app', 'cache', 'list', '-o', 'table']);
    expect(text.code, text.stderr).toBe(0);
    const line = text.stdout.split('\n').find((l) => l.startsWith('books'))!;
    expect(line).toMatch(/\b(69|70|71)\.\d%/);
    expect(line).toContain('30 / 1,000 (3%)');
    expect(text.stdout).toMatch(/⚑ tiny @ 127\.0\.0\.1:\d+: evicting [\d.]+\/s, [\d.]+ per lookup, at 100\.0% of its bound/);

    // cache show: the same cache's row and its history, whose latest ratio is the same figure.
    // The chart's steps are aligned down to the step, so the lookups show in the history once a
    // step boundary after their scrape has passed: ask again until then (a minute at most).
    let d: CacheDetail | undefined;
    let ratios: number[] = [];
    await waitFor('cache show to chart the lookups', async () => {
      const show = opsdeck(box.env, ['--profile', 'app', 'cache', 'show', 'books', '--range', '10m', '-o', 'json']);
      expect(show.code, show.stderr).toBe(0);
      d = show.json<CacheDetail>();
      ratios = (d.history[0]?.hitRatio ?? []).map(([, v]) => v).filter((v): v is number => v !== null);
      return ratios.length > 0;
    });
    expect(d!.caches.map((c) => c.cache)).toEqual(['books']);
    expect(d!.history).toHaveLength(1);
    expect(Math.abs(ratios.at(-1)! - 0.7)).toBeLessThanOrEqual(0.02);
  }, 180_000);

  it('names a cache that is not there, and a Prometheus that is down with exit 3', () => {
    const none = opsdeck(box.env, ['--profile', 'app', 'cache', 'show', 'nosuchcache']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no cache named nosuchcache');
    writeProfiles(box.env, { down: { metrics: { type: 'prometheus', url: 'http://127.0.0.1:9' } } });
    const down = opsdeck(box.env, ['--profile', 'down', 'cache', 'list']);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('Prometheus at http://127.0.0.1:9 is unreachable');
  });
});
