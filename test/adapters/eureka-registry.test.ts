import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/core/errors.js';
import type { ServiceRef } from '../../src/core/registry.js';
import { eurekaAppName, sharedEureka, type EurekaEndpoint } from '../servers/eureka-server.js';
import { closeEurekaAdapters, eurekaAdapterFor, failure } from './eureka-support.js';

/**
 * The Eureka registry backend against the real server, on instances registered over REST the way
 * sidecars and non-Java clients do (the live Spring client is in eureka-cli.test.ts): what Eureka
 * lets through that a Spring client never sends (no instanceId, a status the instance reports
 * itself), re-registration keeping every field opsdeck does not read, and the errors.
 */

let server: EurekaEndpoint;

beforeAll(async () => {
  server = await sharedEureka();
}, 240_000);
afterAll(() => closeEurekaAdapters());

const adapter = (extra: Record<string, unknown> = {}) => eurekaAdapterFor(server.url, { selfPreservation: false, ...extra });

/** Registers over REST, as a non-Java client does; `instance` overrides the defaults. */
async function post(app: string, instance: Record<string, unknown>): Promise<void> {
  const body = {
    instance: {
      hostName: '10.60.0.1', app, ipAddr: '10.60.0.1', status: 'UP', vipAddress: app.toLowerCase(),
      port: { $: 8080, '@enabled': 'true' },
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 300 },
      ...instance,
    },
  };
  const r = await fetch(`${server.url}/apps/${app}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status).toBe(204);
}

async function raw(app: string, id: string): Promise<any> {
  const r = await fetch(`${server.url}/apps/${app}/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } });
  return r.status === 200 ? ((await r.json()) as { instance: unknown }).instance : null;
}

describe('Eureka registry on instances registered over REST', () => {
  it('an instance registered without instanceId is addressed by its hostName, for reads and writes', async () => {
    const app = eurekaAppName('noid');
    await post(app, { hostName: 'node-7.internal', ipAddr: '10.60.0.7' });
    const a = await adapter();
    const ref: ServiceRef = { scope: {}, name: app };
    expect((await a.registry.getService(ref)).instances.map((i) => [i.id, i.ip, i.port])).toEqual([['node-7.internal', '10.60.0.7', 8080]]);
    const drained = await a.registry.setTraffic!(ref, 'node-7.internal', 'disabled');
    expect(drained.instances[0]).toMatchObject({ id: 'node-7.internal', traffic: 'disabled', statusOverride: 'OUT_OF_SERVICE' });
    expect(await raw(app, 'node-7.internal')).toMatchObject({ status: 'OUT_OF_SERVICE', overriddenStatus: 'OUT_OF_SERVICE' });
    // Draining again changes nothing and says the same.
    expect((await a.registry.setTraffic!(ref, 'node-7.internal', 'disabled')).instances[0]).toMatchObject({ traffic: 'disabled' });
    await a.registry.setTraffic!(ref, 'node-7.internal', 'enabled');
    expect(await raw(app, 'node-7.internal')).toMatchObject({ status: 'UP', overriddenStatus: 'UNKNOWN' });
  });

  it('an instance that reports OUT_OF_SERVICE itself: Eureka keeps that status over a later UP registration, so undrain refuses, and a drain has nothing to add', async () => {
    const app = eurekaAppName('self-oos');
    await post(app, { instanceId: 'self-1', status: 'OUT_OF_SERVICE' });
    // Measured: the instance registering again as UP does not change it (Eureka's own copy wins for UP and OUT_OF_SERVICE).
    await post(app, { instanceId: 'self-1', status: 'UP' });
    expect(await raw(app, 'self-1')).toMatchObject({ status: 'OUT_OF_SERVICE', overriddenStatus: 'UNKNOWN' });
    const a = await adapter();
    const ref: ServiceRef = { scope: {}, name: app };
    expect((await a.registry.getService(ref)).instances[0]).toMatchObject({ status: 'OUT_OF_SERVICE', statusOverride: null, traffic: 'disabled' });
    const e = await failure(a.registry.setTraffic!(ref, 'self-1', 'enabled'));
    expect([e.kind, e.message]).toEqual(['failed', `instance self-1 of ${app} reports OUT_OF_SERVICE itself: there is no override to remove, and Eureka keeps that status even when the instance registers again as UP`]);
    expect(await raw(app, 'self-1')).toMatchObject({ status: 'OUT_OF_SERVICE', overriddenStatus: 'UNKNOWN' });
    // Already out of traffic; Eureka would ignore an override equal to the status anyway.
    expect((await a.registry.setTraffic!(ref, 'self-1', 'disabled')).instances[0]).toMatchObject({ traffic: 'disabled', statusOverride: null });
  });

  it('removing metadata keys re-registers the instance with every other field as Eureka held it', async () => {
    const app = eurekaAppName('meta');
    await post(app, {
      instanceId: 'meta-1', homePageUrl: 'http://10.60.0.1:8080/', healthCheckUrl: 'http://10.60.0.1:8080/health', secureVipAddress: 'meta-secure',
      metadata: { keep: '1', drop: '2', 'also-drop': '3' },
    });
    const a = await adapter();
    const ref: ServiceRef = { scope: {}, name: app };
    await a.registry.setTraffic!(ref, 'meta-1', 'disabled');
    const before = await raw(app, 'meta-1');
    const d = await a.registry.updateMetadata!(ref, 'meta-1', { set: { added: 'x' }, remove: ['drop', 'also-drop'] });
    expect(d.instances[0]!.metadata).toEqual({ keep: '1', added: 'x' });
    const after = await raw(app, 'meta-1');
    const stable = (i: Record<string, unknown>) => {
      const { metadata: _m, leaseInfo, lastUpdatedTimestamp: _u, actionType: _a, ...rest } = i as { metadata: unknown; leaseInfo: Record<string, unknown>; lastUpdatedTimestamp: unknown; actionType: unknown };
      return { ...rest, lease: { renewalIntervalInSecs: leaseInfo.renewalIntervalInSecs, durationInSecs: leaseInfo.durationInSecs } };
    };
    expect(stable(after)).toEqual(stable(before));
    expect(after.metadata).toEqual({ keep: '1', added: 'x' });
    // Every key removed: Eureka stores an empty map (its EmptyMap marker), read as no metadata.
    const none = await a.registry.updateMetadata!(ref, 'meta-1', { set: {}, remove: ['keep', 'added'] });
    expect(none.instances[0]!.metadata).toEqual({});
    expect(Object.keys((await raw(app, 'meta-1')).metadata).filter((k) => k !== '@class')).toEqual([]);
  });

  it('deregistering an instance nobody renews is done at once; its heartbeat is then not-found', async () => {
    const app = eurekaAppName('dereg');
    await post(app, { instanceId: 'd-1' });
    const a = await adapter();
    const ref: ServiceRef = { scope: {}, name: app };
    const view = (await a.registry.getService(ref)).instances[0]!;
    // A registration counts as a renewal; a lease last renewed longer ago than its duration gets the plain warning.
    expect(a.registry.deregisterWarning!(view)).toMatch(/^Its lease was renewed \S+ ago, so its application looks alive: /);
    expect(a.registry.deregisterWarning!({ ...view, lastHeartbeat: new Date(Date.now() - 301_000).toISOString() })).toBe('If its application is still running, its Eureka client registers the instance again at its next heartbeat.');
    const t0 = Date.now();
    await a.registry.deregister!(ref, 'd-1');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await raw(app, 'd-1')).toBeNull();
    expect((await failure(a.registry.heartbeat!(ref, 'd-1'))).kind).toBe('not-found');
    expect((await failure(a.registry.getService(ref))).message).toBe(`service ${app} is not registered in Eureka at ${server.url}`);
  });

  it('a url that is not the REST root (no /eureka) is a configuration error, also where a lookup would have said not found', async () => {
    const a = await adapter({ url: server.baseUrl });
    for (const ask of [() => a.ping(), () => a.registry.listServices({ scope: {} }), () => a.registry.getService({ scope: {}, name: 'anything' })]) {
      const e = await failure(ask());
      expect([e.kind, exitCodeOf(e.kind)]).toEqual(['config', 2]);
      expect(e.message).toMatch(/^Eureka at http:\/\/127\.0\.0\.1:\d+ has no Eureka REST API: \/apps(\/delta)? answered HTTP 404$/);
      expect(e.hint).toContain('usually ending in /eureka');
    }
  });
});
