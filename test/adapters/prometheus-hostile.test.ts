import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/prometheus/index.js';
import { OpsError } from '../../src/core/errors.js';
import type { MetricsBackend } from '../../src/core/metrics.js';

/**
 * A server that says `status: success` but sends data that is not the API's shape (a proxy, a
 * different service, a broken build). The query is the name of the body to send back.
 */
const BODIES: Record<string, unknown> = {
  no_data: { status: 'success' },
  null_result: { status: 'success', data: { resultType: 'matrix', result: null } },
  null_metric: { status: 'success', data: { resultType: 'matrix', result: [{ metric: null, values: [[1, '1']] }] } },
  values_not_list: { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: 'x' }] } },
  vector_null: { status: 'success', data: { resultType: 'vector', result: null } },
  vector_no_value: { status: 'success', data: { resultType: 'vector', result: [{ metric: {} }] } },
  scalar_junk: { status: 'success', data: { resultType: 'scalar', result: 5 } },
  odd_type: { status: 'success', data: { resultType: 'table', result: [] } },
  // Good ones: native histograms have histogram(s) instead of value(s).
  histograms: { status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'h' }, histograms: [[1, { count: '1', sum: '1' }]] }] } },
  vector_histogram: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, histogram: [1, { count: '1', sum: '1' }] }] } },
  empty: { status: 'success', data: { resultType: 'matrix', result: [] } },
};

const headers: IncomingHttpHeaders[] = [];
const server = createServer((req, res) => {
  headers.push(req.headers);
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(BODIES[query] ?? BODIES.empty));
});
let url: string;
let prom: MetricsBackend;
const ctx = { dataDir: '/tmp', version: 'test', name: 'prom', type: 'prometheus' };

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  prom = (await connect({ url }, ctx)).metrics!;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('query data that is not the Prometheus API shape', () => {
  const bad = ['no_data', 'null_result', 'null_metric', 'values_not_list', 'vector_null', 'vector_no_value', 'scalar_junk', 'odd_type'];
  it.each(bad)('%s is a bad answer (exit 3) naming the server, for instant and range queries', async (name) => {
    for (const call of [() => prom.query(name), () => prom.queryRange({ expr: name, start: 0, end: 60, step: 15 })]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('bad-answer');
      expect((err as OpsError).message).toContain(`${url} answered the query with`);
    }
  });

  it('native histograms and an empty matrix are accepted as they are', async () => {
    expect((await prom.queryRange({ expr: 'histograms', start: 0, end: 60, step: 15 })).data).toEqual((BODIES.histograms as { data: unknown }).data);
    expect((await prom.query('vector_histogram')).data).toEqual((BODIES.vector_histogram as { data: unknown }).data);
    expect((await prom.query('empty')).data).toEqual({ resultType: 'matrix', result: [] });
  });
});

describe('credentials in the URL', () => {
  it('are sent as basic auth and never appear in an error message', async () => {
    const withCreds = (await connect({ url: url.replace('http://', 'http://alice:s%3Acret@') }, ctx)).metrics!;
    headers.length = 0;
    await withCreds.query('empty');
    expect(headers[0]!.authorization).toBe(`Basic ${Buffer.from('alice:s:cret').toString('base64')}`);
    const err = await withCreds.query('null_result').catch((e: unknown) => e);
    expect((err as OpsError).message).toContain(url);
    expect((err as OpsError).message).not.toMatch(/alice|cret/);

    const down = (await connect({ url: 'http://bob:hunter2@127.0.0.1:1', timeoutMs: 2000 }, ctx)).metrics!;
    const unreachable = await down.query('up').catch((e: unknown) => e);
    expect((unreachable as OpsError).kind).toBe('unreachable');
    expect((unreachable as OpsError).message).toContain('127.0.0.1:1');
    expect((unreachable as OpsError).message).not.toMatch(/bob|hunter2/);
  });
});
