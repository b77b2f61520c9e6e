import { describe, expect, it } from 'vitest';
import { addressOf, DRIFT_KINDS, joinDrift, type DriftQuestion, type MetricsReading, type RegistryReading } from '../../src/core/drift.js';
import type { InstanceView } from '../../src/core/registry.js';

const NOW = Date.parse('2026-12-07T10:00:00Z');

function inst(address: string, o: Partial<InstanceView> = {}): InstanceView {
  const i = address.lastIndexOf(':');
  const ip = address.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(i + 1));
  const health = o.health ?? 'passing';
  const traffic = o.traffic ?? 'enabled';
  return {
    id: address, ip, port, health, traffic, status: null, statusOverride: null, weight: null, ephemeral: null, cluster: null,
    metadata: {}, tags: [], urls: {}, lastHeartbeat: null, lease: null, ...o, healthy: health === 'passing', enabled: traffic === 'enabled',
  };
}

const reg = (name: string, services: Record<string, InstanceView[]>, complete = true, scope: Record<string, string> = {}): RegistryReading => ({
  name,
  complete,
  services: Object.entries(services).map(([n, instances]) => ({ name: n, scope, instances })),
});

const up = (instance: string, job: string, value: number) => ({ labels: { __name__: 'up', instance, job }, value });
const prom = (series: MetricsReading['series'], complete = true): MetricsReading => ({ name: 'prometheus', complete, series });

function ask(q: Partial<DriftQuestion>): ReturnType<typeof joinDrift> {
  return joinDrift({ registries: [], metrics: null, labels: { service: 'job', instance: 'instance' }, now: NOW, ...q });
}

describe('joinDrift', () => {
  it('agreeing sources give no rows and nothing unjudged', () => {
    const a = ask({
      registries: [reg('embedded', { orders: [inst('10.0.0.1:8080')] }), reg('eureka', { ORDERS: [inst('10.0.0.2:8080')] })],
      metrics: prom([up('10.0.0.1:8080', 'orders', 1), up('10.0.0.2:8080', 'orders', 1)]),
    });
    expect(a).toEqual({ rows: [], unjudged: [] });
  });

  it('service-missing: a service in one registry but not another, names compared without case (Eureka upper-cases)', () => {
    const a = ask({ registries: [reg('embedded', { orders: [inst('10.0.0.1:8080')], cart: [] }, true, { namespace: 'public' }), reg('eureka', { ORDERS: [inst('10.0.0.1:8080')] })] });
    expect(a.rows).toEqual([
      {
        kind: 'service-missing',
        service: 'cart',
        instance: null,
        disagree: [
          { source: 'embedded', says: 'registers cart (namespace public) with 0 instances' },
          { source: 'eureka', says: 'has no such service' },
        ],
        message: 'cart is registered in embedded but not in eureka',
      },
    ]);
  });

  it('service-missing: a registry read in part is not taken as lacking anything, and the kind says it was not judged in full', () => {
    const a = ask({ registries: [reg('embedded', { orders: [], cart: [] }), reg('eureka', {}, false), reg('nacos', { orders: [] })] });
    expect(a.rows.map((r) => [r.service, r.disagree.map((d) => d.source)])).toEqual([['cart', ['embedded', 'nacos']]]);
    expect(a.unjudged[0]).toEqual({ kind: 'service-missing', reason: 'eureka could not be read whole, so a service missing from it is not reported' });
  });

  it('service-missing needs two registries', () => {
    expect(ask({ registries: [reg('embedded', { orders: [] })] }).rows).toEqual([]);
  });

  it('not-scraped: a registered instance with no up series at its address', () => {
    const a = ask({ registries: [reg('embedded', { orders: [inst('10.0.0.1:8080'), inst('10.0.0.2:8080')] })], metrics: prom([up('10.0.0.1:8080', 'orders', 1)]) });
    expect(a.rows).toEqual([
      {
        kind: 'not-scraped',
        service: 'orders',
        instance: '10.0.0.2:8080',
        disagree: [
          { source: 'embedded', says: 'registers it, passing' },
          { source: 'prometheus', says: 'has no up series with instance="10.0.0.2:8080"' },
        ],
        message: 'orders 10.0.0.2:8080 is registered in embedded but prometheus does not scrape it',
      },
    ]);
  });

  it('not-scraped is not judged when Prometheus answered in part or the profile has none', () => {
    const registries = [reg('embedded', { orders: [inst('10.0.0.2:8080')] })];
    const partial = ask({ registries, metrics: prom([], false) });
    expect(partial.rows).toEqual([]);
    expect(partial.unjudged.map((u) => u.kind)).toEqual(['not-scraped', 'not-registered', 'healthy-but-down']);
    const none = ask({ registries });
    expect(none.rows).toEqual([]);
    expect(none.unjudged).toEqual(['not-scraped', 'not-registered', 'healthy-but-down'].map((kind) => ({ kind, reason: 'the profile has no metrics backend' })));
  });

  it('not-registered: a scraped target no registry has, once per address and job', () => {
    const a = ask({ registries: [reg('embedded', { orders: [inst('10.0.0.1:8080')] }), reg('eureka', { ORDERS: [inst('10.0.0.1:8080')] })], metrics: prom([up('10.0.0.1:8080', 'orders', 1), up('10.0.0.9:8080', 'orders', 0), { labels: { instance: '10.0.0.9:8080', job: 'orders', extra: 'x' }, value: 0 }]) });
    expect(a.rows).toEqual([
      {
        kind: 'not-registered',
        service: 'orders',
        instance: '10.0.0.9:8080',
        disagree: [
          { source: 'prometheus', says: 'scrapes it: up == 0 (job orders)' },
          { source: 'embedded', says: 'has no instance at this address' },
          { source: 'eureka', says: 'has no instance at this address' },
        ],
        message: 'prometheus scrapes 10.0.0.9:8080 (job orders), which no registry has',
      },
    ]);
  });

  it('not-registered is not judged while a registry was read in part (the target may be in it)', () => {
    const a = ask({ registries: [reg('embedded', {}), reg('eureka', {}, false)], metrics: prom([up('10.0.0.9:8080', 'orders', 1)]) });
    expect(a.rows.filter((r) => r.kind === 'not-registered')).toEqual([]);
    expect(a.unjudged).toContainEqual({ kind: 'not-registered', reason: 'eureka could not be read whole, so a target missing from it is not reported' });
  });

  it('healthy-but-down: passing and in traffic while up == 0; a drained or critical instance is not', () => {
    const a = ask({
      registries: [reg('embedded', { orders: [inst('10.0.0.1:8080'), inst('10.0.0.2:8080', { traffic: 'disabled' }), inst('10.0.0.3:8080', { health: 'critical' })] })],
      metrics: prom([up('10.0.0.1:8080', 'orders', 0), up('10.0.0.2:8080', 'orders', 0), up('10.0.0.3:8080', 'orders', 0)]),
    });
    expect(a.rows).toEqual([
      {
        kind: 'healthy-but-down',
        service: 'orders',
        instance: '10.0.0.1:8080',
        disagree: [
          { source: 'embedded', says: 'marks it passing, in traffic' },
          { source: 'prometheus', says: 'up == 0 (job orders)' },
        ],
        message: 'orders 10.0.0.1:8080 is passing in embedded, so clients are sent to it, but its scrape fails (up == 0)',
      },
    ]);
  });

  it("healthy-but-down: of several series at one address, those labelled with the instance's service count", () => {
    const registries = [reg('embedded', { orders: [inst('10.0.0.1:8080')] })];
    expect(ask({ registries, metrics: prom([up('10.0.0.1:8080', 'orders', 1), up('10.0.0.1:8080', 'blackbox', 0)]) }).rows).toEqual([]);
    expect(ask({ registries, metrics: prom([up('10.0.0.1:8080', 'orders-api', 1), up('10.0.0.1:8080', 'blackbox', 0)]) }).rows.map((r) => r.kind)).toEqual(['healthy-but-down']);
  });

  it('healthy-but-down is still found in a partial Prometheus answer (a series seen is evidence)', () => {
    const a = ask({ registries: [reg('embedded', { orders: [inst('10.0.0.1:8080')] })], metrics: prom([up('10.0.0.1:8080', 'orders', 0)], false) });
    expect(a.rows.map((r) => r.kind)).toEqual(['healthy-but-down']);
  });

  it('expired-kept: listed although the lease ran out, with what Prometheus says of it', () => {
    const expired = inst('10.0.0.1:8080', { health: 'critical', lease: { durationMs: 2000, expiresAt: new Date(NOW - 90_000).toISOString() } });
    const fresh = inst('10.0.0.2:8080', { lease: { durationMs: 90_000, expiresAt: new Date(NOW + 30_000).toISOString() } });
    const a = ask({ registries: [reg('eureka', { ORDERS: [expired, fresh] })], metrics: prom([up('10.0.0.1:8080', 'orders', 0), up('10.0.0.2:8080', 'orders', 1)]) });
    expect(a.rows).toEqual([
      {
        kind: 'expired-kept',
        service: 'ORDERS',
        instance: '10.0.0.1:8080',
        disagree: [
          { source: 'eureka', says: 'still lists it; its lease ran out 1m30s ago' },
          { source: 'prometheus', says: 'up == 0 (job orders)' },
        ],
        message: 'ORDERS 10.0.0.1:8080 is still handed to clients by eureka although its lease ran out 1m30s ago',
      },
    ]);
    // Without metrics the registry's own word is enough.
    expect(ask({ registries: [reg('eureka', { ORDERS: [expired] })] }).rows[0]!.disagree).toEqual([{ source: 'eureka', says: 'still lists it; its lease ran out 1m30s ago' }]);
  });

  it('every kind at once, in the documented order, then --ignore and --service', () => {
    const expired = inst('10.0.0.5:8080', { health: 'critical', lease: { durationMs: 2000, expiresAt: new Date(NOW - 5000).toISOString() } });
    const q: Partial<DriftQuestion> = {
      registries: [reg('embedded', { orders: [inst('10.0.0.1:8080'), inst('10.0.0.2:8080')], cart: [inst('10.0.0.3:8080')] }), reg('eureka', { ORDERS: [expired] })],
      metrics: prom([up('10.0.0.1:8080', 'orders', 0), up('10.0.0.3:8080', 'cart', 1), up('10.0.0.5:8080', 'orders', 0), up('10.0.0.7:8080', 'cart', 1)]),
    };
    const all = ask(q);
    expect(all.rows.map((r) => [r.kind, r.service, r.instance])).toEqual([
      ['service-missing', 'cart', null],
      ['not-scraped', 'orders', '10.0.0.2:8080'],
      ['not-registered', 'cart', '10.0.0.7:8080'],
      ['healthy-but-down', 'orders', '10.0.0.1:8080'],
      ['expired-kept', 'ORDERS', '10.0.0.5:8080'],
    ]);
    expect(new Set(all.rows.map((r) => r.kind))).toEqual(new Set(DRIFT_KINDS));
    expect(ask({ ...q, ignore: ['service-missing', 'not-registered'] }).rows.map((r) => r.kind)).toEqual(['not-scraped', 'healthy-but-down', 'expired-kept']);
    expect(ask({ ...q, service: 'Cart' }).rows.map((r) => [r.kind, r.instance])).toEqual([['service-missing', null], ['not-registered', '10.0.0.7:8080']]);
    expect(ask({ ...q, service: 'orders' }).rows.map((r) => r.kind)).toEqual(['not-scraped', 'healthy-but-down', 'expired-kept']);
  });

  it('an ignored kind is neither judged nor listed as unjudged', () => {
    expect(ask({ registries: [reg('embedded', {})], ignore: ['not-scraped', 'not-registered', 'healthy-but-down'] }).unjudged).toEqual([]);
  });

  it('IPv6 addresses are written as Prometheus writes them', () => {
    expect(addressOf({ ip: '::1', port: 9000 })).toBe('[::1]:9000');
    const a = ask({ registries: [reg('embedded', { orders: [inst('[::1]:9000')] })], metrics: prom([up('[::1]:9000', 'orders', 1)]) });
    expect(a.rows).toEqual([]);
  });

  it('the service and instance labels come from the question', () => {
    const a = joinDrift({
      registries: [reg('embedded', { orders: [inst('10.0.0.1:8080')] })],
      metrics: prom([{ labels: { target: '10.0.0.1:8080', app: 'orders' }, value: 0 }]),
      labels: { service: 'app', instance: 'target' },
      now: NOW,
    });
    expect(a.rows.map((r) => [r.kind, r.disagree[1]!.says])).toEqual([['healthy-but-down', 'up == 0 (app orders)']]);
  });
});
