import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsulAdapter } from '../../src/adapters/consul/index.js';
import { exitCodeOf } from '../../src/core/errors.js';
import type { ServiceRef } from '../../src/core/registry.js';
import { resolveScope } from '../../src/core/scope.js';
import type { ConsulFake } from '../servers/consul-fake.js';
import { serfHealth } from '../servers/consul-fake/agent.js';
import { seedConsulScenario, type ConsulScenario } from '../servers/consul-fake/scenario.js';
import { adapterOn, catalogInstance, failure, OPERATOR, READER, requestsSince, startAclFake, waitUntil } from './consul-support.js';

/**
 * The Consul registry backend against the Consul FAKE (test/servers/consul-fake.ts): no Consul
 * server can run on this machine, so the fake (real state, Consul's rules as read in its source,
 * checked against fixtures and real clients) stands in. Each test file starts its own fake seeded
 * with the fixtures' scenario (web-1 passing and api-1 in maintenance on node-1, web-2 warning and
 * billing-1 critical on node-2). What opsdeck did is checked in the fake's own state (its catalog
 * and agents' local state, read through its state API, not HTTP) and in the requests it recorded.
 */

let fake: ConsulFake;
let scenario: ConsulScenario;
let a: ConsulAdapter;
const dc1 = (name: string): ServiceRef => ({ scope: { datacenter: 'dc1' }, name });

beforeEach(async () => {
  fake = await startAclFake();
  scenario = await seedConsulScenario(fake, OPERATOR);
  a = adapterOn(fake);
});

afterEach(async () => {
  await a?.dispose();
  await fake?.stop();
  await scenario?.close();
});

describe('reads', () => {
  it('a service shows each instance with the health of all its checks, tags, metadata, weight, and the node address where the service has none', async () => {
    const d = await a.registry.getService(dc1('web'));
    expect(d).toMatchObject({ backend: 'consul-test', datacenter: 'dc1', name: 'web' });
    expect(d.instances).toEqual([
      expect.objectContaining({ id: 'web-1', ip: fake.agents[0]!.address, port: 8080, health: 'passing', traffic: 'enabled', status: 'passing', weight: 1, tags: ['v2', 'http'], metadata: { version: '2.4.1' }, ephemeral: null, healthy: true, enabled: true }),
      expect.objectContaining({ id: 'web-2', ip: fake.agents[1]!.address, port: 8080, health: 'warning', traffic: 'enabled', status: 'warning', healthy: false }),
    ]);
    expect((await a.registry.getService(dc1('billing'))).instances[0]).toMatchObject({ id: 'billing-1', health: 'critical', weight: 10, metadata: {} });
  });

  it('maintenance is the drain: traffic disabled, status maintenance, and health still that of the other checks (Meta null reads as {})', async () => {
    const api = (await a.registry.getService(dc1('api'))).instances[0]!;
    expect(api).toMatchObject({ id: 'api-1', traffic: 'disabled', enabled: false, status: 'maintenance', health: 'passing', ephemeral: true, metadata: {} });
  });

  it("a node whose serfHealth fails makes its instances critical", async () => {
    const dc = fake.dc('dc1');
    dc.write((idx) => dc.upsertCheck(serfHealth('node-2', 'critical'), idx));
    const web = await a.registry.getService(dc1('web'));
    expect(web.instances.map((i) => [i.id, i.health])).toEqual([['web-1', 'passing'], ['web-2', 'critical']]);
  });

  it('lists every datacenter with counts from health (a drained instance counts as drained, and healthy when its checks pass)', async () => {
    const rows = await a.registry.listServices({ scope: {} });
    expect(rows).toEqual([
      { backend: 'consul-test', datacenter: 'dc1', name: 'api', instances: 1, healthy: 1, disabled: 1 },
      { backend: 'consul-test', datacenter: 'dc1', name: 'billing', instances: 1, healthy: 0, disabled: 0 },
      { backend: 'consul-test', datacenter: 'dc1', name: 'consul', instances: 1, healthy: 1, disabled: 0 },
      { backend: 'consul-test', datacenter: 'dc1', name: 'web', instances: 2, healthy: 1, disabled: 0 },
      { backend: 'consul-test', datacenter: 'dc2', name: 'consul', instances: 1, healthy: 1, disabled: 0 },
    ]);
    expect((await a.registry.listServices({ scope: { datacenter: 'dc2' } })).map((r) => r.name)).toEqual(['consul']);
    expect((await a.registry.listServices({ scope: {}, text: 'WE' })).map((r) => `${r.datacenter}/${r.name}`)).toEqual(['dc1/web']);
  });

  it('an unknown datacenter is not-found (Consul: 500 No path to datacenter), and so is an unknown service, naming the datacenter', async () => {
    const dc = await failure(a.registry.getService({ scope: { datacenter: 'dc9' }, name: 'web' }));
    expect([dc.kind, dc.message]).toEqual(['not-found', expect.stringContaining('No path to datacenter')]);
    const svc = await failure(a.registry.getService(dc1('nope')));
    expect([svc.kind, svc.message]).toEqual(['not-found', expect.stringContaining('service nope not found in datacenter dc1')]);
  });

  it("the default datacenter is the agent's own (asked once), or the profile's; datacenters are listed from the catalog", async () => {
    expect(a.registry.scope).toMatchObject({ kinds: ['datacenter'], defaults: {} });
    const from = fake.requests.length;
    expect(await resolveScope(a.registry.scope, {})).toEqual({ datacenter: 'dc1' });
    expect(await resolveScope(a.registry.scope, {})).toEqual({ datacenter: 'dc1' });
    expect(await resolveScope(a.registry.scope, { datacenter: 'dc2' })).toEqual({ datacenter: 'dc2' });
    expect(requestsSince(fake, from, 'GET', '/v1/agent/self')).toHaveLength(1);
    const pinned = adapterOn(fake, { datacenter: 'dc2' });
    expect(pinned.registry.scope.defaults).toEqual({ datacenter: 'dc2' });
    expect((await pinned.registry.getService({ scope: {}, name: 'consul' })).datacenter).toBe('dc2');
    await pinned.dispose();
    expect(await a.registry.listScope!('datacenter')).toEqual([
      { id: 'dc1', name: 'dc1', description: null },
      { id: 'dc2', name: 'dc2', description: null },
    ]);
  });
});

describe('drain and undrain: maintenance on the owning agent', () => {
  it('goes to the agent of the instance\'s node, says so, and the catalog shows the critical maintenance check', async () => {
    const from = fake.requests.length;
    const d = await a.registry.setTraffic!(dc1('web'), 'web-2', 'disabled');
    const sent = requestsSince(fake, from, 'PUT', '/v1/agent/service/maintenance/web-2');
    expect(sent.map((r) => [r.agent, r.query.enable, r.tokenVia])).toEqual([['node-2', ['true'], 'x-consul-token']]);
    expect(sent[0]!.query.reason?.[0]).toMatch(/^drained with opsdeck at /);
    expect(d.sentTo).toBe(`node-2's agent at ${fake.agents[1]!.url}`);
    expect(d.instances.find((i) => i.id === 'web-2')).toMatchObject({ traffic: 'disabled', status: 'maintenance' });
    expect(catalogInstance(fake, 'web-2')!.checks.find((c) => c.CheckID === '_service_maintenance:web-2')).toMatchObject({ Status: 'critical', Type: 'maintenance' });

    const back = await a.registry.setTraffic!(dc1('web'), 'web-2', 'enabled');
    expect(back.instances.find((i) => i.id === 'web-2')!.traffic).toBe('enabled');
    expect(catalogInstance(fake, 'web-2')!.checks.map((c) => c.CheckID)).not.toContain('_service_maintenance:web-2');
    expect(requestsSince(fake, from, 'PUT', '/v1/agent/service/maintenance/web-2').at(-1)!.query).toEqual({ enable: ['false'] });
  });

  it("an instance on the profile's own agent is drained through it", async () => {
    const from = fake.requests.length;
    const d = await a.registry.setTraffic!(dc1('web'), 'web-1', 'disabled');
    expect(requestsSince(fake, from, 'PUT', '/v1/agent/service/maintenance/web-1').map((r) => r.agent)).toEqual(['node-1']);
    expect(d.sentTo).toBe(`node-1's agent at ${fake.url}`);
  });

  it('draining what is in maintenance already warns that Consul keeps the first reason; undrain on a node in maintenance warns it stays out', async () => {
    const again = await a.registry.setTraffic!(dc1('api'), 'api-1', 'disabled');
    expect(again.warnings).toEqual([expect.stringContaining('deploy 2026-11-05 (opsdeck)')]);
    fake.agent('node-2').nodeMaintenance(true, 'rack swap');
    const undrain = await a.registry.setTraffic!(dc1('web'), 'web-2', 'enabled');
    expect(undrain.warnings).toEqual([expect.stringContaining('node node-2 is in maintenance itself (rack swap)')]);
  });

  it("an agents: mapping that reaches another node's agent is refused before anything is sent", async () => {
    const wrong = adapterOn(fake, { agents: { 'node-2': fake.agents[0]!.url } });
    const from = fake.requests.length;
    const e = await failure(wrong.registry.setTraffic!(dc1('web'), 'web-2', 'disabled'));
    expect([e.kind, e.message]).toEqual(['config', `the agent at ${fake.agents[0]!.url} is node node-1, not node-2, which owns the instance`]);
    expect(requestsSince(fake, from, 'PUT', /maintenance/)).toEqual([]);
    await wrong.dispose();
  });

  it('an owning agent that cannot be reached is exit 3 naming it, with a hint about agents:', async () => {
    const away = adapterOn(fake, { agents: { 'node-2': 'http://127.0.0.1:1' }, timeoutMs: 2000 });
    const e = await failure(away.registry.setTraffic!(dc1('web'), 'web-2', 'disabled'));
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['unreachable', 3]);
    expect(e.message).toContain('Consul agent at http://127.0.0.1:1');
    expect(e.hint).toContain('agents:');
    await away.dispose();
  });

  it('an instance registered through the catalog (no agent owns it) is refused by its node\'s agent: exit 1 saying so', async () => {
    const r = await fetch(`${fake.url}/v1/catalog/register`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: JSON.stringify({ Node: 'node-2', Address: fake.agents[1]!.address, Service: { ID: 'ext-1', Service: 'ext', Port: 1 } }) });
    expect(r.status).toBe(200);
    const e = await failure(a.registry.setTraffic!(dc1('ext'), 'ext-1', 'disabled'));
    expect([e.kind, e.message]).toEqual(['failed', expect.stringContaining('does not own instance ext-1')]);
    expect(e.message).toContain('Unknown service ID');
  });
});

describe('deregister, heartbeat, register, metadata and weight', () => {
  it('deregisters through the owning agent, so anti-entropy does not bring it back, and warns that a self-registering process will', async () => {
    const from = fake.requests.length;
    const note = await a.registry.deregister!(dc1('web'), 'web-2');
    expect(requestsSince(fake, from, 'PUT', '/v1/agent/service/deregister/web-2').map((r) => r.agent)).toEqual(['node-2']);
    expect(requestsSince(fake, from, 'PUT', '/v1/catalog/deregister')).toEqual([]);
    expect(note).toMatchObject({ sentTo: `node-2's agent at ${fake.agents[1]!.url}`, warnings: [expect.stringContaining('comes back when it registers again')] });
    fake.syncNow();
    expect(catalogInstance(fake, 'web-2')).toBeUndefined();
    expect(fake.agent('node-2').services.has('web-2')).toBe(false);
  });

  it('metadata is changed by re-registering the whole definition through the owning agent: tags, port and checks stay', async () => {
    const from = fake.requests.length;
    const d = await a.registry.updateMetadata!(dc1('web'), 'web-2', { set: { canary: 'yes' }, remove: ['version'] });
    const [reg] = requestsSince(fake, from, 'PUT', '/v1/agent/service/register');
    expect(reg!.agent).toBe('node-2');
    expect(reg!.body).toMatchObject({ ID: 'web-2', Name: 'web', Tags: ['v2', 'http'], Port: 8080, Meta: { canary: 'yes' }, Weights: { Passing: 1, Warning: 1 } });
    expect(reg!.body).not.toHaveProperty('Check');
    expect(d.warnings).toEqual([expect.stringContaining('Consul has no partial update')]);
    const held = catalogInstance(fake, 'web-2')!;
    expect(held.svc).toMatchObject({ Meta: { canary: 'yes' }, Tags: ['v2', 'http'], Port: 8080 });
    expect(held.checks.map((c) => c.CheckID)).toContain('service:web-2');
  });

  it('weight is Weights.Passing, set by re-registration; 0 or a fraction is refused before anything is sent', async () => {
    const d = await a.registry.setWeight!(dc1('billing'), 'billing-1', 7);
    expect(d.instances[0]!.weight).toBe(7);
    expect(catalogInstance(fake, 'billing-1')!.svc.Weights).toEqual({ Passing: 7, Warning: 1 });
    const from = fake.requests.length;
    for (const w of [0, 2.5]) expect((await failure(a.registry.setWeight!(dc1('billing'), 'billing-1', w))).kind).toBe('usage');
    expect(requestsSince(fake, from, 'PUT', /.*/)).toEqual([]);
  });

  it('registers through the profile agent; an ephemeral instance gets a passing TTL check that heartbeats renew', async () => {
    const d = await a.registry.register!(dc1('cart'), { ip: '10.1.2.3', port: 9000, weight: 2, metadata: { zone: 'a' }, ephemeral: true, ttlMs: 30_000 });
    expect(d.instances).toEqual([expect.objectContaining({ id: 'cart-10.1.2.3-9000', ip: '10.1.2.3', port: 9000, weight: 2, health: 'passing', ephemeral: true, metadata: { zone: 'a' } })]);
    const held = catalogInstance(fake, 'cart-10.1.2.3-9000')!;
    expect(held.node.Node).toBe('node-1');
    expect(held.checks.find((c) => c.CheckID === 'service:cart-10.1.2.3-9000')).toMatchObject({ Status: 'passing', Type: 'ttl' });
    const from = fake.requests.length;
    await a.registry.heartbeat!(dc1('cart'), 'cart-10.1.2.3-9000');
    expect(requestsSince(fake, from, 'PUT', '/v1/agent/check/pass/service:cart-10.1.2.3-9000').map((r) => r.agent)).toEqual(['node-1']);
  });

  it('re-registering an address keeps the instance (id, owner, tags) and its drain', async () => {
    await a.registry.setTraffic!(dc1('web'), 'web-2', 'disabled');
    const d = await a.registry.register!(dc1('web'), { ip: fake.agents[1]!.address, port: 8080, weight: 3, metadata: { v: '3' }, ephemeral: false });
    const w2 = d.instances.find((i) => i.id === 'web-2')!;
    expect(w2).toMatchObject({ weight: 3, metadata: { v: '3' }, tags: ['v2', 'http'], traffic: 'disabled' });
    expect(d.sentTo).toContain('node-2');
  });

  it('a registration in a datacenter the agent is not in, and a heartbeat for an instance without a TTL check, are refused', async () => {
    expect((await failure(a.registry.register!({ scope: { datacenter: 'dc2' }, name: 'x' }, { ip: '10.0.0.1', port: 1, metadata: {}, ephemeral: false }))).kind).toBe('usage');
    const hb = await failure(a.registry.heartbeat!(dc1('web'), 'web-1'));
    expect([hb.kind, hb.message]).toEqual(['unsupported', expect.stringContaining('has no TTL check')]);
  });
});

describe('ACL tokens', () => {
  it('travel only in X-Consul-Token, never as ?token=', async () => {
    const from = fake.requests.length;
    await a.registry.listServices({ scope: {} });
    await a.registry.setTraffic!(dc1('web'), 'web-2', 'disabled');
    const mine = fake.requests.slice(from);
    expect(mine.length).toBeGreaterThan(5);
    expect(mine.every((r) => r.tokenVia === 'x-consul-token' && r.token === OPERATOR && !('token' in r.query))).toBe(true);
  });

  it('no token, an unknown token, and a token without the permission are unauthorized (exit 3) naming the server, with a hint about the token', async () => {
    const none = adapterOn(fake, { token: undefined });
    const e1 = await failure(none.registry.getService(dc1('web')));
    expect([e1.kind, exitCodeOf(e1.kind)]).toEqual(['unauthorized', 3]);
    expect(e1.message).toContain(`Consul at ${fake.url}`);
    expect(e1.hint).toContain('set token in the profile');
    const wrong = adapterOn(fake, { token: 'not-a-token' });
    const e2 = await failure(wrong.registry.getService(dc1('web')));
    expect([e2.kind, e2.message]).toEqual(['unauthorized', expect.stringContaining('ACL not found')]);
    expect(e2.hint).toContain('check the token');
    const reader = adapterOn(fake, { token: READER });
    const e3 = await failure(reader.registry.setTraffic!(dc1('web'), 'web-2', 'disabled'));
    expect([e3.kind, e3.message]).toEqual(['unauthorized', expect.stringContaining("lacks permission 'service:write'")]);
    for (const x of [none, wrong, reader]) await x.dispose();
  });
});

describe('changes: blocking queries for the live panes', () => {
  it('a service feed yields when the service changes, and only then', async () => {
    const ac = new AbortController();
    const it = a.registry.changes!({ scope: { datacenter: 'dc1' }, service: 'web' }, ac.signal)[Symbol.asyncIterator]();
    const next = it.next();
    // Parked on the health index before anything changes.
    await waitUntil(() => fake.parked() > 0);
    let woke = false;
    void next.then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 150));
    expect(woke).toBe(false);
    await a.registry.setTraffic!(dc1('web'), 'web-1', 'disabled');
    expect((await next).done).toBe(false);
    ac.abort();
    expect((await it.next()).done).toBe(true);
  });

  it('a feed asked for with a signal already aborted ends at once and asks Consul nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const it = a.registry.changes!({ scope: { datacenter: 'dc1' }, service: 'web' }, ac.signal)[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(true);
    expect(fake.parked()).toBe(0);
  });

  it('the listing feed wakes on a health change, which /v1/catalog/services alone would miss', async () => {
    const ac = new AbortController();
    const it = a.registry.changes!({ scope: { datacenter: 'dc1' } }, ac.signal)[Symbol.asyncIterator]();
    const next = it.next();
    await waitUntil(() => fake.parked() >= 2);
    await fetch(`${fake.agents[0]!.url}/v1/agent/check/fail/service:api-1?note=down`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR } });
    expect((await next).done).toBe(false);
    ac.abort();
  });
});
