import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../../src/adapters/prometheus/index.js';
import { OpsError } from '../../src/core/errors.js';

/**
 * A range query the console's metrics pane abandons must really end: the connection to a server
 * that never answers is closed, not left to run until the adapter's timeout.
 */

const seen: IncomingMessage[] = [];
const closed: Promise<void>[] = [];
const server = createServer((req) => {
  // Never answers: only the client going away ends this request.
  seen.push(req);
  closed.push(new Promise((r) => req.socket.once('close', () => r())));
});

beforeAll(() => new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r())));
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('aborting a range query closes its connection and rejects as cancelled', async () => {
  const port = (server.address() as AddressInfo).port;
  const adapter = await connect({ url: `http://127.0.0.1:${port}`, timeoutMs: 60_000 }, { dataDir: '/tmp', version: 'test', name: 'prom', type: 'prometheus' });
  const ac = new AbortController();
  const pending = adapter.metrics!.queryRange({ expr: 'up', start: 0, end: 60, step: 15 }, undefined, ac.signal);
  while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
  expect(seen[0]!.url).toContain('/api/v1/query_range');
  ac.abort();
  const err = await pending.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpsError);
  expect((err as OpsError).message).toContain('cancelled');
  // Resolves only when the server sees the socket close.
  await closed[0];
  await adapter.dispose();
});
