import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/prometheus/index.js';
import { COMMANDS } from '../../src/commands/table.js';
import { complete } from '../../src/shell/completion/complete.js';
import { PromqlCache } from '../../src/shell/completion/promql-cache.js';
import type { CompletionData } from '../../src/shell/completion/types.js';
import { loadPromql } from '../../src/shell/promql/load.js';
import { fakeData } from '../unit/completion/fixtures.js';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server.js';

let prom: PrometheusServer;
let data: CompletionData;

beforeAll(async () => {
  prom = await startPrometheus();
  const adapter = await connect({ url: prom.url }, { dataDir: '/nonexistent', version: 'test', name: 'prom' });
  data = { ...fakeData().data, promql: new PromqlCache(async () => adapter.metrics!) };
  await loadPromql();
}, 60_000);
afterAll(async () => {
  await prom?.stop();
});

/** Completes repeatedly (as keystrokes would) until the background loads have filled the cache. */
async function completeWhenLoaded(line: string, ready: (values: string[]) => boolean) {
  for (let i = 0; i < 100; i++) {
    const r = complete(COMMANDS, line, line.length, data, 50);
    if (ready(r.items.map((x) => x.value))) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`completion of ${line} never got its data`);
}

describe('PromQL completion fed by a real Prometheus', () => {
  it('offers the scraped metric names with the type and help from /metadata', async () => {
    const r = await completeWhenLoaded("metrics query 'opsdeck_test_q", (v) => v.includes('opsdeck_test_queue_depth'));
    await completeWhenLoaded("metrics query 'opsdeck_test_r", () => data.promql!.metricInfo('opsdeck_test_requests_total') !== undefined);
    const items = complete(COMMANDS, "metrics query 'opsdeck_test_", 28, data, 50).items;
    expect(items.find((i) => i.value === 'opsdeck_test_requests_total')!.description).toBe('counter · Requests served, by route.');
    expect(items.find((i) => i.value === 'opsdeck_test_queue_depth')!.description).toBe('gauge · Jobs waiting.');
    expect(r.items[0]!.value).toBe('opsdeck_test_queue_depth');
  }, 30_000);

  it('offers label names and values of the metric under the cursor from its series', async () => {
    const labels = await completeWhenLoaded("metrics query 'opsdeck_test_requests_total{", (v) => v.includes('route'));
    expect(labels.items.map((i) => i.value)).toEqual(expect.arrayContaining(['code', 'route', 'job', 'instance']));
    const routes = await completeWhenLoaded("metrics query 'rate(opsdeck_test_requests_total{route=\"", (v) => v.length > 0);
    expect(routes.items.map((i) => i.value)).toEqual(['/api/orders', '/api/pay']);
    const queues = await completeWhenLoaded("metrics query 'opsdeck_test_queue_depth{queue=~\"", (v) => v.length > 0);
    expect(queues.items.map((i) => i.value)).toEqual(['emails']);
  }, 30_000);
});
