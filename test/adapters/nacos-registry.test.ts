import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NacosAdapter } from '../../src/adapters/nacos/index.js';
import { exitCodeOf } from '../../src/core/errors.js';
import type { ServiceRef } from '../../src/core/registry.js';
import { NACOS_VERSIONS, type NacosEndpoint } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';
import { adapterFor, closeAdapters, eventually, failure, isV3, raw } from './nacos-support.js';

/**
 * The Nacos registry backend against real Nacos 2.3.2, 2.5.1 and 3.0.3 (auth on), each version in
 * namespaces of its own. What opsdeck reports is checked against the server's own client list
 * (`/v1/ns/instance/list`, which hides disabled instances) read without opsdeck.
 */

beforeAll(() => {
  for (const v of NACOS_VERSIONS) sharedNacos(v).catch(() => {});
});
afterAll(() => closeAdapters());

describe.each(NACOS_VERSIONS)('Nacos %s registry', (version) => {
  let s: NacosEndpoint;
  let token: string;
  let ns: string;
  let a: NacosAdapter;

  beforeAll(async () => {
    s = await sharedNacos(version);
    token = await nacosToken(s);
    ns = await nacosNamespace(s, token, 'registry');
    a = await adapterFor(s);
  }, 25 * 60_000);

  /** The addresses the server's client API hands applications (enabled instances only). */
  const clientList = async (service: string, group: string): Promise<string[]> => {
    const r = await raw(s, token, 'GET', '/v1/ns/instance/list', { serviceName: service, groupName: group, namespaceId: ns });
    const hosts = (JSON.parse(r.text) as { hosts: Array<{ ip: string; port: number }> }).hosts;
    return hosts.map((h) => `${h.ip}:${h.port}`).sort();
  };
  const orders: () => ServiceRef = () => ({ scope: { namespace: ns, group: 'G1' }, name: 'orders' });

  it('registers a persistent instance and reads it back: id, weight, metadata, health, cluster, ephemeral', async () => {
    const detail = await a.registry.register!(orders(), { ip: '10.30.0.1', port: 8080, weight: 2, metadata: { zone: 'a' }, ephemeral: false, cluster: 'c1' });
    expect(detail).toMatchObject({ backend: 'nacos-test', namespace: ns, group: 'G1', name: 'orders' });
    expect(detail.instances).toEqual([
      expect.objectContaining({ id: '10.30.0.1#8080#c1#G1@@orders', ip: '10.30.0.1', port: 8080, health: 'passing', traffic: 'enabled', weight: 2, ephemeral: false, cluster: 'c1', metadata: { zone: 'a' }, healthy: true, enabled: true, status: null }),
    ]);
    expect(await eventually(() => clientList('orders', 'G1'), (l) => l.length === 1)).toEqual(['10.30.0.1:8080']);
    const again = await a.registry.getService(orders());
    expect(again.instances.map((i) => i.id)).toEqual(['10.30.0.1#8080#c1#G1@@orders']);
  });

  it('drains an instance: opsdeck still lists it, disabled, and counts it; the client list hides it; undrain brings it back', async () => {
    const drained = await a.registry.setTraffic!(orders(), '10.30.0.1:8080', 'disabled');
    const inst = drained.instances[0]!;
    expect(inst).toMatchObject({ traffic: 'disabled', enabled: false, weight: 2, metadata: { zone: 'a' } });
    expect(await eventually(() => clientList('orders', 'G1'), (l) => l.length === 0)).toEqual([]);
    expect((await a.registry.getService(orders())).instances.map((i) => i.traffic)).toEqual(['disabled']);
    const rows = await a.registry.listServices({ scope: { namespace: ns } });
    expect(rows.find((r) => r.name === 'orders')).toEqual({ backend: 'nacos-test', namespace: ns, group: 'G1', name: 'orders', instances: 1, healthy: 1, disabled: 1 });
    const back = await a.registry.setTraffic!(orders(), inst.id, 'enabled');
    expect(back.instances[0]).toMatchObject({ traffic: 'enabled', weight: 2, metadata: { zone: 'a' } });
    expect(await eventually(() => clientList('orders', 'G1'), (l) => l.length === 1)).toEqual(['10.30.0.1:8080']);
  });

  it('sets the weight without touching the traffic state (Nacos resets what an update leaves out)', async () => {
    await a.registry.setTraffic!(orders(), '10.30.0.1:8080', 'disabled');
    const d = await a.registry.setWeight!(orders(), '10.30.0.1:8080', 5);
    expect(d.instances[0]).toMatchObject({ weight: 5, traffic: 'disabled', metadata: { zone: 'a' } });
    const e = await a.registry.setTraffic!(orders(), '10.30.0.1:8080', 'enabled');
    expect(e.instances[0]).toMatchObject({ weight: 5, traffic: 'enabled' });
  });

  it('metadata: set merges, a key opsdeck added can be removed, and a key the persistent instance registered too (by registering it again)', async () => {
    const set = await a.registry.updateMetadata!(orders(), '10.30.0.1:8080', { set: { owner: 'ops', zone: 'b' }, remove: [] });
    expect(set.instances[0]!.metadata).toEqual({ zone: 'b', owner: 'ops' });
    expect(set.instances[0]).toMatchObject({ weight: 5, traffic: 'enabled' });
    const removed = await a.registry.updateMetadata!(orders(), '10.30.0.1:8080', { set: { zone: 'a' }, remove: ['owner'] });
    expect(removed.instances[0]!.metadata).toEqual({ zone: 'a' });
    const gone = await a.registry.updateMetadata!(orders(), '10.30.0.1:8080', { set: {}, remove: ['zone'] });
    expect(gone.instances[0]!.metadata).toEqual({});
    expect(gone.instances[0]).toMatchObject({ weight: 5, traffic: 'enabled', cluster: 'c1', ephemeral: false });
  });

  it('shows the server\'s refusal verbatim: an ephemeral instance in a service of persistent ones', async () => {
    const e = await failure(a.registry.register!(orders(), { ip: '10.30.0.2', port: 8080, metadata: {}, ephemeral: true }));
    expect(e.kind).toBe('backend');
    expect(e.message).toMatch(/refused to register 10\.30\.0\.2:8080 in service orders \(namespace t-registry-\w+, group G1\) \(HTTP \d+\): .*persistent service, can't register ephemeral instance/);
    expect((await a.registry.getService(orders())).instances).toHaveLength(1);
  });

  it('names what is unknown: a service, an instance, a namespace', async () => {
    const svc = await failure(a.registry.getService({ scope: { namespace: ns, group: 'G1' }, name: 'nosuch' }));
    expect([svc.kind, exitCodeOf(svc.kind)]).toEqual(['not-found', 1]);
    expect(svc.message).toBe(`service nosuch (namespace ${ns}, group G1) not found on Nacos at ${s.url}`);
    const inst = await failure(a.registry.setTraffic!(orders(), '10.99.0.1:1', 'disabled'));
    expect(inst.kind).toBe('not-found');
    expect(inst.message).toContain('instance 10.99.0.1:1 not found in service orders');
    const space = await failure(a.registry.listServices({ scope: { namespace: `${ns}x` } }));
    expect(space.kind).toBe('not-found');
    expect(space.message).toBe(`namespace ${ns}x does not exist on Nacos at ${s.url}`);
    expect(space.hint).toContain(`did you mean ${ns}?`);
  });

  it('deregisters a persistent instance; the emptied service stays listed with no instances', async () => {
    await a.registry.deregister!(orders(), '10.30.0.1#8080#c1#G1@@orders');
    expect((await a.registry.getService(orders())).instances).toEqual([]);
    expect(await eventually(() => clientList('orders', 'G1'), (l) => l.length === 0)).toEqual([]);
    const row = (await a.registry.listServices({ scope: { namespace: ns, group: 'G1' }, text: 'ORD' })).find((r) => r.name === 'orders');
    expect(row).toMatchObject({ instances: 0, healthy: 0, disabled: 0 });
  });

  it('an ephemeral instance takes heartbeats and deregisters; a persistent one takes none', async () => {
    const ref = { scope: { namespace: ns }, name: 'eph' };
    const d = await a.registry.register!(ref, { ip: '10.30.1.1', port: 9000, metadata: { v: '1' }, ephemeral: true });
    expect(d).toMatchObject({ group: 'DEFAULT_GROUP' });
    expect(d.instances[0]).toMatchObject({ ephemeral: true, id: expect.stringContaining('10.30.1.1#9000#DEFAULT#DEFAULT_GROUP@@eph') });
    await a.registry.heartbeat!(ref, '10.30.1.1:9000');
    await a.registry.deregister!(ref, '10.30.1.1:9000');
    const gone = await failure(a.registry.heartbeat!(ref, '10.30.1.1:9000'));
    expect(gone.kind).toBe('not-found');
    await a.registry.register!(orders(), { ip: '10.30.0.3', port: 80, metadata: {}, ephemeral: false });
    const persistent = await failure(a.registry.heartbeat!(orders(), '10.30.0.3:80'));
    expect(persistent.kind).toBe('unsupported');
    expect(persistent.message).toContain('is persistent');
  });

  it('resolves a namespace by its show name, and lists namespaces with id, name and description (public as "public")', async () => {
    const id = `t-show-${randomBytes(4).toString('hex')}`;
    const name = `Show ${id.slice(-8)}`;
    const form: Record<string, string> = isV3(s) ? { namespaceId: id, namespaceName: name, namespaceDesc: 'for opsdeck' } : { customNamespaceId: id, namespaceName: name, namespaceDesc: 'for opsdeck' };
    expect((await raw(s, token, 'POST', isV3(s) ? '/v3/admin/core/namespace' : '/v1/console/namespaces', form)).status).toBe(200);
    const fresh = await adapterFor(s);
    const list = await fresh.registry.listScope!('namespace');
    expect(list).toContainEqual({ id, name, description: 'for opsdeck' });
    expect(list[0]).toMatchObject({ id: 'public', name: 'public' });
    await fresh.registry.register!({ scope: { namespace: name }, name: 'by-name' }, { ip: '10.30.2.1', port: 1, metadata: {}, ephemeral: false });
    const rows = await fresh.registry.listServices({ scope: { namespace: id } });
    expect(rows.map((r) => [r.namespace, r.name])).toEqual([[id, 'by-name']]);
    // The public namespace is "public" whatever the server calls it ("" on 2.x).
    const pub = await fresh.registry.getService({ scope: {}, name: `nosuch-${id}` }).catch((e: Error) => e.message);
    expect(pub).toContain('(namespace public, group DEFAULT_GROUP) not found');
  });

  it('pages through more services than a page holds, and says when maxServices cut a listing short', async () => {
    const space = await nacosNamespace(s, token, 'paging');
    const names = Array.from({ length: 250 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
    const path = isV3(s) ? '/v3/admin/ns/instance' : '/v1/ns/instance';
    for (let i = 0; i < names.length; i += 25) {
      await Promise.all(names.slice(i, i + 25).map(async (n, j) => {
        const r = await raw(s, token, 'POST', path, { serviceName: n, groupName: j % 2 ? 'GA' : 'GB', namespaceId: space, ip: '10.40.0.1', port: String(1000 + i + j), ephemeral: 'false' });
        expect(r.status).toBe(200);
      }));
    }
    const paged = await adapterFor(s, { pageSize: 100 });
    const progress: number[] = [];
    const all = await eventually(() => paged.registry.listServices({ scope: { namespace: space } }, { onProgress: (n) => progress.push(n) }), (r) => r.length === 250);
    expect(all.map((r) => r.name).sort()).toEqual(names);
    expect(all.every((r) => r.instances === 1 && r.disabled === 0)).toBe(true);
    expect(Math.max(...progress)).toBe(250);
    const bounded = await adapterFor(s, { pageSize: 40, maxServices: 90 });
    const why: string[] = [];
    const cut = await bounded.registry.listServices({ scope: { namespace: space } }, { onIncomplete: (w, by) => why.push(`${by}: ${w}`) });
    expect(cut).toHaveLength(90);
    expect(why).toEqual(['limit: listed the first 90 services only (maxServices in the profile)']);
    const group = await paged.registry.listServices({ scope: { namespace: space, group: 'GA' } });
    expect(group.map((r) => r.name).sort()).toEqual(names.filter((_, i) => (i % 25) % 2 === 1));
    expect(new Set(group.map((r) => r.group))).toEqual(new Set(['GA']));
  });

  it('pages through the instances of one service', async () => {
    const ref = { scope: { namespace: ns }, name: 'wide' };
    const path = isV3(s) ? '/v3/admin/ns/instance' : '/v1/ns/instance';
    await Promise.all(Array.from({ length: 7 }, (_, i) => raw(s, token, 'POST', path, { serviceName: 'wide', namespaceId: ns, ip: `10.50.0.${i + 1}`, port: '80', ephemeral: 'false' })));
    const paged = await adapterFor(s, { pageSize: 3 });
    const d = await eventually(() => paged.registry.getService(ref), (x) => x.instances.length === 7);
    expect(d.instances.map((i) => i.ip).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `10.50.0.${i + 1}`));
  });
});
