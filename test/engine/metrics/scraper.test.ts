import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryTarget } from '../../../src/core/metrics-targets.js';
import { isStaleNaN } from '../../../src/core/series-source.js';
import { MetricsDb } from '../../../src/engine/metrics/durable-metrics.js';
import { Scraper } from '../../../src/engine/metrics/scraper.js';

/** A real HTTP target whose page the test changes between scrapes. */
let page = '';
let status = 200;
let contentType = 'text/plain; version=0.0.4';
let server: Server;
let base = '';
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-scrape-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(status, { 'content-type': contentType }).end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function valuesOf(db: MetricsDb, name: string, extra: Record<string, string> = {}): number[][] {
  const matchers = [{ name: '__name__', type: '=' as const, value: name }, ...Object.entries(extra).map(([k, v]) => ({ name: k, type: '=' as const, value: v }))];
  return [...db.mem.select(matchers, 0, Infinity)].map((s) => [...s.v]);
}

describe('Scraper against a local HTTP target', () => {
  it('writes samples with target labels, up and the scrape report, and staleness markers', async () => {
    let now = 1_700_000_000_000;
    const db = new MetricsDb(join(dir, 'a'));
    const scraper = new Scraper(db, { now: () => now });
    scraper.setTargets([{ url: `${base}/metrics`, labels: { job: 'app', instance: 'h:1' }, origin: 'profile' }]);
    scraper.stop(); // the test drives the scrapes

    page = '# TYPE req_total counter\nreq_total{code="200",job="theirs"} 5\nreq_total{code="500"} 1\n# TYPE lat histogram\nlat_bucket{le="0.1"} 3\nlat_bucket{le="+Inf"} 4\nlat_sum 0.5\nlat_count 4\n';
    await scraper.scrapeAll();
    const ok = [...db.mem.select([{ name: '__name__', type: '=', value: 'req_total' }], 0, Infinity)].map((s) => s.labels);
    expect(ok).toContainEqual({ __name__: 'req_total', code: '200', job: 'app', exported_job: 'theirs', instance: 'h:1' });
    expect(valuesOf(db, 'up')).toEqual([[1]]);
    expect(valuesOf(db, 'scrape_samples_scraped')).toEqual([[6]]);
    expect(valuesOf(db, 'scrape_series_added')[0]![0]).toBe(6);
    expect(db.mem.metadata.get('lat')?.type).toBe('histogram');
    expect(scraper.health()[0]).toMatchObject({ health: 'up', lastError: '' });

    // The 500s disappear: their series gets a staleness marker at the next scrape.
    now += 15_000;
    page = 'req_total{code="200",job="theirs"} 7\n';
    await scraper.scrapeAll();
    const gone = valuesOf(db, 'req_total', { code: '500' })[0]!;
    expect(gone[0]).toBe(1);
    expect(isStaleNaN(gone[1]!)).toBe(true);
    expect(valuesOf(db, 'req_total', { code: '200' })[0]).toEqual([5, 7]);

    // The target fails: up is 0, and what it exposed goes stale.
    now += 15_000;
    status = 503;
    await scraper.scrapeAll();
    expect(valuesOf(db, 'up')).toEqual([[1, 1, 0]]);
    expect(isStaleNaN(valuesOf(db, 'req_total', { code: '200' })[0]![2]!)).toBe(true);
    expect(scraper.health()[0]).toMatchObject({ health: 'down', lastError: 'server returned HTTP status 503 Service Unavailable' });

    // Back up with a body that does not parse: still down, with the parser's line number.
    now += 15_000;
    status = 200;
    page = 'ok 1\nbroken{a="1" 2\n';
    await scraper.scrapeAll();
    expect(scraper.health()[0]!.lastError).toBe('line 2: expected "," or "}" after the value of label a');
    expect(valuesOf(db, 'up')[0]!.at(-1)).toBe(0);

    // Removed from the list: its up series goes stale too.
    now += 15_000;
    scraper.setTargets([]);
    expect(isStaleNaN(valuesOf(db, 'up')[0]!.at(-1)!)).toBe(true);
  });

  it('reads OpenMetrics by content type, and a refused connection is a down target', async () => {
    const db = new MetricsDb(join(dir, 'b'));
    const scraper = new Scraper(db);
    contentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
    page = '# TYPE x gauge\n# UNIT x bytes\nx 42\n# EOF\n';
    scraper.setTargets([
      { url: `${base}/metrics`, labels: { job: 'om', instance: 'a' }, origin: 'profile' },
      { url: 'http://127.0.0.1:1/metrics', labels: { job: 'dead', instance: 'b' }, origin: 'profile' },
    ]);
    scraper.stop();
    await scraper.scrapeAll();
    expect(valuesOf(db, 'x')).toEqual([[42]]);
    expect(db.mem.metadata.get('x')?.unit).toBe('bytes');
    expect(valuesOf(db, 'up', { job: 'dead' })).toEqual([[0]]);
    expect(scraper.health().find((h) => h.labels.job === 'dead')!.lastError).toMatch(/ECONNREFUSED/);
    contentType = 'text/plain; version=0.0.4';
  });
});

describe('registry targets', () => {
  const inst = (metadata: Record<string, string>) => ({ ip: '10.0.0.5', port: 8080, metadata });
  it('come from metrics.* or prometheus.io/* metadata, labelled with the registry address', () => {
    expect(registryTarget('orders', inst({}))).toBeNull();
    expect(registryTarget('orders', inst({ 'metrics.port': '9100' }))).toEqual({ url: 'http://10.0.0.5:9100/metrics', labels: { job: 'orders', service: 'orders', instance: '10.0.0.5:8080' }, origin: 'registry' });
    expect(registryTarget('orders', inst({ 'prometheus.io/scrape': 'true' }))!.url).toBe('http://10.0.0.5:8080/metrics');
    expect(registryTarget('orders', inst({ 'prometheus.io/path': 'actuator/prometheus', 'prometheus.io/scheme': 'https' }))!.url).toBe('https://10.0.0.5:8080/actuator/prometheus');
    expect(registryTarget('orders', inst({ 'metrics.host': '127.0.0.1', 'metrics.port': '7000', 'metrics.path': '/x' }))!.url).toBe('http://127.0.0.1:7000/x');
    expect(registryTarget('orders', inst({ 'metrics.port': '9100', 'prometheus.io/scrape': 'false' }))).toBeNull();
    expect(registryTarget('orders', inst({ 'metrics.port': 'ninety' }))).toBeNull();
  });
});
