import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/core/errors.js';
import { NACOS_VERSIONS, type NacosEndpoint } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';
import { startRecordingProxy, type RecordingProxy } from '../servers/recording-proxy.js';
import { adapterFor, adapterWithClock, closeAdapters, eventually, failure, isV3, raw } from './nacos-support.js';

/**
 * The Nacos adapter's login, token and version handling against real Nacos 2.3.2, 2.5.1 and 3.0.3
 * (auth on), seen through a recording proxy: the proxy forwards every request to the real server
 * and keeps what the adapter sent, so the tests can count logins and look at headers and URLs.
 */

beforeAll(() => {
  for (const v of NACOS_VERSIONS) sharedNacos(v).catch(() => {});
});
afterEach(() => closeAdapters());

const LOGIN = /\/(v1\/auth\/login|v3\/auth\/user\/login)$/;
const isLogin = (url: string) => LOGIN.test(url.split('?')[0]!);
/** Naming calls (services, instances): every version checks their token (2.3.2 reads namespaces without one). */
const isNaming = (url: string) => /\/ns\//.test(url);

describe.each(NACOS_VERSIONS)('Nacos %s: login, token and version', (version) => {
  let s: NacosEndpoint;
  let ns: string;
  let proxy: RecordingProxy;
  /** The server as seen through the proxy. */
  let via: NacosEndpoint;

  beforeAll(async () => {
    s = await sharedNacos(version);
    const token = await nacosToken(s);
    ns = await nacosNamespace(s, token, 'auth');
    // One persistent instance, so reads have something to return.
    const form = { serviceName: 'auth-svc', groupName: 'DEFAULT_GROUP', namespaceId: ns, ip: '10.20.0.1', port: '80', ephemeral: 'false' };
    const r = await raw(s, token, 'POST', isV3(s) ? '/v3/admin/ns/instance' : '/v1/ns/instance', form);
    expect(r.status).toBe(200);
    const list = () => raw(s, token, 'GET', isV3(s) ? '/v3/admin/ns/instance/list' : '/v1/ns/instance/list', { serviceName: 'auth-svc', namespaceId: ns });
    expect((await eventually(list, (x) => x.text.includes('10.20.0.1'))).text).toContain('10.20.0.1');
    proxy = await startRecordingProxy(new URL(s.url).origin);
    via = { ...s, url: `${proxy.url}${new URL(s.url).pathname}` };
  }, 25 * 60_000);
  afterAll(() => proxy?.stop());

  it('probes the server once: its version, and the v3 admin API on 3.x, the v2 family on 2.x', async () => {
    proxy.log.length = 0;
    const a = await adapterFor(via);
    expect(await a.ping()).toEqual({ version });
    await a.registry.listScope!('namespace');
    await a.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' });
    await a.config.list({ scope: { namespace: ns } });
    const probes = proxy.log.filter((e) => /\/(v3\/admin\/core|v1\/console\/server)\/state/.test(e.url));
    // 3.x answers the v3 state; 2.x answers 404 there and its version on the v1 state.
    expect(probes.map((e) => `${e.url.split('?')[0]} ${e.status}`)).toEqual(isV3(s) ? ['/nacos/v3/admin/core/state 200'] : ['/nacos/v3/admin/core/state 404', '/nacos/v1/console/server/state 200']);
    const used = proxy.log.filter((e) => !isLogin(e.url) && !probes.includes(e)).map((e) => e.url.split('/')[2]);
    expect(new Set(used)).toEqual(new Set([isV3(s) ? 'v3' : 'v1']));
  });

  it('logs in once and reuses the token; it travels in the Authorization header only, the password only in the login body', async () => {
    proxy.log.length = 0;
    const a = await adapterFor(via);
    for (let i = 0; i < 3; i++) await a.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' });
    await a.config.list({ scope: { namespace: ns } });
    const logins = proxy.log.filter((e) => isLogin(e.url));
    expect(logins).toHaveLength(1);
    expect(logins[0]!.method).toBe('POST');
    expect(new URLSearchParams(logins[0]!.body).get('password')).toBe(s.password);
    const token = (JSON.parse(logins[0]!.answer) as { accessToken: string }).accessToken;
    expect(token).toMatch(/^ey/);
    const calls = proxy.log.filter((e) => !isLogin(e.url) && !/\/state$/.test(e.url.split('?')[0]!));
    expect(calls.length).toBeGreaterThan(4);
    for (const e of calls) {
      expect(e.headers.authorization).toBe(`Bearer ${token}`);
      expect(e.url).not.toContain(token);
      expect(e.url).not.toMatch(/accessToken|password|username/i);
      expect(e.body).not.toContain(s.password);
    }
  });

  it('logs in again before tokenTtl runs out (tokenRenewBeforeMs ahead of it), not before', async () => {
    let clock = 1_000_000;
    const { adapter } = adapterWithClock(via, () => clock, { tokenRenewBeforeMs: 60_000 });
    proxy.log.length = 0;
    await adapter.ping();
    const logins = () => proxy.log.filter((e) => isLogin(e.url)).length;
    expect(logins()).toBe(1);
    const ttlMs = (JSON.parse(proxy.log.find((e) => isLogin(e.url))!.answer) as { tokenTtl: number }).tokenTtl * 1000;
    clock += ttlMs - 60_000 - 1;
    await adapter.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' });
    expect(logins()).toBe(1);
    clock += 2;
    await adapter.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' });
    expect(logins()).toBe(2);
  });

  // A token signed with another key is what a client holds after the server restarted with a new token.secret.key.
  const FORGED = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJuYWNvcyIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmVkLXdpdGgtYW5vdGhlci1rZXk';
  it.each([
    ['invalid', 'not-a-token', /token invalid/i],
    ['signed with another key', FORGED, /invalid signature/i],
  ])('a token the server calls %s is replaced by one new login, and the request repeated', async (_what, bad, says) => {
    const a = await adapterFor(via);
    await a.ping();
    let corrupt = 1;
    proxy.rewrite = (_m, url, headers) => {
      if (corrupt > 0 && isNaming(url) && headers.authorization) {
        corrupt--;
        headers.authorization = `Bearer ${bad}`;
      }
    };
    proxy.log.length = 0;
    try {
      const detail = await a.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' });
      expect(detail.instances.map((i) => i.ip)).toEqual(['10.20.0.1']);
    } finally {
      proxy.rewrite = null;
    }
    const seen = proxy.log.filter((e) => isLogin(e.url) || isNaming(e.url)).map((e) => `${e.method} ${isLogin(e.url) ? 'login' : 'call'} ${e.status}`);
    expect(seen.slice(0, 3)).toEqual(['GET call 403', 'POST login 200', 'GET call 200']);
    expect(proxy.log.find((e) => e.status === 403)!.answer).toMatch(says);
  });

  it('a fresh token refused again is an unauthorized error (exit 3), not a loop of logins', async () => {
    const a = await adapterFor(via);
    await a.ping();
    proxy.rewrite = (_m, url, headers) => {
      if (isNaming(url) && headers.authorization) headers.authorization = 'Bearer not-a-token';
    };
    proxy.log.length = 0;
    try {
      const e = await failure(a.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' }));
      expect(e.kind).toBe('unauthorized');
      expect(exitCodeOf(e.kind)).toBe(3);
      expect(e.message).toContain(`Nacos at ${via.url}`);
    } finally {
      proxy.rewrite = null;
    }
    expect(proxy.log.filter((e) => isLogin(e.url))).toHaveLength(1);
  });

  it('a wrong password is unauthorized (exit 3), names the server and the user, and never shows the password', async () => {
    const password = 'Wr0ng-S3cret-pw';
    const a = await adapterFor(s, { password });
    const e = await failure(a.ping());
    expect(e.kind).toBe('unauthorized');
    expect(exitCodeOf(e.kind)).toBe(3);
    expect(e.message).toContain(`Nacos at ${s.url} refused the login of user ${s.username}`);
    expect(`${e.message} ${e.hint}`).not.toContain(password);
    // Credentials written into the url come out of it: the message shows the url without them.
    const u = new URL(s.url);
    u.username = s.username;
    u.password = password;
    const b = await adapterFor({ ...s, url: u.toString() }, { username: undefined, password: undefined });
    const e2 = await failure(b.config.list({ scope: { namespace: ns } }));
    expect(e2.kind).toBe('unauthorized');
    expect(`${e2.message} ${e2.hint}`).not.toContain(password);
    expect(e2.message).toContain(`Nacos at ${s.url} `);
  });

  it('a profile without credentials on a server with auth on is told to set them', async () => {
    const a = await adapterFor(s, { username: undefined, password: undefined });
    const e = await failure(a.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' }));
    expect(e.kind).toBe('unauthorized');
    expect(e.message).toContain(`Nacos at ${s.url} wants a login`);
    expect(e.hint).toContain('set username and password');
  });

  if (version.startsWith('3.')) {
    it('pinned to apiVersion v1, a 410 Gone on a console path moves the adapter to v3 and the call succeeds', async () => {
      proxy.log.length = 0;
      const a = await adapterFor(via, { apiVersion: 'v1' });
      const detail = await a.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' });
      expect(detail.instances.map((i) => i.ip)).toEqual(['10.20.0.1']);
      const paths = proxy.log.filter((e) => !isLogin(e.url)).map((e) => `${e.url.split('?')[0]} ${e.status}`);
      expect(paths.filter((p) => p.endsWith(' 410')).every((p) => p.startsWith('/nacos/v1/'))).toBe(true);
      expect(paths.some((p) => p.endsWith(' 410'))).toBe(true);
      expect(paths[paths.length - 1]).toBe('/nacos/v3/admin/ns/instance/list 200');
      // Once moved, it stays on v3: no more v1 console calls.
      proxy.log.length = 0;
      await a.registry.getService({ scope: { namespace: ns }, name: 'auth-svc' });
      expect(new Set(proxy.log.map((e) => e.url.split('/')[2]))).toEqual(new Set(['v3']));
    });
  } else {
    it('pinned to apiVersion v3, a 2.x server is a configuration error that says so', async () => {
      const a = await adapterFor(s, { apiVersion: 'v3' });
      const e = await failure(a.ping());
      expect(e.kind).toBe('config');
      expect(e.message).toContain('has no Nacos 3.x admin API');
    });
  }
});
