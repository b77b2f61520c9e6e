import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';
import { writeProfiles } from '../interop/support.js';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server.js';
import { startRedis, type RedisServer } from '../servers/redis-server.js';

/**
 * The caches pane in a real terminal: a real Prometheus scraping Micrometer-named cache counters
 * (a small exporter this test runs, standing in for a Java service, whose counters grow 8 hits and
 * 2 misses per scrape) and a real noeviction redis-server filled until it refuses writes. Pane 6
 * shows both rows, the Redis one flagged; Enter on the Micrometer row draws its charts.
 */
const ctx = useConsoleSandbox(140, 40);
let prom: PrometheusServer;
let redis: RedisServer;
let exporter: ChildProcess;

const EXPORTER = `
const http = require('node:http');
let scrapes = 0;
const server = http.createServer((req, res) => {
  scrapes++;
  const l = (r) => '{cache="orders",cache_manager="cacheManager"' + (r ? ',result="' + r + '"' : '') + '}';
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end([
    '# TYPE cache_gets_total counter',
    'cache_gets_total' + l('hit') + ' ' + scrapes * 8,
    'cache_gets_total' + l('miss') + ' ' + scrapes * 2,
    '# TYPE cache_evictions_total counter',
    'cache_evictions_total' + l() + ' 0',
    '# TYPE cache_size gauge',
    'cache_size' + l() + ' 420',
    '',
  ].join('\\n'));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

beforeAll(async () => {
  exporter = spawn(process.execPath, ['-e', EXPORTER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => exporter.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
  [prom, redis] = await Promise.all([startPrometheus({ jobs: [{ job: 'orders-svc', targets: [`127.0.0.1:${port}`] }] }), startRedis(['--maxmemory', '1048576', '--maxmemory-policy', 'noeviction'])]);
  const client = new Redis(redis.url);
  for (let i = 0; i < 10_000; i++) {
    const failed = await client.set(`job:${i}`, 'z'.repeat(4096)).then(() => false, () => true);
    if (failed) break;
  }
  client.disconnect();
  // The charts' range query steps by 15 s over the hour, its end aligned down to the step: the
  // series must be older than two steps for its last points to hold a rate.
  const until = Date.now() + 90_000;
  for (;;) {
    const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('count_over_time(cache_size{cache="orders"}[5m])')}`);
    const n = Number(((await r.json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1] ?? 0);
    if (n >= 40 || Date.now() > until) break;
    await new Promise((res) => setTimeout(res, 1000));
  }
}, 180_000);

afterAll(async () => {
  exporter?.kill('SIGTERM');
  await Promise.all([prom?.stop(), redis?.stop()]);
});

describe('the caches pane', () => {
  it('lists the fleet with the Redis flagged, and Enter draws the cache charts', async () => {
    const { box, term } = ctx;
    writeProfiles(box.env, { fleet: { metrics: { type: 'prometheus', url: prom.url }, cache: { type: 'redis', name: 'jobs', url: redis.url } } });
    startConsoleIn(term, { ...box.env, OPSDECK_PROFILE: 'fleet' });
    await term.waitFor(/^fleet›/m);
    term.keys('M-6');
    const pane = await term.waitFor(/orders\s+micrometer\s+127\.0\.0\.1:\d+\s+80\.0%/, 60_000);
    expect(pane).toMatch(/ 6 caches /);
    expect(pane).toMatch(/CACHE\s+KIND\s+INSTANCE\s+HIT%\s+BEFORE\s+REQ\/S\s+EVICT\/S\s+SIZE\/BOUND\s+PEERS\s+FLAGS/);
    expect(pane).toMatch(/orders\s+micrometer\s+127\.0\.0\.1:\d+\s+80\.0%\s+-\s+[\d.]+\s+0\s+420\s+-\s+-/);
    expect(pane).toMatch(/jobs\s+redis\s+127\.0\.0\.1:\d+\s.*\(\d+%\)\s+-\s+noeviction-near-full/);
    // The flag's sentence is above the rows.
    expect(pane).toMatch(/jobs @ 127\.0\.0\.1:\d+: maxmemory-policy noeviction at \d+\.\d% of maxmemory/);

    // Enter on the orders row: its charts over the last hour.
    term.keys('Escape');
    await term.waitFor(/\(pane focus\)/);
    const at = term.screen().split('\n').findIndex((l) => /^\s*▶?\s*jobs\s+redis/.test(l));
    const ordersFirst = term.screen().split('\n').findIndex((l) => /orders\s+micrometer/.test(l)) < at;
    if (!ordersFirst) term.type('j');
    term.keys('Enter');
    const charts = await term.waitFor(/hit ratio %/, 60_000);
    expect(charts).toMatch(/cache orders @ 127\.0\.0\.1:\d+ — last hour/);
    expect(charts).toMatch(/kind micrometer · source prometheus · cache_manager=cacheManager job=orders-svc/);
    expect(charts).toMatch(/[⠀-⣿]/);
    term.keys('Escape');
    await term.waitFor((s) => !/— last hour/.test(s));
    term.type(':');
    term.keys('C-d');
    await term.waitFor(/EXITED:0/);
  }, 240_000);
});
