import { afterEach, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import type { RegisterRequest } from '../../src/core/registry.js';
import { engineWithClock } from './fixture.js';

const orders = { scope: { namespace: 'public', group: 'DEFAULT_GROUP' }, name: 'orders' };
const at = (ip: string, port: number, more: Partial<RegisterRequest> = {}): RegisterRequest => ({ ip, port, weight: 1, metadata: {}, ephemeral: false, ...more });

describe('embedded registry', () => {
  let f: ReturnType<typeof engineWithClock>;
  afterEach(() => f.cleanup());

  it('registers instances and summarises services per namespace and group', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, at('10.0.0.1', 8080, { weight: 2, metadata: { zone: 'a' } }));
    await r.register(orders, at('10.0.0.2', 8080));
    await r.register({ ...orders, scope: { namespace: 'staging' } }, at('10.1.0.1', 8080));
    await r.register({ ...orders, name: 'cart', scope: {} }, at('10.0.0.9', 9000));
    expect(await r.listServices({ scope: {} })).toEqual([
      { backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', name: 'cart', instances: 1, healthy: 1, disabled: 0 },
      { backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', name: 'orders', instances: 2, healthy: 2, disabled: 0 },
      { backend: 'embedded', namespace: 'staging', group: 'DEFAULT_GROUP', name: 'orders', instances: 1, healthy: 1, disabled: 0 },
    ]);
    expect((await r.listServices({ scope: { namespace: 'staging' } })).map((s) => s.name)).toEqual(['orders']);
    expect((await r.listServices({ scope: {}, text: 'CAR' })).map((s) => s.name)).toEqual(['cart']);
    const detail = await r.getService(orders);
    expect(detail.instances[0]).toEqual({
      id: '10.0.0.1:8080', ip: '10.0.0.1', port: 8080, health: 'passing', traffic: 'enabled', status: null, statusOverride: null, weight: 2, ephemeral: false, cluster: null,
      metadata: { zone: 'a' }, tags: [], urls: {}, lastHeartbeat: null, lease: null, healthy: true, enabled: true,
    });
  });

  it('filters by a group without a namespace, and refuses a scope kind it does not have', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register({ scope: { namespace: 'a', group: 'G1' }, name: 's' }, at('10.0.0.1', 1));
    await r.register({ scope: { namespace: 'b', group: 'G2' }, name: 's' }, at('10.0.0.2', 1));
    expect((await r.listServices({ scope: { group: 'G2' } })).map((s) => s.namespace)).toEqual(['b']);
    const err = await Promise.resolve().then(() => r.listServices({ scope: { datacenter: 'dc1' } })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'usage', message: 'the embedded backend has no datacenters' });
  });

  it('an ephemeral instance goes critical after its TTL, keeps a lease, and is removed after twice the TTL', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, at('10.0.0.1', 8080, { ephemeral: true, ttlMs: 10_000 }));
    await r.register(orders, at('10.0.0.2', 8080));
    const fresh = (await r.getService(orders)).instances[0]!;
    expect(fresh.lease).toEqual({ durationMs: 20_000, expiresAt: new Date(Date.parse('2026-01-01T00:00:00Z') + 20_000).toISOString() });
    expect(fresh.lastHeartbeat).toBe('2026-01-01T00:00:00.000Z');
    f.advance(10_001);
    let s = await r.getService(orders);
    expect(s.instances.find((i) => i.ip === '10.0.0.1')).toMatchObject({ health: 'critical', healthy: false });
    expect((await r.listServices({ scope: {} }))[0]).toMatchObject({ instances: 2, healthy: 1 });
    await r.heartbeat(orders, '10.0.0.1:8080');
    expect((await r.getService(orders)).instances.find((i) => i.ip === '10.0.0.1')?.health).toBe('passing');
    f.advance(20_001);
    s = await r.getService(orders);
    expect(s.instances.map((i) => i.ip)).toEqual(['10.0.0.2']);
    const err = await r.heartbeat(orders, '10.0.0.1:8080').catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('not-found');
  });

  it('sets traffic, weight and metadata by id, and re-registering keeps a drain', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, at('10.0.0.1', 8080, { metadata: { zone: 'a', canary: 'yes' } }));
    expect((await r.setTraffic(orders, '10.0.0.1:8080', 'disabled')).instances[0]).toMatchObject({ traffic: 'disabled', enabled: false });
    expect((await r.listServices({ scope: {} }))[0]).toMatchObject({ disabled: 1 });
    await r.register(orders, at('10.0.0.1', 8080, { weight: 5, metadata: { zone: 'a', canary: 'yes' } }));
    expect((await r.getService(orders)).instances[0]).toMatchObject({ traffic: 'disabled', weight: 5 });
    expect((await r.setTraffic(orders, '10.0.0.1:8080', 'enabled')).instances[0]!.traffic).toBe('enabled');
    expect((await r.setWeight(orders, '10.0.0.1:8080', 0.5)).instances[0]!.weight).toBe(0.5);
    expect((await r.updateMetadata(orders, '10.0.0.1:8080', { set: { zone: 'b', v: '2' }, remove: ['canary'] })).instances[0]!.metadata).toEqual({ zone: 'b', v: '2' });
  });

  it('registers an instance in a cluster', async () => {
    f = engineWithClock();
    const d = await f.engine.registry.register(orders, at('10.0.0.1', 8080, { cluster: 'eu' }));
    expect(d.instances[0]!.cluster).toBe('eu');
  });

  it('lists the namespaces and groups that hold services or configs, and the defaults', async () => {
    f = engineWithClock();
    await f.engine.registry.register({ scope: { namespace: 'staging', group: 'G' }, name: 's' }, at('10.0.0.1', 1));
    await f.engine.config.set({ scope: { namespace: 'dev' }, dataId: 'x' }, 'x', 'text', {});
    expect(await f.engine.registry.listScope('namespace')).toEqual(['dev', 'public', 'staging'].map((id) => ({ id, name: id, description: null })));
    expect((await f.engine.registry.listScope('group')).map((e) => e.id)).toEqual(['DEFAULT_GROUP', 'G']);
  });

  it('deregisters, and reports unknown services and instances as not found', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, at('10.0.0.1', 8080));
    await r.deregister(orders, '10.0.0.1:8080');
    expect(await r.listServices({ scope: {} })).toEqual([]);
    for (const p of [r.getService(orders), r.deregister(orders, '10.0.0.1:8080'), r.setTraffic(orders, '1.1.1.1:1', 'disabled')]) {
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('not-found');
    }
    expect(((await r.getService(orders).catch((e: unknown) => e)) as OpsError).message).toBe('service orders not found in namespace public, group DEFAULT_GROUP');
  });

  it('keeps everything across a reopen of the data dir', async () => {
    f = engineWithClock();
    await f.engine.registry.register(orders, at('10.0.0.1', 8080, { metadata: { v: '1' } }));
    const again = f.reopen();
    try {
      expect((await again.registry.getService(orders)).instances[0]!.metadata).toEqual({ v: '1' });
    } finally {
      again.close();
    }
  });
});
