import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { NACOS_VERSIONS, type NacosEndpoint, type NacosVersion } from './nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from './nacos-shared.js';

/**
 * Facts about the real Nacos servers the tests run (2.3.2, 2.5.1, 3.0.3, auth on), checked against
 * the servers themselves. They keep the test infrastructure honest (the servers start, the admin
 * logs in, namespaces isolate tests) and pin down the HTTP behaviour the Nacos adapter relies on;
 * docs/dev/nacos-facts.md has the details. Raw HTTP on purpose: no opsdeck code is involved.
 */

// Ask for all three at once: starting them side by side costs less wall time than one after another
// (the jars are still built one at a time, under the run's Maven lock).
beforeAll(() => {
  for (const v of NACOS_VERSIONS) sharedNacos(v).catch(() => {});
});

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

interface Reply {
  status: number;
  text: string;
  headers: Headers;
  json<T = any>(): T;
}

async function call(method: string, url: string, token: string | null, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Reply> {
  const h: Record<string, string> = { ...headers };
  if (token !== null) h.accessToken = token;
  const qs = new URLSearchParams(params).toString();
  const withBody = method === 'POST' || method === 'PUT';
  const r = await fetch(withBody || qs === '' ? url : `${url}?${qs}`, { method, headers: h, body: withBody ? new URLSearchParams(params) : undefined, signal: AbortSignal.timeout(20_000) });
  const text = await r.text();
  return { status: r.status, text, headers: r.headers, json: () => JSON.parse(text) };
}

/** Retries `f` until `ok` holds (the server applies some writes asynchronously); the last reply. */
async function eventually(f: () => Promise<Reply>, ok: (r: Reply) => boolean, ms = 10_000): Promise<Reply> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await f();
    if (ok(r) || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 200));
  }
}

const isV3 = (v: NacosVersion) => v.startsWith('3.');

describe.each(NACOS_VERSIONS)('Nacos %s with auth on', (version) => {
  let s: NacosEndpoint;
  let token: string;
  let ns: string;

  beforeAll(async () => {
    s = await sharedNacos(version);
    token = await nacosToken(s);
    ns = await nacosNamespace(s, token, 'server-facts');
  }, 25 * 60_000);

  it('reports its version and auth on its state endpoint (2.x /v1/console/server/state, 3.x /v3/admin/core/state); 2.x has no v3 API', async () => {
    if (isV3(version)) {
      const r = await call('GET', `${s.url}/v3/admin/core/state`, null);
      expect(r.status).toBe(200);
      expect(r.json().data).toMatchObject({ version, auth_enabled: 'true' });
      expect((await call('GET', `${s.url}/v1/console/server/state`, token)).status).toBe(410);
    } else {
      const r = await call('GET', `${s.url}/v1/console/server/state`, null);
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ version, auth_enabled: 'true' });
      expect((await call('GET', `${s.url}/v3/admin/core/state`, token)).status).toBe(404);
    }
  });

  it('logs the admin in with a token and a TTL; a wrong password, a missing or a bad token are refused', async () => {
    const ok = await call('POST', `${s.url}/v1/auth/login`, null, { username: s.username, password: s.password });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ tokenTtl: 18000, globalAdmin: true, username: s.username });
    expect(ok.json().accessToken).toMatch(/^ey/);
    // The token also comes back as a response header.
    expect(ok.headers.get('authorization')).toBe(`Bearer ${ok.json().accessToken}`);

    const wrong = await call('POST', `${s.url}/v1/auth/login`, null, { username: s.username, password: `${s.password}-wrong` });
    expect(wrong.text).not.toContain('accessToken');
    // 2.x: 403 `user not found!`; 3.0.3's v1 login goes through its compatibility layer and fails with 500.
    expect(wrong.status).toBe(isV3(version) ? 500 : 403);
    if (!isV3(version)) expect(wrong.text).toBe('user not found!');

    const list = `${s.url}/v1/ns/instance/list`;
    const none = await call('GET', list, null, { serviceName: 'x', namespaceId: ns });
    expect(none.status).toBe(403);
    expect(none.json().message).toMatch(/user not found/i);
    const bad = await call('GET', list, 'not-a-token', { serviceName: 'x', namespaceId: ns });
    expect(bad.status).toBe(403);
    expect(bad.json().message).toContain('token invalid!');
    // The same token works as a Bearer header.
    const bearer = await call('GET', list, null, { serviceName: 'x', namespaceId: ns }, { Authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(200);
  });

  it('lists the test namespace; the default namespace id is "" on 2.x and "public" on 3.x', async () => {
    type Ns = { namespace: string; namespaceShowName: string };
    if (isV3(version)) {
      const r = await call('GET', `${s.url}/v3/admin/core/namespace/list`, token);
      expect(r.status).toBe(200);
      const data = r.json().data as Ns[];
      expect(data.map((n) => n.namespace)).toContain(ns);
      expect(data.find((n) => n.namespaceShowName === 'public')?.namespace).toBe('public');
      // The v1 console API is gone (410) unless a compatibility switch is set.
      const old = await call('GET', `${s.url}/v1/console/namespaces`, token);
      expect(old.status).toBe(410);
      expect(JSON.parse(old.json().message)).toMatchObject({ code: 40000 });
    } else {
      const r = await call('GET', `${s.url}/v1/console/namespaces`, token);
      expect(r.status).toBe(200);
      const data = r.json().data as Ns[];
      expect(data.map((n) => n.namespace)).toContain(ns);
      expect(data.find((n) => n.namespaceShowName === 'public')?.namespace).toBe('');
    }
  });

  it('publishes a config; a casMd5 HEADER that does not match is refused, one that matches wins; as a form field it is ignored', async () => {
    const cfg = `${s.url}/v1/cs/configs`;
    const key = { dataId: 'app.yaml', group: 'FACTS', tenant: ns };
    const get = () => call('GET', cfg, token, key);
    expect((await call('POST', cfg, token, { ...key, content: 'a: 1', type: 'yaml' })).text).toBe('true');
    // The server dumps a publish to its cache asynchronously: a read right after it may 404.
    const first = await eventually(get, (r) => r.status === 200);
    expect(first.text).toBe('a: 1');
    expect(first.headers.get('content-md5')).toBe(md5('a: 1'));
    expect(first.headers.get('config-type')).toBe('yaml');

    const refused = await call('POST', cfg, token, { ...key, content: 'a: 2' }, { casMd5: md5('something else') });
    expect(refused.status).toBe(500);
    expect(refused.text).toBe(isV3(version) ? 'false' : 'caused: Cas publish fail, server md5 may have changed.;');
    expect((await get()).text).toBe('a: 1');

    const matched = await call('POST', cfg, token, { ...key, content: 'a: 3', type: 'yaml' }, { casMd5: md5('a: 1') });
    expect(matched.status).toBe(200);
    expect((await eventually(get, (r) => r.text === 'a: 3')).text).toBe('a: 3');

    // The trap: casMd5 as a form field is not looked at, and the publish overwrites.
    const ignored = await call('POST', cfg, token, { ...key, content: 'a: 4', type: 'yaml', casMd5: md5('something else') });
    expect(ignored.status).toBe(200);
    expect((await eventually(get, (r) => r.text === 'a: 4')).text).toBe('a: 4');
  });

  it('registers persistent instances through the v1 API and lists them with the client list API', async () => {
    const base = { serviceName: 'orders', groupName: 'FACTS', namespaceId: ns, port: '8080', ephemeral: 'false' };
    expect((await call('POST', `${s.url}/v1/ns/instance`, token, { ...base, ip: '10.0.0.1', metadata: JSON.stringify({ zone: 'a' }) })).text).toBe('ok');
    expect((await call('POST', `${s.url}/v1/ns/instance`, token, { ...base, ip: '10.0.0.2' })).text).toBe('ok');
    const list = await eventually(
      () => call('GET', `${s.url}/v1/ns/instance/list`, token, { serviceName: 'orders', groupName: 'FACTS', namespaceId: ns }),
      (r) => r.status === 200 && r.json().hosts.length === 2,
    );
    const body = list.json();
    expect(body.name).toBe('FACTS@@orders');
    const one = body.hosts.find((h: any) => h.ip === '10.0.0.1');
    expect(one).toMatchObject({ instanceId: '10.0.0.1#8080#DEFAULT#FACTS@@orders', port: 8080, enabled: true, healthy: true, ephemeral: false, clusterName: 'DEFAULT', metadata: { zone: 'a' } });
    // The same flag is spelt differently across versions.
    expect(Object.keys(body)).toContain(isV3(version) ? 'allIps' : 'allIPs');
    // Another namespace does not see them.
    const other = await call('GET', `${s.url}/v1/ns/instance/list`, token, { serviceName: 'orders', groupName: 'FACTS' });
    expect(other.json().hosts).toEqual([]);
  });

  it('a disabled instance leaves the client list but stays, enabled:false, in the console/admin list', async () => {
    const inst = { serviceName: 'orders', groupName: 'FACTS', namespaceId: ns, ip: '10.0.0.2', port: '8080', ephemeral: 'false', enabled: 'false' };
    if (isV3(version)) {
      // 3.x moved instance updates to the admin API; the v1 update answers 410.
      expect((await call('PUT', `${s.url}/v1/ns/instance`, token, inst)).status).toBe(410);
      const r = await call('PUT', `${s.url}/v3/admin/ns/instance`, token, inst);
      expect(r.status).toBe(200);
      expect(r.json()).toMatchObject({ code: 0, data: 'ok' });
    } else {
      expect((await call('PUT', `${s.url}/v1/ns/instance`, token, inst)).text).toBe('ok');
    }
    const client = await eventually(
      () => call('GET', `${s.url}/v1/ns/instance/list`, token, { serviceName: 'orders', groupName: 'FACTS', namespaceId: ns, healthyOnly: 'false' }),
      (r) => r.json().hosts.length === 1,
    );
    expect(client.json().hosts.map((h: any) => h.ip)).toEqual(['10.0.0.1']);

    let console: any[];
    if (isV3(version)) {
      const r = await call('GET', `${s.url}/v3/admin/ns/instance/list`, token, { serviceName: 'orders', groupName: 'FACTS', namespaceId: ns });
      expect(r.status).toBe(200);
      console = r.json().data;
    } else {
      const r = await call('GET', `${s.url}/v1/ns/catalog/instances`, token, { serviceName: 'orders', groupName: 'FACTS', namespaceId: ns, clusterName: 'DEFAULT', pageNo: '1', pageSize: '10' });
      expect(r.status).toBe(200);
      expect(r.json().count).toBe(2);
      console = r.json().list;
    }
    expect(console.map((h) => `${h.ip}:${h.enabled}`).sort()).toEqual(['10.0.0.1:true', '10.0.0.2:false']);
  });
});
