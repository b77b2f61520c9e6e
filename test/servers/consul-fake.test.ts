import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsulFake, type ConsulFake } from './consul-fake.js';
import { seedConsulScenario, type ConsulScenario } from './consul-fake/scenario.js';

/*
 * The Consul fake against its fixtures: the fixture scenario (test/fixtures/consul/README.md) is
 * built through the agents' HTTP API, as an operator would, and every read must answer what the
 * hand-written fixtures say, field for field, once addresses, ports, node IDs and Raft indexes
 * (which depend on the run) are normalised. Then the rules the adapter relies on: blocking
 * queries, cas, anti-entropy, maintenance ownership, ACLs and datacenters.
 */

const FIXTURES = resolve(__dirname, '../fixtures/consul');
const fixtureText = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
const fixture = (f: string): any => JSON.parse(fixtureText(f));

const OPERATOR = 'b1f0b4a2-3c5d-4e6f-8a9b-0c1d2e3f4a5b';
const READER = '4e7f2a91-6b3c-4d5e-9f80-1a2b3c4d5e6f';
const READER_ACCESSOR = '7c1bd1f6-0c7e-4a35-9e3d-52a6f6f1c0aa';

let fake: ConsulFake;
let scenario: ConsulScenario;
let node1: string;
let node2: string;

/** Replaces what depends on the run (addresses, ports, node IDs, indexes) so values compare. */
function normalise(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => normalise(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x, k)]));
  if (typeof v === 'number' && /Index$/.test(key)) return 'INDEX';
  if (typeof v === 'string') {
    if (key === 'ID' && /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(v)) return 'NODE-ID';
    return v.replace(/\b\d+\.\d+\.\d+\.\d+(:\d+)?/g, 'ADDR');
  }
  return v;
}

/** The JSON shape alone: keys and value types, recursively (arrays by their first element). */
function shape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, shape((v as any)[k])]));
  return typeof v;
}

async function call(method: string, path: string, opts: { token?: string; body?: string | object; base?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers['X-Consul-Token'] = opts.token;
  const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const res = await fetch((opts.base ?? fake.url) + path, { method, headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

beforeAll(async () => {
  fake = await startConsulFake({
    datacenters: { dc1: ['node-1', 'node-2'], dc2: ['dc2-node-1'] },
    acl: {
      defaultPolicy: 'deny',
      tokens: [
        { accessorId: 'a0a0a0a0-0000-4000-8000-000000000001', secretId: OPERATOR, rules: { key: { '': 'write' }, service: { '': 'write' }, node: { '': 'write' }, agent: { '': 'write' } } },
        { accessorId: READER_ACCESSOR, secretId: READER, rules: { key: { 'config/': 'read' }, service: { '': 'read' }, node: { '': 'read' } } },
      ],
    },
  });
  node1 = fake.agents[0]!.url;
  node2 = fake.agents[1]!.url;
  scenario = await seedConsulScenario(fake, OPERATOR);
});

afterAll(async () => {
  await fake?.stop();
  await scenario?.close();
});

describe('the fake answers what the fixtures say', () => {
  it.each([
    ['/v1/catalog/services', 'catalog-services.json'],
    ['/v1/catalog/service/web', 'catalog-service-web.json'],
    ['/v1/health/service/web', 'health-service-web.json'],
    ['/v1/health/service/web?passing', 'health-service-web-passing.json'],
    ['/v1/health/service/api', 'health-service-api-maintenance.json'],
    ['/v1/health/service/billing', 'health-service-billing.json'],
    ['/v1/kv/config/?recurse', 'kv-recurse-config.json'],
    ['/v1/kv/config/?keys&separator=/', 'kv-keys-config-separator.json'],
    ['/v1/kv/config/web/feature.flags', 'kv-get-single.json'],
  ])('GET %s = %s', async (path, file) => {
    const r = await call('GET', path, { token: OPERATOR });
    expect(r.status).toBe(200);
    expect(normalise(r.json)).toEqual(normalise(fixture(file)));
  });

  it('GET /v1/agent/services on node-1 = agent-services.json (only the services that agent owns)', async () => {
    const r = await call('GET', '/v1/agent/services', { token: OPERATOR, base: node1 });
    expect(normalise(r.json)).toEqual(normalise(fixture('agent-services.json')));
  });

  it('GET /v1/agent/self has the shape of agent-self.json and reports the version', async () => {
    const r = await call('GET', '/v1/agent/self', { token: OPERATOR });
    expect(shape(r.json)).toEqual(shape(fixture('agent-self.json')));
    expect(r.json.Config.Version).toBe('1.21.4');
  });

  it.each(Object.entries(fixture('responses.json')) as Array<[string, any]>)('%s: status, headers and body as responses.json says', async (name, want) => {
    const token = name === 'acl-not-found' ? 'no-such-token' : name === 'acl-permission-denied' ? READER : OPERATOR;
    const qs = new URLSearchParams(want.request.query).toString().replace(/=(&|$)/g, '$1');
    // The fixture's indexes are those of the fixture run; a blocking read here uses the current one.
    const path = want.request.path + (qs ? '?' + qs.replace(/index=\d+/, 'index=1') : '');
    const base = name === 'maintenance-not-owner' ? node1 : fake.url;
    const body = want.request.method === 'PUT' && name === 'agent-register' ? { ID: 'scratch-1', Name: 'scratch', Port: 1 } : want.request.body;
    if (name === 'kv-put') {
      const cur = (await call('GET', '/v1/kv/config/web/timeout', { token: OPERATOR })).json[0].ModifyIndex;
      const r = await call('PUT', `/v1/kv/config/web/timeout?cas=${cur}`, { token: OPERATOR, body: '45s' });
      expect(r.text).toBe('true');
      return;
    }
    const r = await call(want.request.method, path, { token, body, base });
    expect(r.status).toBe(want.status);
    for (const [h, v] of Object.entries(want.headers as Record<string, string>)) {
      if (h === 'X-Consul-Index') expect(Number(r.headers.get(h))).toBeGreaterThan(1);
      else expect(r.headers.get(h), h).toBe(v);
    }
    const expected = want.bodyFile ? fixtureText(want.bodyFile) : want.body;
    if (want.bodyFile?.endsWith('.json')) expect(normalise(r.json)).toEqual(normalise(JSON.parse(expected)));
    else expect(r.text).toBe(expected);
  });
});

describe('the rules the adapter relies on', () => {
  it('a blocking read holds until the index of what it reads moves, then answers the new state', async () => {
    const first = await call('GET', '/v1/kv/config/web/?recurse', { token: OPERATOR });
    const index = Number(first.headers.get('X-Consul-Index'));
    const pending = call('GET', `/v1/kv/config/web/?recurse&index=${index}&wait=30s`, { token: OPERATOR });
    await until(() => fake.parked() === 1);
    // A write elsewhere in the store wakes the query but does not move its index: it stays parked.
    await call('PUT', '/v1/kv/other/key', { token: OPERATOR, body: 'x' });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.parked()).toBe(1);
    await call('PUT', '/v1/kv/config/web/timeout', { token: OPERATOR, body: '99s' });
    const r = await pending;
    expect(Number(r.headers.get('X-Consul-Index'))).toBeGreaterThan(index);
    expect(Buffer.from(r.json.find((e: any) => e.Key === 'config/web/timeout').Value, 'base64').toString()).toBe('99s');
  });

  it('a blocking read whose wait runs out answers the unchanged index', async () => {
    const first = await call('GET', '/v1/catalog/services', { token: OPERATOR });
    const index = first.headers.get('X-Consul-Index');
    const r = await call('GET', `/v1/catalog/services?index=${index}&wait=100ms`, { token: OPERATOR });
    expect(r.status).toBe(200);
    expect(r.headers.get('X-Consul-Index')).toBe(index);
  });

  it('a health change wakes /v1/health/service/:name but not /v1/catalog/services', async () => {
    const svcIndex = (await call('GET', '/v1/catalog/services', { token: OPERATOR })).headers.get('X-Consul-Index');
    const apiIndex = Number((await call('GET', '/v1/health/service/api', { token: OPERATOR })).headers.get('X-Consul-Index'));
    await call('PUT', '/v1/agent/check/warn/service:api-1?note=slow', { token: OPERATOR, base: node1 });
    const health = await call('GET', `/v1/health/service/api?index=${apiIndex}&wait=5s`, { token: OPERATOR });
    expect(Number(health.headers.get('X-Consul-Index'))).toBeGreaterThan(apiIndex);
    expect(health.json[0].Checks[0]).toMatchObject({ Status: 'warning', Output: 'slow' });
    const services = await call('GET', `/v1/catalog/services?index=${svcIndex}&wait=100ms`, { token: OPERATOR });
    expect(services.headers.get('X-Consul-Index')).toBe(svcIndex);
  });

  it('an idempotent heartbeat does not move the index', async () => {
    await call('PUT', '/v1/agent/check/pass/service:api-1?note=ready', { token: OPERATOR, base: node1 });
    const before = fake.dc().index;
    await call('PUT', '/v1/agent/check/pass/service:api-1?note=ready', { token: OPERATOR, base: node1 });
    expect(fake.dc().index).toBe(before);
  });

  it('a snapshot restore answers parked queries at once with a lower index (clients must reset)', async () => {
    const snap = fake.snapshot();
    await call('PUT', '/v1/kv/restore/me', { token: OPERATOR, body: 'x' });
    const index = Number((await call('GET', '/v1/kv/restore/?recurse', { token: OPERATOR })).headers.get('X-Consul-Index'));
    const pending = call('GET', `/v1/kv/restore/?recurse&index=${index}&wait=30s`, { token: OPERATOR });
    await until(() => fake.parked() === 1);
    fake.restore(snap);
    const r = await pending;
    expect(r.status).toBe(404);
    expect(Number(r.headers.get('X-Consul-Index'))).toBeLessThan(index);
  });

  it('cas: 0 creates only if absent, N updates only at ModifyIndex N, DELETE cas=0 never deletes', async () => {
    expect((await call('PUT', '/v1/kv/cas/k?cas=0', { token: OPERATOR, body: 'a' })).text).toBe('true');
    expect((await call('PUT', '/v1/kv/cas/k?cas=0', { token: OPERATOR, body: 'b' })).text).toBe('false');
    const m = (await call('GET', '/v1/kv/cas/k', { token: OPERATOR })).json[0].ModifyIndex;
    expect((await call('PUT', `/v1/kv/cas/k?cas=${m - 1}`, { token: OPERATOR, body: 'c' })).text).toBe('false');
    expect((await call('PUT', `/v1/kv/cas/k?cas=${m}`, { token: OPERATOR, body: 'd' })).text).toBe('true');
    expect((await call('DELETE', '/v1/kv/cas/k?cas=0', { token: OPERATOR })).text).toBe('false');
    expect((await call('GET', '/v1/kv/cas/k?raw', { token: OPERATOR })).text).toBe('d');
    expect((await call('PUT', '/v1/kv/cas/k?cas=1&acquire=x', { token: OPERATOR, body: 'e' })).status).toBe(400);
  });

  it('an empty value reads back as null, and a list index never goes back when a key is deleted', async () => {
    await call('PUT', '/v1/kv/t/a', { token: OPERATOR, body: '' });
    await call('PUT', '/v1/kv/t/b', { token: OPERATOR, body: 'x' });
    expect((await call('GET', '/v1/kv/t/a', { token: OPERATOR })).json[0].Value).toBeNull();
    const before = Number((await call('GET', '/v1/kv/t/?recurse', { token: OPERATOR })).headers.get('X-Consul-Index'));
    await call('DELETE', '/v1/kv/t/b', { token: OPERATOR });
    const after = Number((await call('GET', '/v1/kv/t/?recurse', { token: OPERATOR })).headers.get('X-Consul-Index'));
    expect(after).toBeGreaterThan(before);
  });

  it('a catalog deregister of an agent-managed service is undone by anti-entropy', async () => {
    const r = await call('PUT', '/v1/catalog/deregister', { token: OPERATOR, body: { Node: 'node-2', ServiceID: 'billing-1' } });
    expect(r.text).toBe('true');
    expect((await call('GET', '/v1/catalog/service/billing', { token: OPERATOR })).json).toEqual([]);
    fake.syncNow();
    expect((await call('GET', '/v1/catalog/service/billing', { token: OPERATOR })).json.map((s: any) => s.ServiceID)).toEqual(['billing-1']);
  });

  it('maintenance goes to the owning agent: node-2 accepts what node-1 refuses', async () => {
    expect((await call('PUT', '/v1/agent/service/maintenance/web-2?enable=true', { token: OPERATOR, base: node1 })).status).toBe(404);
    expect((await call('PUT', '/v1/agent/service/maintenance/web-2?enable=true', { token: OPERATOR, base: node2 })).status).toBe(200);
    const checks = (await call('GET', '/v1/health/service/web', { token: OPERATOR })).json.find((e: any) => e.Service.ID === 'web-2').Checks;
    expect(checks.find((c: any) => c.CheckID === '_service_maintenance:web-2')).toMatchObject({ Status: 'critical', Type: 'maintenance', Notes: expect.stringContaining('no reason was provided') });
    await call('PUT', '/v1/agent/service/maintenance/web-2?enable=false', { token: OPERATOR, base: node2 });
    const after = (await call('GET', '/v1/health/service/web', { token: OPERATOR })).json.find((e: any) => e.Service.ID === 'web-2').Checks;
    expect(after.map((c: any) => c.CheckID)).not.toContain('_service_maintenance:web-2');
  });

  it('a TTL check not renewed in time turns critical with "TTL expired"', async () => {
    await call('PUT', '/v1/agent/service/register', { token: OPERATOR, base: node1, body: { ID: 'ttl-1', Name: 'ttl', Check: { TTL: '200ms', Status: 'passing' } } });
    await until(async () => (await call('GET', '/v1/health/checks/ttl', { token: OPERATOR })).json[0]?.Status === 'critical');
    expect((await call('GET', '/v1/health/checks/ttl', { token: OPERATOR })).json[0]).toMatchObject({ Status: 'critical', Output: 'TTL expired', Type: 'ttl' });
  });

  it('check durations come back as Go writes them (1m as "1m0s", 1500ms as "1.5s"), and a new check starts critical', async () => {
    await call('PUT', '/v1/agent/service/register', { token: OPERATOR, base: node1, body: { ID: 'dur-1', Name: 'dur', Check: { TCP: '127.0.0.1:1', Interval: '1m', Timeout: '1500ms' } } });
    const [check] = (await call('GET', '/v1/health/checks/dur', { token: OPERATOR })).json;
    expect(check).toMatchObject({ Interval: '1m0s', Timeout: '1.5s', Type: 'tcp', Status: 'critical' });
    expect((await call('PUT', '/v1/agent/service/register', { token: OPERATOR, base: node1, body: { Name: 'bad', Check: { TTL: '5 seconds' } } })).status).toBe(400);
  });

  it('a token is read from ?token, X-Consul-Token and Authorization: Bearer; the wrong one is 403', async () => {
    for (const init of [{ headers: { Authorization: `Bearer ${READER}` } }, { headers: { 'X-Consul-Token': READER } }] as RequestInit[]) {
      expect((await fetch(`${fake.url}/v1/kv/config/web/timeout`, init)).status).toBe(200);
    }
    expect((await fetch(`${fake.url}/v1/kv/config/web/timeout?token=${READER}`)).status).toBe(200);
    expect((await fetch(`${fake.url}/v1/kv/config/web/timeout`, { headers: { Authorization: `Basic ${READER}` } })).status).toBe(403);
    expect(fake.requests.slice(-4).map((r) => r.tokenVia)).toEqual(['bearer', 'x-consul-token', 'query', null]);
    // List reads are filtered, not refused: the reader sees config/ only.
    const keys = await call('GET', '/v1/kv/?keys', { token: READER });
    expect(keys.json.every((k: string) => k.startsWith('config/'))).toBe(true);
    expect(keys.headers.get('X-Consul-Results-Filtered-By-Acls')).toBe('true');
  });

  it('?dc= reads another datacenter, whose index and catalog are its own', async () => {
    const r = await call('GET', '/v1/catalog/services?dc=dc2', { token: OPERATOR });
    expect(r.json).toEqual({ consul: [] });
    expect((await call('GET', '/v1/catalog/datacenters', { token: OPERATOR })).json).toEqual(['dc1', 'dc2']);
    expect((await call('GET', '/v1/kv/config/web/timeout?dc=dc2', { token: OPERATOR })).status).toBe(404);
  });
});

async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
