import { afterEach, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { engineWithClock } from './fixture.js';

const orders = { namespace: 'public', group: 'DEFAULT_GROUP', service: 'orders' };
const base = { weight: 1, metadata: {}, ephemeral: false, ttlMs: 15_000 };

describe('embedded registry', () => {
  let f: ReturnType<typeof engineWithClock>;
  afterEach(() => f.cleanup());

  it('registers instances and summarises services per namespace and group', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, '10.0.0.1', 8080, { ...base, weight: 2, metadata: { zone: 'a' } });
    await r.register(orders, '10.0.0.2', 8080, base);
    await r.register({ ...orders, namespace: 'staging' }, '10.1.0.1', 8080, base);
    await r.register({ ...orders, service: 'cart' }, '10.0.0.9', 9000, base);
    expect(await r.listServices({})).toEqual([
      { namespace: 'public', group: 'DEFAULT_GROUP', name: 'cart', instances: 1, healthy: 1 },
      { namespace: 'public', group: 'DEFAULT_GROUP', name: 'orders', instances: 2, healthy: 2 },
      { namespace: 'staging', group: 'DEFAULT_GROUP', name: 'orders', instances: 1, healthy: 1 },
    ]);
    expect((await r.listServices({ namespace: 'staging' })).map((s) => s.name)).toEqual(['orders']);
    expect((await r.listServices({ text: 'CAR' })).map((s) => s.name)).toEqual(['cart']);
    const detail = await r.getService(orders);
    expect(detail.instances[0]).toEqual({ id: '10.0.0.1:8080', ip: '10.0.0.1', port: 8080, weight: 2, healthy: true, enabled: true, ephemeral: false, metadata: { zone: 'a' } });
  });

  it('marks an ephemeral instance unhealthy after its TTL and removes it after twice the TTL', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, '10.0.0.1', 8080, { ...base, ephemeral: true, ttlMs: 10_000 });
    await r.register(orders, '10.0.0.2', 8080, base);
    f.advance(10_001);
    let s = await r.getService(orders);
    expect(s.instances.find((i) => i.ip === '10.0.0.1')?.healthy).toBe(false);
    expect((await r.listServices({}))[0]).toMatchObject({ instances: 2, healthy: 1 });
    await r.heartbeat(orders, '10.0.0.1', 8080);
    expect((await r.getService(orders)).instances.find((i) => i.ip === '10.0.0.1')?.healthy).toBe(true);
    f.advance(20_001);
    s = await r.getService(orders);
    expect(s.instances.map((i) => i.ip)).toEqual(['10.0.0.2']);
    const err = await r.heartbeat(orders, '10.0.0.1', 8080).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('not-found');
  });

  it('drains and undrains, and re-registering keeps a drain', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, '10.0.0.1', 8080, base);
    expect((await r.setEnabled(orders, '10.0.0.1', 8080, false)).instances[0]!.enabled).toBe(false);
    await r.register(orders, '10.0.0.1', 8080, { ...base, weight: 5 });
    const after = (await r.getService(orders)).instances[0]!;
    expect(after).toMatchObject({ enabled: false, weight: 5 });
    expect((await r.setEnabled(orders, '10.0.0.1', 8080, true)).instances[0]!.enabled).toBe(true);
  });

  it('deregisters, and reports unknown services and instances as not found', async () => {
    f = engineWithClock();
    const r = f.engine.registry;
    await r.register(orders, '10.0.0.1', 8080, base);
    await r.deregister(orders, '10.0.0.1', 8080);
    expect(await r.listServices({})).toEqual([]);
    for (const p of [r.getService(orders), r.deregister(orders, '10.0.0.1', 8080), r.setEnabled(orders, '1.1.1.1', 1, false)]) {
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('not-found');
    }
  });

  it('keeps everything across a reopen of the data dir', async () => {
    f = engineWithClock();
    await f.engine.registry.register(orders, '10.0.0.1', 8080, { ...base, metadata: { v: '1' } });
    const again = f.reopen();
    try {
      expect((await again.registry.getService(orders)).instances[0]!.metadata).toEqual({ v: '1' });
    } finally {
      again.close();
    }
  });
});
