import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/adapters/index.js';
import { NACOS_OPTIONS } from '../../src/adapters/nacos/options.js';
import { exitCodeOf, OpsError } from '../../src/core/errors.js';
import { loadProfiles } from '../../src/session/load-profiles.js';
import type { NacosEndpoint } from '../servers/nacos-server.js';
import { sharedNacos } from '../servers/nacos-shared.js';
import { startHostile, type HostileServer, type SeenRequest } from '../servers/hostile-http.js';
import { adapterFor, closeAdapters, failure } from './nacos-support.js';

/**
 * The Nacos adapter against servers that misbehave (an HTML page, a wrong shape, a flood, silence,
 * a closed port) and against what no server here can be: a Nacos older than 2.3, which cannot
 * check compare-and-set. The misbehaving server is test/servers/hostile-http.ts, a fake that
 * models hostile answers, not Nacos; everything Nacos really does is tested on real servers in
 * the other nacos-*.test.ts files. Also the profile options.
 */

let hostile: HostileServer;
beforeAll(async () => {
  hostile = await startHostile();
});
afterEach(() => closeAdapters());
afterAll(() => hostile?.stop());

const endpoint = (url: string): NacosEndpoint => ({ version: '2.3.2', url, consoleUrl: url, port: 0, grpcPort: 0, auth: true, username: 'nacos', password: 'S3cret-pw', readySeconds: 0, loginSeconds: 0, buildSeconds: 0, pid: 0, dir: '' });

/** A Nacos 2.x look-alike of the given version: state, login, namespaces; `more` answers the rest. */
function oldNacos(version: string, more: (r: SeenRequest) => ReturnType<HostileServer['answer']> | undefined = () => undefined): HostileServer['answer'] {
  return (r) => {
    const path = r.url.split('?')[0];
    if (path === '/nacos/v3/admin/core/state') return { kind: 'body', status: 404, body: '{"status":404,"error":"Not Found"}' };
    if (path === '/nacos/v1/console/server/state') return { kind: 'body', body: JSON.stringify({ version, auth_enabled: 'true' }) };
    if (path === '/nacos/v1/auth/login') return { kind: 'body', body: '{"accessToken":"eyJ.fake","tokenTtl":18000}' };
    if (path === '/nacos/v1/console/namespaces') return { kind: 'body', body: '{"code":200,"data":[{"namespace":"","namespaceShowName":"public"}]}' };
    return more(r) ?? { kind: 'body', status: 500, body: 'unexpected request' };
  };
}

describe('bad servers: exit 3 naming the server', () => {
  it('an HTML page (a proxy\'s error page) is a bad answer, quoted, naming the server', async () => {
    hostile.answer = () => ({ kind: 'body', status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    const a = await adapterFor(endpoint(`${hostile.url}/nacos`));
    const e = await failure(a.ping());
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['bad-answer', 3]);
    expect(e.message).toBe(`Nacos at ${hostile.url}/nacos answered HTTP 502 with an HTML page: <html><body><h1>502 Bad Gateway</h1></body></html>`);
  });

  it('an answer of the wrong shape names the field', async () => {
    hostile.answer = oldNacos('2.3.2', (r) => (r.url.startsWith('/nacos/v1/ns/catalog/services') ? { kind: 'body', body: '{"count":"many","serviceList":[]}' } : undefined));
    const a = await adapterFor(endpoint(`${hostile.url}/nacos`));
    const e = await failure(a.registry.listServices({ scope: { namespace: 'public' } }));
    expect(e.kind).toBe('bad-answer');
    expect(e.message).toBe(`Nacos at ${hostile.url}/nacos (/v1/ns/catalog/services) sent an answer of the wrong shape: count is the string "many", expected a number`);
  });

  it('an answer over maxResponseBytes is refused; a server that never answers times out', async () => {
    hostile.answer = oldNacos('2.3.2', () => ({ kind: 'flood', chunkBytes: 4096, everyMs: 1 }));
    const a = await adapterFor(endpoint(`${hostile.url}/nacos`), { maxResponseBytes: 65536 });
    const big = await failure(a.registry.listServices({ scope: { namespace: 'public' } }));
    expect([big.kind, big.message]).toEqual(['bad-answer', `Nacos at ${hostile.url}/nacos sent more than 65536 bytes for one answer`]);
    hostile.answer = () => ({ kind: 'silent' });
    const b = await adapterFor(endpoint(`${hostile.url}/nacos`), { timeoutMs: 300 });
    const slow = await failure(b.ping());
    expect([slow.kind, exitCodeOf(slow.kind)]).toEqual(['timeout', 3]);
    expect(slow.message).toContain(`Nacos at ${hostile.url}/nacos did not finish answering`);
  });

  it('a closed port is unreachable, naming the server without the password of its url', async () => {
    const port = await new Promise<number>((res) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => res(p));
      });
    });
    const a = await adapterFor(endpoint(`http://nacos:S3cret-pw@127.0.0.1:${port}/nacos`), { username: undefined, password: undefined });
    const e = await failure(a.ping());
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['unreachable', 3]);
    expect(e.message).toContain(`Nacos at http://127.0.0.1:${port}/nacos is unreachable`);
    expect(`${e.message} ${e.hint}`).not.toContain('S3cret-pw');
  });
});

describe('compare-and-set needs Nacos 2.3', () => {
  it('a 2.2 server gets no publish at all when --if-match is given (it would ignore the check and overwrite)', async () => {
    hostile.answer = oldNacos('2.2.3');
    hostile.seen.length = 0;
    const a = await adapterFor(endpoint(`${hostile.url}/nacos`));
    const e = await failure(a.config.set!({ scope: { namespace: 'public', group: 'G' }, dataId: 'app.yaml' }, 'a: 2', 'yaml', { ifMatch: 'abc' }));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toBe(`Nacos at ${hostile.url}/nacos is Nacos 2.2.3, and compare-and-set (the casMd5 header) needs 2.3.0 or later: nothing was published`);
    expect(hostile.seen.filter((r) => r.url.startsWith('/nacos/v1/cs/'))).toEqual([]);
  });
});

describe('the url', () => {
  let s: NacosEndpoint;
  beforeAll(async () => {
    s = await sharedNacos('2.3.2');
  }, 25 * 60_000);

  it('without the context path (/nacos) is a configuration error that says to add it', async () => {
    const a = await adapterFor({ ...s, url: new URL(s.url).origin });
    const e = await failure(a.ping());
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['config', 2]);
    expect(e.hint).toContain('the url must include the context path, usually /nacos');
  });
});

describe('profile options', () => {
  const read = (o: Record<string, unknown>) => NACOS_OPTIONS.read(o);
  const refusal = (o: Record<string, unknown>): string => {
    try {
      read(o);
    } catch (e) {
      expect(e).toBeInstanceOf(OpsError);
      return (e as OpsError).message;
    }
    throw new Error('accepted');
  };

  it('reads the defaults, and credentials written into the url', () => {
    expect(read({ url: 'http://nacos:8848/nacos/' })).toMatchObject({ url: 'http://nacos:8848/nacos', username: undefined, password: undefined, apiVersion: 'auto', pageSize: 500, timeoutMs: 10_000 });
    expect(read({ url: 'http://ops:p%40ss@nacos:8848/nacos' })).toMatchObject({ url: 'http://nacos:8848/nacos', username: 'ops', password: 'p@ss' });
  });

  it('refuses a username without a password, an unknown apiVersion, a page over 1000, and never shows the password', () => {
    expect(refusal({ url: 'http://n:8848/nacos', username: 'ops' })).toContain('give both username and password');
    expect(refusal({ url: 'http://n:8848/nacos', apiVersion: 'v4' })).toContain('apiVersion must be one of auto, v1, v2, v3');
    expect(refusal({ url: 'http://n:8848/nacos', pageSize: 5000 })).toContain('pageSize must be a whole number from 1 to 1000');
    expect(refusal({ url: 'http://n:8848/nacos', username: 'ops', password: 12345678 })).not.toContain('12345678');
  });

  it('a profile file accepts type: nacos under registry and config, and checks its keys when it loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-nacos-profiles-'));
    try {
      const good = join(dir, 'good.yaml');
      writeFileSync(good, ['profiles:', '  prod:', '    registry: {type: nacos, url: "http://nacos:8848/nacos", username: ops, password: "${NACOS_PASSWORD}"}', '    config: {type: nacos, url: "http://nacos:8848/nacos", apiVersion: v3}', ''].join('\n'));
      expect((await loadProfiles(good, true, ADAPTERS)).profiles.has('prod')).toBe(true);
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, ['profiles:', '  prod:', '    registry: {type: nacos, url: "http://nacos:8848/nacos", pagesize: 10}', ''].join('\n'));
      const e = await loadProfiles(bad, true, ADAPTERS).then(
        () => null,
        (err: unknown) => err as OpsError,
      );
      expect(e?.kind).toBe('config');
      expect(e?.message).toContain('unknown option pagesize');
      expect(e?.hint).toContain('did you mean pageSize?');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
