import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { LoadPlan, LoadProgress } from '../../src/loadgen/load-types.js';
import { runLoad } from '../../src/loadgen/run-load.js';
import { freePort } from '../servers/redis-server.js';
import { listen } from './local-servers.js';

const plan = (urls: string[], over: Partial<LoadPlan> = {}): LoadPlan => ({
  targets: urls.map((url, i) => ({ url, label: `t${i}` })),
  method: 'GET',
  headers: {},
  connections: 4,
  workers: 2,
  timeoutMs: 5000,
  keepAlive: true,
  ...over,
});

describe('runLoad against real local servers', () => {
  it('sends exactly the requests asked for and counts every answer, over workers and keep-alive connections', async () => {
    let seen = 0;
    const sockets = new Set<Socket>();
    const server = createHttpServer((req, res) => {
      seen++;
      sockets.add(req.socket);
      // Chunked (no Content-Length) on odd requests, to exercise both framings.
      if (seen % 2) {
        res.write('par');
        res.end('t');
      } else res.end('whole');
    });
    const port = await listen(server);
    const r = await runLoad(plan([`http://127.0.0.1:${port}/x?y=1`], { requests: 777, pipelining: 3 }));
    expect(r.requests).toBe(777);
    expect(seen).toBe(777);
    expect(r.statuses).toEqual({ '200': 777 });
    expect(r.latency.count).toBe(777);
    expect(r.errors).toEqual({ connect: 0, read: 0, write: 0, timeout: 0, other: 0 });
    expect(sockets.size).toBe(4);
    expect(r.interrupted).toBe(false);
    expect(r.bytes).toBeGreaterThan(777 * 20);
    expect(r.latency.percentiles['50']).toBeLessThanOrEqual(r.latency.percentiles['99']!);
    expect(r.plan).toMatchObject({ connections: 4, workers: 2, requests: 777, pipelining: 3 });
  });

  it('gives one row per target, and merges them exactly into the totals', async () => {
    const ok = await listen(createHttpServer((_q, res) => res.end('ok')));
    const busy = await listen(
      createHttpServer((_q, res) => {
        res.statusCode = 503;
        res.end('busy');
      }),
    );
    const r = await runLoad(plan([`http://127.0.0.1:${ok}/`, `http://127.0.0.1:${busy}/`], { requests: 400 }));
    expect(r.perTarget.map((t) => t.label)).toEqual(['t0', 't1']);
    const [a, b] = r.perTarget as [(typeof r.perTarget)[0], (typeof r.perTarget)[0]];
    expect(Object.keys(a.statuses)).toEqual(['200']);
    expect(Object.keys(b.statuses)).toEqual(['503']);
    expect(a.requests).toBeGreaterThan(0);
    expect(b.requests).toBeGreaterThan(0);
    expect(a.requests + b.requests).toBe(400);
    expect(r.statuses).toEqual({ '200': a.requests, '503': b.requests });
    expect(a.latency.count + b.latency.count).toBe(r.latency.count);
    expect(Math.max(a.latency.max, b.latency.max)).toBe(r.latency.max);
  });

  it('opens a connection per request without keep-alive', async () => {
    let connections = 0;
    const server = createHttpServer((_q, res) => res.end('ok'));
    server.on('connection', () => connections++);
    const port = await listen(server);
    const r = await runLoad(plan([`http://127.0.0.1:${port}/`], { requests: 60, keepAlive: false }));
    expect(r.requests).toBe(60);
    expect(r.errors.read + r.errors.connect).toBe(0);
    expect(connections).toBeGreaterThanOrEqual(60);
  });

  it('counts a refused connection as a connect error', async () => {
    const port = await freePort();
    const r = await runLoad(plan([`http://127.0.0.1:${port}/`], { durationMs: 600, timeoutMs: 1000 }));
    expect(r.errors.connect).toBeGreaterThanOrEqual(4);
    expect(r.requests).toBe(0);
    expect(r.errors.read + r.errors.write + r.errors.timeout).toBe(0);
  });

  it('counts a server that closes in the middle of an answer as a read error', async () => {
    const server = createNetServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it');
        setTimeout(() => s.destroy(), 20);
      });
    });
    const port = await listen(server);
    const r = await runLoad(plan([`http://127.0.0.1:${port}/`], { durationMs: 800, connections: 2, workers: 1 }));
    expect(r.errors.read).toBeGreaterThanOrEqual(2);
    expect(r.requests).toBe(0);
    expect(r.errors.connect + r.errors.timeout).toBe(0);
  });

  it('counts a server that never answers as timeouts', async () => {
    const held: Socket[] = [];
    const server = createNetServer((s) => {
      held.push(s);
      s.on('error', () => undefined);
    });
    const port = await listen(server);
    const r = await runLoad(plan([`http://127.0.0.1:${port}/`], { durationMs: 1500, timeoutMs: 300, connections: 2, workers: 1 }));
    held.forEach((s) => s.destroy());
    expect(r.errors.timeout).toBeGreaterThanOrEqual(2);
    expect(r.requests).toBe(0);
    expect(r.errors.connect + r.errors.read).toBe(0);
  });

  it('stops on abort and returns the partial result, marked interrupted', async () => {
    const port = await listen(createHttpServer((_q, res) => res.end('ok')));
    const ac = new AbortController();
    const progress: LoadProgress[] = [];
    const running = runLoad(plan([`http://127.0.0.1:${port}/`], { durationMs: 120_000 }), {
      signal: ac.signal,
      onProgress: (p) => {
        progress.push(p);
        if (progress.length === 3) ac.abort();
      },
    });
    const r = await running;
    expect(r.interrupted).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    // Each report carries the total so far; requestsPerSec is that second's share of it.
    progress.forEach((p, i) => expect(p.requests).toBe(progress.slice(0, i + 1).reduce((n, q) => n + q.requestsPerSec, 0)));
    expect(progress[2]!.requests).toBeGreaterThan(progress[2]!.requestsPerSec);
    expect(r.requests).toBeGreaterThanOrEqual(progress[progress.length - 1]!.requests);
    expect(r.elapsedMs).toBeLessThan(60_000);
    expect(r.latency.count).toBe(r.requests);
  });

  it('refuses a plan it cannot run with a usage error', async () => {
    await expect(runLoad(plan(['ftp://example.com/'], { requests: 1 }))).rejects.toMatchObject({ kind: 'usage' });
    await expect(runLoad(plan(['not a url'], { requests: 1 }))).rejects.toMatchObject({ kind: 'usage' });
    await expect(runLoad(plan(['http://127.0.0.1:1/'], {}))).rejects.toMatchObject({ kind: 'usage' });
    await expect(runLoad(plan(['http://127.0.0.1:1/', 'http://127.0.0.1:2/'], { requests: 1, connections: 1 }))).rejects.toMatchObject({ kind: 'usage' });
    await expect(runLoad(plan(['http://127.0.0.1:1/'], { requests: 1, headers: { 'Bad Header': 'x' } }))).rejects.toMatchObject({ kind: 'usage' });
  });
});
