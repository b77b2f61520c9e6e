import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestBytes } from '../../src/loadgen/request-bytes.js';
import { WorkerLoad } from '../../src/loadgen/worker-load.js';
import type { FromWorker, WorkerPlan } from '../../src/loadgen/worker-messages.js';
import { freePort } from '../servers/redis-server.js';
import { listen } from './local-servers.js';

describe('a load worker', () => {
  it('opens every connection before its clock starts and sends nothing until then', async () => {
    let accepted = 0;
    let requests = 0;
    const server = createServer((_q, res) => {
      requests++;
      res.end('ok');
    });
    server.on('connection', () => accepted++);
    const port = await listen(server);
    const url = new URL(`http://127.0.0.1:${port}/`);
    const plan: WorkerPlan = {
      targets: [{ host: '127.0.0.1', port, tls: false, servername: '127.0.0.1', request: requestBytes(url, 'GET', {}, undefined, true), headRequest: false }],
      connections: Array.from({ length: 6 }, (_, i) => ({ target: 0, phaseMs: i * 5 })),
      pipelining: 1,
      keepAlive: true,
      timeoutMs: 5000,
      durationMs: 300,
      requests: null,
      intervalMs: 30,
      progress: false,
    };
    const messages: FromWorker[] = [];
    const load = new WorkerLoad(plan, (m) => messages.push(m));
    await new Promise<void>((resolve) => load.prepare(resolve));
    // The server learns of a connection in a later turn of the loop than the client does.
    await expect.poll(() => accepted).toBe(6);
    await new Promise((r) => setTimeout(r, 100));
    expect(requests).toBe(0);
    expect(messages).toEqual([]);

    load.start();
    await expect.poll(() => messages.some((m) => m.type === 'done'), { timeout: 3000 }).toBe(true);
    expect(requests).toBeGreaterThan(0);
    // No connection was opened after the clock started, or reopened.
    expect(accepted).toBe(6);
    const done = messages.find((m) => m.type === 'done')!;
    expect(done.type === 'done' && done.targets[0]!.requests).toBe(requests);
  });

  it('is ready when a connect is refused, rather than waiting out the timeout, and counts it once started', async () => {
    const port = await freePort(); // nothing listens there
    const plan: WorkerPlan = {
      targets: [{ host: '127.0.0.1', port, tls: false, servername: '127.0.0.1', request: new Uint8Array(0), headRequest: false }],
      connections: [{ target: 0, phaseMs: 0 }],
      pipelining: 1,
      keepAlive: true,
      // Longer than the test's own timeout: ready must come from the refusal.
      timeoutMs: 60_000,
      durationMs: 200,
      requests: null,
      intervalMs: null,
      progress: false,
    };
    const messages: FromWorker[] = [];
    const load = new WorkerLoad(plan, (m) => messages.push(m));
    await new Promise<void>((resolve) => load.prepare(resolve));
    load.start();
    await expect.poll(() => messages.some((m) => m.type === 'done'), { timeout: 3000 }).toBe(true);
    const done = messages.find((m) => m.type === 'done')!;
    expect(done.type === 'done' && done.targets[0]!.errors.connect).toBeGreaterThan(0);
  });
});
