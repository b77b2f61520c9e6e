import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/redis/index.js';
import { OpsError } from '../../src/core/errors.js';
import { opsdeckAsync, sandbox } from '../helpers/cli.js';
import { freePort } from '../servers/redis-server.js';

/**
 * Redis URLs that reach something that is not a sane Redis (probes 5 and 12): a fake server that
 * answers every command with `*99999999999\r\n` (an array of 10^11 items, which made ioredis' parser
 * throw inside a socket listener and crash the process with 54 KB of minified source), an HTTP
 * server, and the local PostgreSQL and MariaDB ports. Every command must exit 3 with one line
 * naming the server. The fake is legitimate: no real Redis sends that reply on demand.
 */

let absurd: Server;
const absurdSockets = new Set<Socket>();
let http: HttpServer;
let box: ReturnType<typeof sandbox>;
const urls: Record<string, string> = {};

const listen = async (s: Server | HttpServer) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `redis://127.0.0.1:${(s.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  absurd = createServer((s) => {
    absurdSockets.add(s);
    s.on('error', () => undefined);
    s.on('data', () => s.write('*99999999999\r\n'));
  });
  http = createHttpServer((_req, res) => res.writeHead(404).end('not found'));
  urls.absurd = await listen(absurd);
  urls.http = await listen(http);
  urls.postgres = 'redis://127.0.0.1:5432';
  urls.mysql = 'redis://127.0.0.1:3306';
  box = sandbox();
  mkdirSync(join(box.dir, 'config', 'opsdeck'), { recursive: true });
  writeFileSync(
    join(box.dir, 'config', 'opsdeck', 'config.yaml'),
    ['profiles:', ...Object.entries(urls).map(([name, url]) => `  ${name}: {cache: {type: redis, url: "${url}"}, locks: [{type: redis, name: r, url: "${url}"}]}`)].join('\n') + '\n',
  );
});
afterAll(async () => {
  box?.cleanup();
  for (const s of absurdSockets) s.destroy();
  await new Promise((r) => absurd?.close(r));
  http?.closeAllConnections();
  await new Promise((r) => http?.close(r));
});

const COMMANDS = [['cache', 'stats'], ['locks', 'list'], ['locks', 'show', 'deploy/x'], ['locks', 'acquire', 'deploy/x', '--ttl', '10s', '--owner', 'alice']];

describe('a reply the parser cannot hold (probe 5)', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c]))('%s exits 3 with one line naming the server', async (_name, args) => {
    const r = await opsdeckAsync(box.env, ['--profile', 'absurd', ...(args as string[])]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toBe(`opsdeck: redis ${urls.absurd} answered with a reply that is not the Redis protocol (Invalid array length) (hint: check that the url points at a Redis server (host and port))\n`);
  }, 30_000);

  it('status reports both backends as down, exit 3, nothing on stderr', async () => {
    const r = await opsdeckAsync(box.env, ['--profile', 'absurd', 'status', '-o', 'json']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toBe('');
    const rows = r.json<Array<{ reachable: boolean; error: string }>>();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ reachable: false, error: expect.stringContaining('not the Redis protocol') });
  }, 30_000);

  it('in process: the adapter rejects with a bad-answer error and the process lives on', async () => {
    const err = await connect({ url: urls.absurd }, { dataDir: '/tmp', version: 'test', name: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('bad-answer');
  });
});

describe('a Redis URL that points at another service (probe 12)', () => {
  it.each(['http', 'postgres', 'mysql'])('%s: every command exits 3 with one line naming the server', async (name) => {
    for (const args of COMMANDS) {
      const r = await opsdeckAsync(box.env, ['--profile', name, ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`^opsdeck: redis ${urls[name]!.replace(/\./g, '\\.')} (is unreachable|answered with a reply that is not the Redis protocol)[^\\n]*\\n$`));
    }
  }, 60_000);
});

describe('an unreachable Redis leaves nothing behind (probe 12)', () => {
  it('a failed connect leaves no timer or socket that would keep a one-shot run alive', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const before = process.getActiveResourcesInfo();
    const err = await connect({ url }, { dataDir: '/tmp', version: 'test', name: 'r' }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('unreachable');
    // Let closes and cancelled timers settle, then compare what keeps the event loop alive.
    await new Promise((r) => setImmediate(r));
    const count = (list: string[]) => list.filter((x) => x === 'Timeout' || x === 'TCPSocketWrap').length;
    expect(count(process.getActiveResourcesInfo())).toBe(count(before));
  });
});
