import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeckAsync, sandbox, type RunResult } from '../helpers/cli.js';
import { startHostile, type Hostile, type HostileServer } from '../servers/hostile-http.js';

/**
 * The built binary against HTTP backends that misbehave (probes 2 and 12): Prometheus, etcd and the
 * Seata console all reach their servers through the adapter kit, so each must end every bad
 * exchange with exit 3 and one stderr line naming the server, whatever the server does: trickle a
 * body, announce a huge one, answer HTML, or answer JSON of the wrong shape. Before the kit a
 * trickled body kept these commands running for minutes (this file's tests then time out), an
 * over-size answer exited 1, and wrong shapes crashed (exit 4), printed `undefined` or `[]`.
 */

let server: HostileServer;
let box: ReturnType<typeof sandbox>;
/** The answer for each request, chosen by path. */
let route: (path: string) => Hostile;
const run = (profile: string, ...args: string[]): Promise<RunResult> => opsdeckAsync(box.env, ['--profile', profile, '-o', 'json', ...args]);
const json = (body: unknown): Hostile => ({ kind: 'body', body: JSON.stringify(body) });

/** Exit 3 and exactly one line on stderr, starting with the server's name and URL. */
function expectExit3(r: RunResult, name: string): void {
  expect(r.code, r.stderr).toBe(3);
  expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(r.stderr).toMatch(new RegExp(`^opsdeck: ${name} at ${server.url.replace(/\./g, '\\.')}`));
}

beforeAll(async () => {
  server = await startHostile((req) => route(req.url));
  box = sandbox();
  mkdirSync(join(box.dir, 'config', 'opsdeck'), { recursive: true });
  writeFileSync(
    join(box.dir, 'config', 'opsdeck', 'config.yaml'),
    [
      'profiles:',
      `  prom: {metrics: {type: prometheus, url: "${server.url}", timeoutMs: 1500, maxResponseBytes: 1048576}}`,
      `  etcd: {locks: [{type: etcd, url: "${server.url}", timeoutMs: 1500, name: e}]}`,
      `  seata: {tx: {type: seata-console, url: "${server.url}", username: u, password: p, timeoutMs: 1500, maxResponseBytes: 1048576}}`,
    ].join('\n') + '\n',
  );
});
afterAll(async () => {
  box?.cleanup();
  await server?.stop();
});

describe('one deadline for the whole exchange (probe 2)', () => {
  it('metrics query: headers then one byte at a time ends at timeoutMs, exit 3', async () => {
    route = () => ({ kind: 'trickle', everyMs: 200 });
    const r = await run('prom', 'metrics', 'query', 'up');
    expectExit3(r, 'Prometheus');
    expect(r.stderr).toMatch(/did not finish answering \/api\/v1\/query within 1500 ms \(hint: .*raise timeoutMs in the metrics profile/);
  }, 30_000);

  it('metrics query: 64 KB every 50 ms ends at timeoutMs too', async () => {
    route = () => ({ kind: 'flood', chunkBytes: 65536, everyMs: 50 });
    const r = await opsdeckAsync(box.env, ['--profile', 'prom', 'metrics', 'query', 'up']);
    // A cap of 1 MiB would also stop it; either way it is exit 3 naming the server, never a hang.
    expectExit3(r, 'Prometheus');
  }, 30_000);

  it('locks list on etcd: a trickled body ends at timeoutMs, exit 3', async () => {
    route = () => ({ kind: 'trickle', everyMs: 200 });
    const r = await run('etcd', 'locks', 'list');
    expectExit3(r, 'etcd');
    expect(r.stderr).toMatch(/did not finish answering \/v3\/kv\/range within 1500 ms/);
  }, 30_000);

  it('tx list on the Seata console: a trickled page ends at timeoutMs, exit 3', async () => {
    route = (path) => (path.startsWith('/api/v1/auth/login') ? json({ code: '200', message: 'success', data: 'Bearer a.b.c' }) : { kind: 'trickle', everyMs: 200 });
    const r = await run('seata', 'tx', 'list');
    expectExit3(r, 'Seata console');
    expect(r.stderr).toMatch(/did not finish answering \/api\/v1\/console\/globalSession\/query within 1500 ms/);
  }, 30_000);
});

describe('the size cap (probe 2)', () => {
  it('a Content-Length over maxResponseBytes is refused before the body, exit 3 naming the server', async () => {
    route = () => ({ kind: 'announce', contentLength: 5_000_000_000 });
    const r = await run('prom', 'metrics', 'query', 'up');
    expectExit3(r, 'Prometheus');
    expect(r.stderr).toMatch(/would send 5000000000 bytes for one answer, more than the 1 MiB allowed \(hint: narrow the query, or raise maxResponseBytes/);
  }, 30_000);

  it('a streamed answer over the cap is cut, exit 3 (was exit 1)', async () => {
    route = () => ({ kind: 'flood', chunkBytes: 65536, everyMs: 2 });
    const r = await run('etcd', 'locks', 'list');
    expectExit3(r, 'etcd');
    expect(r.stderr).toMatch(/sent more than 16 MiB for one answer/);
  }, 30_000);
});

describe('answers that are not the API (probes 2 and 12)', () => {
  it('an HTML page: exit 3 with its first bytes, escaped and redacted', async () => {
    route = () => ({ kind: 'body', status: 502, contentType: 'text/html', body: '<html>\x1b[2J Bad Gateway token=s3cr3t</html>' });
    const r = await run('prom', 'metrics', 'query', 'up');
    expectExit3(r, 'Prometheus');
    expect(r.stderr).toContain('answered HTTP 502 with a body that is not the Prometheus API: <html>\\x1b[2J Bad Gateway token=***</html> (hint:');
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).not.toContain('s3cr3t');
  }, 30_000);

  it('a Prometheus body of null: exit 3, not an internal error', async () => {
    route = () => ({ kind: 'body', body: 'null' });
    const r = await run('prom', 'metrics', 'query', 'up');
    expectExit3(r, 'Prometheus');
    expect(r.stderr).toMatch(/sent an answer of the wrong shape: the answer is null, expected an object/);
  }, 30_000);

  it('metrics targets without data: exit 3, not `undefined` with exit 0', async () => {
    route = () => json({ status: 'success' });
    const r = await run('prom', 'metrics', 'targets');
    expectExit3(r, 'Prometheus');
    expect(r.stderr).toMatch(/\(\/api\/v1\/targets\) sent an answer of the wrong shape: data is missing, expected an object/);
    expect(r.stdout).toBe('');
  }, 30_000);

  it('metrics labels with data null: exit 3, not `null`', async () => {
    route = () => json({ status: 'success', data: null });
    const r = await run('prom', 'metrics', 'labels');
    expectExit3(r, 'Prometheus');
    expect(r.stderr).toMatch(/data is null, expected a list/);
    expect(r.stdout).toBe('');
  }, 30_000);

  it('metrics labels with a number among the names: exit 3 naming the item', async () => {
    route = () => json({ status: 'success', data: ['job', 7] });
    const r = await run('prom', 'metrics', 'labels');
    expectExit3(r, 'Prometheus');
    expect(r.stderr).toMatch(/data\[1\] is the number 7, expected a string/);
  }, 30_000);

  it('an etcd lease grant without ID: exit 3, not "Cannot convert undefined to a BigInt"', async () => {
    route = (path) => (path === '/v3/lease/grant' ? json({ header: { revision: '5' }, TTL: '10' }) : json({ header: { revision: '5' } }));
    const r = await run('etcd', 'locks', 'acquire', 'deploy/x', '--ttl', '10s', '--owner', 'alice');
    expectExit3(r, 'etcd');
    expect(r.stderr).toMatch(/\(\/v3\/lease\/grant\) sent an answer of the wrong shape: ID is missing, expected a whole number/);
  }, 30_000);

  it('an etcd range answer of "str": exit 3, not an empty listing', async () => {
    route = () => json('str');
    const r = await run('etcd', 'locks', 'list');
    expectExit3(r, 'etcd');
    expect(r.stderr).toMatch(/\(\/v3\/kv\/range\) sent an answer of the wrong shape: the answer is the string "str", expected an object/);
    expect(r.stdout).toBe('');
  }, 30_000);

  it('an etcd key that is not a string: exit 3 naming the path', async () => {
    route = () => json({ header: { revision: '5' }, kvs: [{ key: 5 }] });
    const r = await run('etcd', 'locks', 'list');
    expectExit3(r, 'etcd');
    expect(r.stderr).toMatch(/kvs\[0\]\.key is the number 5, expected a string/);
  }, 30_000);
});
