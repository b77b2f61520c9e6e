import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/adapters/prometheus/index.js';
import type { MetricsBackend } from '../../../src/core/metrics.js';
import { MetricsDb } from '../../../src/engine/metrics/durable-metrics.js';
import { importDump } from '../../../src/engine/metrics/import-dump.js';
import { apiToken, serveMetricsApi } from '../../../src/engine/metrics/metrics-http.js';

/**
 * The embedded store served over Prometheus' HTTP API, read by opsdeck's own Prometheus adapter
 * (what Grafana or curl would do) and by raw HTTP requests.
 */
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-metrics-http-'));
const T0 = 1_700_000_000; // seconds
let server: Server;
let url = '';
let token = '';
let prom: MetricsBackend;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const db = new MetricsDb(dir);
  const lines = ['# TYPE req counter', '# HELP req Requests served.'];
  for (let i = 0; i <= 20; i++) {
    lines.push(`req_total{job="api",code="200"} ${i * 30} ${T0 + i * 15}`);
    lines.push(`req_total{job="api",code="500"} ${i} ${T0 + i * 15}`);
    lines.push(`up{job="api",instance="a:1"} 1 ${T0 + i * 15}`);
  }
  lines.push('# EOF');
  await importDump(db, lines.join('\n'), 'fixture');
  token = apiToken(dir, {});
  ({ server, url } = await serveMetricsApi(db, { host: '127.0.0.1', port: 0, token, targets: () => [], version: 'test' }));
  const adapter = await connect({ url, bearerToken: token }, { dataDir: dir, version: 'test', name: 'embedded-api', type: 'prometheus' });
  prom = adapter.metrics!;
  dispose = () => adapter.dispose();
});

afterAll(async () => {
  await dispose();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedded metrics HTTP API', () => {
  it('binds loopback and keeps its token in a 0600 file that the next call reads back', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(join(dir, 'metrics', 'http-token')).mode & 0o777).toBe(0o600);
    expect(apiToken(dir, {})).toBe(token);
    expect(apiToken(dir, { OPSDECK_METRICS_TOKEN: 'from-env' })).toBe('from-env');
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    const none = await fetch(`${url}/api/v1/labels`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ status: 'error', errorType: 'unauthorized' });
    const wrong = await fetch(`${url}/api/v1/labels`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('answers raw HTTP like Prometheus: GET and form POST, errors as bad_data', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const q = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('sum by (code) (rate(req_total[1m]))')}&time=${T0 + 300}`, { headers: auth });
    const body = (await q.json()) as { status: string; data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('vector');
    expect(Object.fromEntries(body.data.result.map((r) => [r.metric.code, Number(r.value[1])]))).toEqual({ '200': 2, '500': 1 / 15 });
    const post = await fetch(`${url}/api/v1/query_range`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: `query=up&start=${T0}&end=${T0 + 60}&step=15s` });
    const range = (await post.json()) as { data: { resultType: string; result: Array<{ values: unknown[] }> } };
    expect(range.data.resultType).toBe('matrix');
    expect(range.data.result[0]!.values).toHaveLength(5);
    const bad = await fetch(`${url}/api/v1/query?query=sum(`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
    const values = await fetch(`${url}/api/v1/label/code/values`, { headers: auth });
    expect(((await values.json()) as { data: string[] }).data).toEqual(['200', '500']);
    expect((await fetch(`${url}/api/v1/nothing`, { headers: auth })).status).toBe(404);
  });

  it('is read by opsdeck\'s own Prometheus adapter: query, range, labels, series, metadata', async () => {
    const q = await prom.query('req_total{code="500"}', T0 + 300);
    expect(q.data).toEqual({ resultType: 'vector', result: [{ metric: { __name__: 'req_total', job: 'api', code: '500' }, value: [T0 + 300, '20'] }] });
    const r = await prom.queryRange({ expr: 'sum(req_total)', start: T0, end: T0 + 30, step: 15 });
    expect(r.data).toEqual({ resultType: 'matrix', result: [{ metric: {}, values: [[T0, '0'], [T0 + 15, '31'], [T0 + 30, '62']] }] });
    expect((await prom.labels()).data).toEqual(['__name__', 'code', 'instance', 'job']);
    expect((await prom.labels('job')).data).toEqual(['api']);
    expect((await prom.series(['req_total{code=~"5.."}', 'up'])).data).toEqual([
      { __name__: 'req_total', job: 'api', code: '500' },
      { __name__: 'up', job: 'api', instance: 'a:1' },
    ]);
    expect((await prom.metadata('req')).data).toEqual({ req: [{ type: 'counter', help: 'Requests served.', unit: '' }] });
    await expect(prom.query('rate(req_total[1m]')).rejects.toThrow(/the server rejected the query/);
  });
});
