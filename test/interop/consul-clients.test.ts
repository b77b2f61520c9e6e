import { join, resolve } from 'node:path';
import Consul from 'consul';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsulFake, type ConsulFake, type RecordedRequest } from '../servers/consul-fake.js';
import { buildJar, LineProcess } from './support.js';

/*
 * Real Consul clients against opsdeck's Consul fake (test/servers/consul-fake.ts; no Consul can
 * run here). The npm `consul` client and a Spring Boot application with Spring Cloud Consul
 * discovery and config (2025.0.0 from Maven Central, test/interop/spring-consul/) register, send
 * heartbeats, read the catalog and health, use KV with cas and watch with blocking queries. Two
 * things are checked: what the fake received is what its fixtures assume (methods, paths, query
 * parameters, body fields, how the ACL token travels), and the fake's answers satisfy the clients
 * (they parse them and see the instances and values that were written). What the clients showed
 * is written down in docs/dev/consul-facts.md.
 */

const TOKEN = '0d6c2f1e-8a4b-4c3d-9e2f-7a1b5c6d8e90';
const MODULE = resolve(__dirname, 'spring-consul');
const JAR = join(MODULE, 'target', 'spring-consul-interop.jar');

let fake: ConsulFake;

beforeAll(async () => {
  fake = await startConsulFake({
    datacenters: { dc1: ['node-1', 'node-2'], dc2: ['dc2-node-1'] },
    acl: { defaultPolicy: 'deny', tokens: [{ accessorId: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924', secretId: TOKEN, rules: { key: { '': 'write' }, service: { '': 'write' }, node: { '': 'write' }, agent: { '': 'read' } } }] },
  });
});

afterAll(async () => {
  await fake?.stop();
});

/** The requests since `from` that match a method and a path (a string prefix or a pattern). */
function seen(from: number, method: string, path: string | RegExp): RecordedRequest[] {
  return fake.requests.slice(from).filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('npm consul 2.0.1', () => {
  let consul: InstanceType<typeof Consul>;
  beforeAll(() => {
    consul = new Consul({ host: '127.0.0.1', port: fake.port, defaults: { token: TOKEN } });
  });
  afterAll(() => consul?.destroy());

  it('registers a service with a TTL check in the documented shape, and the catalog and health show it', async () => {
    const from = fake.requests.length;
    await consul.agent.service.register({
      name: 'orders',
      id: 'orders-1',
      tags: ['v1', 'node'],
      address: '127.0.0.1',
      port: 7001,
      meta: { owner: 'payments' },
      check: { ttl: '15s', notes: 'heartbeat from the app' },
    } as any);
    const [reg] = seen(from, 'PUT', '/v1/agent/service/register');
    expect(reg).toBeDefined();
    // PascalCase fields, one Check object, the token in X-Consul-Token: what the fake's reader and
    // the fixtures' registration scenario assume.
    expect(reg!.body).toEqual({ Name: 'orders', ID: 'orders-1', Tags: ['v1', 'node'], Meta: { owner: 'payments' }, Address: '127.0.0.1', Port: 7001, Check: { TTL: '15s', Notes: 'heartbeat from the app' } });
    expect(reg!.tokenVia).toBe('x-consul-token');
    expect(reg!.contentType).toMatch(/^application\/json/);

    await consul.agent.check.pass({ id: 'service:orders-1', note: 'ok' });
    const [pass] = seen(from, 'PUT', '/v1/agent/check/pass/service:orders-1');
    expect(pass!.query).toEqual({ note: ['ok'] });

    const nodes = await consul.catalog.service.nodes('orders');
    expect(nodes.map((n: any) => [n.Node, n.ServiceID, n.ServiceAddress, n.ServicePort, n.ServiceTags])).toEqual([['node-1', 'orders-1', '127.0.0.1', 7001, ['v1', 'node']]]);
    const health = await consul.health.service({ service: 'orders', passing: true });
    expect(health).toHaveLength(1);
    expect(health[0].Checks.map((c: any) => [c.CheckID, c.Status, c.Output])).toEqual([
      ['service:orders-1', 'passing', 'ok'],
      ['serfHealth', 'passing', 'Agent alive and reachable'],
    ]);
    expect(seen(from, 'GET', '/v1/health/service/orders')[0]!.query).toEqual({ passing: ['true'] });
  });

  it('maintenance through the owning agent hides the instance from ?passing; another agent refuses with 404', async () => {
    const other = new Consul({ host: fake.agents[1]!.address, port: fake.port, defaults: { token: TOKEN } });
    const from = fake.requests.length;
    const refused: any = await other.agent.service.maintenance({ id: 'orders-1', enable: true, reason: 'drain' }).catch((e) => e);
    expect(refused.statusCode).toBe(404);
    // papi makes a text body the error message only when it is under 80 characters; this one is
    // longer, so the message is the status text and the reason is only in the response body.
    expect(refused.message).toBe('not found');
    expect(String(refused.response.body)).toBe('Unknown service ID "orders-1". Ensure that the service ID is passed, not the service name.');
    other.destroy();
    await consul.agent.service.maintenance({ id: 'orders-1', enable: true, reason: 'drain for deploy' });
    const [m] = seen(from, 'PUT', '/v1/agent/service/maintenance/orders-1').filter((r) => r.agent === 'node-1');
    expect(m!.query).toEqual({ enable: ['true'], reason: ['drain for deploy'] });
    expect(await consul.health.service({ service: 'orders', passing: true })).toEqual([]);
    const all = await consul.health.service('orders');
    expect(all[0].Checks.find((c: any) => c.CheckID === '_service_maintenance:orders-1')).toMatchObject({ Status: 'critical', Notes: 'drain for deploy', Type: 'maintenance' });
    await consul.agent.service.maintenance({ id: 'orders-1', enable: false });
    expect(await consul.health.service({ service: 'orders', passing: true })).toHaveLength(1);
  });

  it('KV: cas=0 creates once, a stale cas is refused, recurse and keys decode, delete with cas', async () => {
    const from = fake.requests.length;
    expect(await consul.kv.set({ key: 'app/orders/limit', value: '10', cas: 0 })).toBe(true);
    // Consul answers a failed cas with HTTP 200 `false`; the client's HTTP layer (papi) drops falsy
    // results, so the caller gets undefined, not false. The raw answer is checked below.
    expect(await consul.kv.set({ key: 'app/orders/limit', value: '11', cas: 0 })).toBeUndefined();
    const raw = await fetch(`${fake.url}/v1/kv/app/orders/limit?cas=0`, { method: 'PUT', body: '11', headers: { 'X-Consul-Token': TOKEN } });
    expect([raw.status, await raw.text()]).toEqual([200, 'false']);
    const cur = (await consul.kv.get('app/orders/limit')) as any;
    expect(cur).toMatchObject({ Key: 'app/orders/limit', Value: '10', Flags: 0 });
    expect(await consul.kv.set({ key: 'app/orders/limit', value: '12', cas: cur.ModifyIndex - 1 })).toBeUndefined();
    expect(await consul.kv.set({ key: 'app/orders/limit', value: '12', cas: cur.ModifyIndex })).toBe(true);
    await consul.kv.set({ key: 'app/orders/feature/x', value: 'on', flags: 7 });
    const all = (await consul.kv.get({ key: 'app/orders/', recurse: true })) as any[];
    expect(all.map((e: any) => [e.Key, e.Value, e.Flags])).toEqual([
      ['app/orders/feature/x', 'on', 7],
      ['app/orders/limit', '12', 0],
    ]);
    expect(await consul.kv.keys({ key: 'app/orders/', separator: '/' })).toEqual(['app/orders/feature/', 'app/orders/limit']);
    expect(await consul.kv.get('app/orders/absent')).toBeUndefined();

    // The client sends the value as the raw body and cas as a query parameter, as the fixtures assume.
    const puts = seen(from, 'PUT', /^\/v1\/kv\//);
    expect(puts.slice(0, 2).map((r) => [r.query, r.body])).toEqual([
      [{ cas: ['0'] }, 10],
      [{ cas: ['0'] }, 11],
    ]);
    expect(seen(from, 'GET', '/v1/kv/app/orders/')[0]!.query).toEqual({ recurse: ['true'] });
    expect(seen(from, 'GET', '/v1/kv/app/orders/').at(-1)!.query).toEqual({ keys: ['true'], separator: ['/'] });

    const latest = ((await consul.kv.get('app/orders/limit')) as any).ModifyIndex;
    expect(await consul.kv.del({ key: 'app/orders/limit', cas: latest - 1 })).toBeUndefined();
    expect(await consul.kv.del({ key: 'app/orders/limit', cas: latest })).toBe(true);
    expect(await consul.kv.get('app/orders/limit')).toBeUndefined();
  });

  it('a watch blocks on X-Consul-Index and sees the change; it resets when the index goes backwards', async () => {
    const changes: any[] = [];
    const before = fake.snapshot();
    const from = fake.requests.length;
    const watch = consul.watch({ method: consul.kv.get, options: { key: 'app/watched', wait: '2s' } as any });
    watch.on('change', (data: any) => changes.push(data));
    watch.on('error', () => undefined);
    await until('the watch to block', () => fake.parked() >= 1 || undefined);
    await consul.kv.set('app/watched', 'one');
    await until('the first change', () => changes.find((c) => c?.Value === 'one'));
    const blocked = seen(from, 'GET', '/v1/kv/app/watched').filter((r) => r.query.index);
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked[0]!.query.wait).toEqual(['2s']);

    // A snapshot restore lowers the index: the client must start over from 0 and still see later writes.
    await until('the watch to block again', () => fake.parked() >= 1 || undefined);
    const mark = fake.requests.length;
    fake.restore(before);
    await until('a request with index 0 after the restore', () => seen(mark, 'GET', '/v1/kv/app/watched').some((r) => r.query.index?.[0] === '0') || undefined);
    await consul.kv.set('app/watched', 'two');
    await until('the change after the reset', () => changes.find((c) => c?.Value === 'two'));
    watch.end();
  });

  it('reads another datacenter with ?dc= and reports an unknown one as the 500 Consul gives', async () => {
    expect(await consul.catalog.service.list({ dc: 'dc2' })).toEqual({ consul: [] });
    const failed = consul.catalog.service.list({ dc: 'dc9' });
    await expect(failed).rejects.toThrow('No path to datacenter');
    await expect(failed).rejects.toMatchObject({ statusCode: 500 });
  });

  it('a wrong token is refused with 403 "ACL not found"', async () => {
    const bad = new Consul({ host: '127.0.0.1', port: fake.port, defaults: { token: 'not-a-token' } });
    await expect(bad.kv.get('app/watched')).rejects.toThrow('consul: kv.get: ACL not found');
    await expect(bad.kv.get('app/watched')).rejects.toMatchObject({ statusCode: 403 });
    bad.destroy();
  });
});

describe('Spring Cloud Consul 4.3.0 (Spring Cloud 2025.0.0, Boot 3.5.7)', () => {
  let app: LineProcess;
  let ready: { instanceId: string; port: number };
  let from: number;
  const consul = () => new Consul({ host: '127.0.0.1', port: fake.port, defaults: { token: TOKEN } });

  beforeAll(async () => {
    buildJar(MODULE, JAR);
    const c = consul();
    await c.kv.set('config/opsdeck-spring-app/opsdeck.greeting', 'hello');
    c.destroy();
    from = fake.requests.length;
    app = new LineProcess('spring-consul', 'java', [
      '-jar',
      JAR,
      `--spring.cloud.consul.port=${fake.port}`,
      `--spring.cloud.consul.discovery.acl-token=${TOKEN}`,
      `--spring.cloud.consul.config.acl-token=${TOKEN}`,
      '--spring.cloud.consul.discovery.instance-id=spring-1',
    ]);
    const started = Date.now();
    ready = await app.next('READY', 150_000);
    // Not asserted (no timing assertions in tests); printed so a run shows what the JVM costs.
    console.log(`spring-consul app ready in ${Date.now() - started} ms`);
  }, 200_000);

  afterAll(async () => {
    await app?.kill();
  });

  it('registers itself with a TTL check in the shape the fixtures assume, and its heartbeats turn the check passing', async () => {
    const [reg] = seen(from, 'PUT', '/v1/agent/service/register');
    expect(reg!.body).toEqual({
      ID: 'spring-1',
      Name: 'opsdeck-spring-app',
      Tags: ['interop', 'spring'],
      Address: '127.0.0.1',
      Meta: { team: 'opsdeck', secure: 'false' },
      Port: ready.port,
      Check: { TTL: '3s' },
    });
    // Spring Cloud Consul's client (ecwid consul-api) sends the ACL token as ?token=, the form
    // Consul's docs discourage because it lands in access logs; the fake must accept it.
    expect(reg!.tokenVia).toBe('query');
    const beats = await until('two heartbeats', () => {
      const b = seen(from, 'PUT', '/v1/agent/check/pass/service:spring-1');
      return b.length >= 2 ? b : undefined;
    });
    expect(beats.every((b) => b.tokenVia === 'query' && b.agent === 'node-1')).toBe(true);
    const c = consul();
    const health = await c.health.service({ service: 'opsdeck-spring-app', passing: true });
    c.destroy();
    expect(health.map((e: any) => [e.Service.ID, e.Service.Port, e.Checks[0].CheckID, e.Checks[0].Type])).toEqual([['spring-1', ready.port, 'service:spring-1', 'ttl']]);
  });

  it('discovers what npm consul registered, and stops seeing it in maintenance (it asks for ?passing)', { timeout: 120_000 }, async () => {
    // Each ask is a fresh discovery call; under load the app may need a few to see the change.
    const instances = async () => (await app.request('instances orders', 'INSTANCES')).instances as any[];
    const poll = { timeout: 30_000, interval: 250 };
    // orders-1's TTL check (15 s) was passed when it registered; the Spring app may have taken longer
    // than that to start on a loaded machine, so heartbeat it now, as its owner would.
    const beat = consul();
    await beat.agent.check.pass({ id: 'service:orders-1', note: 'ok' });
    beat.destroy();
    await expect.poll(async () => (await instances()).map((i) => [i.instanceId, i.host, i.port, i.metadata.owner]), poll).toEqual([['orders-1', '127.0.0.1', 7001, 'payments']]);
    const mark = fake.requests.length;
    const c = consul();
    await c.agent.service.maintenance({ id: 'orders-1', enable: true, reason: 'interop' });
    await expect.poll(instances, poll).toEqual([]);
    await c.agent.service.maintenance({ id: 'orders-1', enable: false });
    c.destroy();
    await expect.poll(async () => (await instances()).length, poll).toBe(1);
    const reads = seen(mark, 'GET', '/v1/health/service/orders');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.query.passing !== undefined)).toBe(true);
  });

  it('watches the catalog and its KV configuration with blocking queries (index and wait) and sees a change', async () => {
    const catalog = seen(from, 'GET', '/v1/catalog/services');
    expect(catalog.some((r) => r.query.index && r.query.wait?.[0] === '2s')).toBe(true);
    expect((await app.request('config', 'CONFIG')).greeting).toBe('hello');
    const c = consul();
    await c.kv.set('config/opsdeck-spring-app/opsdeck.greeting', 'bye');
    c.destroy();
    const changed = await app.next('CHANGED', 30_000);
    expect(changed).toMatchObject({ greeting: 'bye', keys: ['opsdeck.greeting'] });
    const watches = seen(from, 'GET', '/v1/kv/config/opsdeck-spring-app/').filter((r) => r.query.index);
    expect(watches.length).toBeGreaterThan(0);
    expect(watches.every((r) => r.query.recurse !== undefined && r.query.wait?.[0] === '2s')).toBe(true);
  });

  it('deregisters on shutdown', async () => {
    const mark = fake.requests.length;
    await app.stop();
    expect(seen(mark, 'PUT', '/v1/agent/service/deregister/spring-1')).toHaveLength(1);
    const c = consul();
    expect(await c.catalog.service.nodes('opsdeck-spring-app')).toEqual([]);
    c.destroy();
  });
});
