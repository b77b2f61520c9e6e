import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startEurekaClientApp, type EurekaClientApp } from '../interop/eureka-client.js';
import { eurekaAppName, sharedEureka, type EurekaEndpoint } from './eureka-server.js';

/**
 * Facts about a real Eureka server (Spring Cloud Netflix 4.3, eureka-core 2.0) and a real Spring
 * Cloud Eureka client, checked against them with raw HTTP: no opsdeck code is involved. They pin
 * down what a Eureka adapter relies on (JSON shapes and their quirks, what each write does, how a
 * live client reacts to it); docs/dev/eureka-facts.md has the details and the measurements.
 */

// The evicting server, which most tests use.
let s: EurekaEndpoint;

beforeAll(async () => {
  // Ask for both servers at once: starting them side by side costs less wall time than in turn.
  sharedEureka({ selfPreservation: true }).catch(() => {});
  s = await sharedEureka();
}, 20 * 60_000);

const JSON_ACCEPT = { Accept: 'application/json' };

interface Reply {
  status: number;
  text: string;
  json<T = any>(): T;
}

async function call(method: string, url: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(url, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(15_000) });
  const text = await r.text();
  return { status: r.status, text, json: () => JSON.parse(text) };
}

/** A registration body the way eureka-client sends it, with `over` merged into the instance. */
function instanceBody(app: string, id: string | null, over: Record<string, unknown> = {}): { instance: Record<string, unknown> } {
  return {
    instance: {
      ...(id === null ? {} : { instanceId: id }),
      hostName: `${(id ?? 'host').toLowerCase()}.test`,
      app,
      ipAddr: '10.1.2.3',
      status: 'UP',
      port: { $: 8080, '@enabled': 'true' },
      vipAddress: app.toLowerCase(),
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 90 },
      ...over,
    },
  };
}

async function register(s: EurekaEndpoint, app: string, id: string | null, over: Record<string, unknown> = {}): Promise<void> {
  // The URL takes the name in any case; the server upper-cases it.
  const r = await call('POST', `${s.url}/apps/${app.toLowerCase()}`, { body: instanceBody(app, id, over) });
  expect(r.status, r.text).toBe(204);
}

async function instance(s: EurekaEndpoint, app: string, id: string): Promise<any> {
  const r = await call('GET', `${s.url}/apps/${app}/${id}`, { headers: JSON_ACCEPT });
  expect(r.status, r.text).toBe(200);
  return r.json().instance;
}

/** The dashboard (HTML) with tags removed and whitespace collapsed. */
async function dashboardText(s: EurekaEndpoint): Promise<string> {
  const r = await call('GET', `${s.baseUrl}/`);
  expect(r.status).toBe(200);
  return r.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
}

describe('Eureka server: reads', () => {
  it('answers XML unless the Accept header asks for JSON; /eureka/v2 serves the same API', async () => {
    const xml = await call('GET', `${s.url}/apps`);
    expect(xml.status).toBe(200);
    expect(xml.text).toMatch(/^<applications>/);
    const json = await call('GET', `${s.url}/apps`, { headers: JSON_ACCEPT });
    expect(json.json().applications).toMatchObject({ versions__delta: expect.any(String), apps__hashcode: expect.any(String), application: expect.any(Array) });
    // The apps hash code counts instances per status: "UP_3_OUT_OF_SERVICE_1_", "" when empty.
    expect(json.json().applications.apps__hashcode).toMatch(/^([A-Z_]+?_\d+_)*$/);
    expect((await call('GET', `${s.baseUrl}/eureka/v2/apps`, { headers: JSON_ACCEPT })).status).toBe(200);
  });

  it('answers an unknown application or instance with a Spring 404 (not an Eureka body); /eureka/status is XML only', async () => {
    const app = eurekaAppName('nobody');
    for (const path of [`/apps/${app}`, `/apps/${app}/x`, `/instances/${app}-x`]) {
      const r = await call('GET', `${s.url}${path}`, { headers: JSON_ACCEPT });
      expect(r.status).toBe(404);
      expect(r.json()).toMatchObject({ status: 404, error: 'Not Found', path: `/eureka${path}` });
    }
    // A VIP nobody uses is an empty list, not a 404.
    const vip = await call('GET', `${s.url}/vips/${app.toLowerCase()}`, { headers: JSON_ACCEPT });
    expect(vip.status).toBe(200);
    expect(vip.json().applications.application).toEqual([]);
    expect((await call('GET', `${s.url}/status`, { headers: JSON_ACCEPT })).status).toBe(500);
    const xml = await call('GET', `${s.url}/status`);
    expect(xml.status).toBe(200);
    expect(xml.text).toContain('<registered-replicas></registered-replicas>');
  });
});

describe('Eureka server: registration', () => {
  it('refuses a body without the instance wrapper, a plain-number port, no dataCenterInfo or a mismatched app with 400', async () => {
    const app = eurekaAppName('bad');
    const url = `${s.url}/apps/${app}`;
    const { instance: body } = instanceBody(app, 'i1');
    const noWrapper = await call('POST', url, { body });
    expect(noWrapper.status).toBe(400);
    expect(noWrapper.text).toContain('cannot parse request body');
    expect((await call('POST', url, { body: { instance: { ...body, port: 8080 } } })).status).toBe(400);
    const { dataCenterInfo: _dc, ...withoutDc } = body;
    const noDc = await call('POST', url, { body: { instance: withoutDc } });
    expect(noDc.status).toBe(400);
    expect(noDc.text).toContain('Missing dataCenterInfo');
    // The short class name of the Netflix client (InstanceInfo$MyDataCenterInfo) does not parse either.
    expect((await call('POST', url, { body: { instance: { ...body, dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$MyDataCenterInfo', name: 'MyOwn' } } } })).status).toBe(400);
    const mismatch = await call('POST', url, { body: instanceBody(`${app}X`, 'i1') });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Mismatched appName');
    expect((await call('GET', url, { headers: JSON_ACCEPT })).status).toBe(404);
  });

  it('stores an instance with the JSON quirks: upper-case app, port objects with string @enabled, EmptyMap metadata, string timestamps', async () => {
    const app = eurekaAppName('shape');
    const before = Date.now();
    // Input may spell port.$ as a string and @enabled as a boolean; MyDataCenterInfo comes back as the default class.
    await register(s, app, 'i1', { port: { $: '8081', '@enabled': true }, dataCenterInfo: { '@class': 'com.netflix.appinfo.MyDataCenterInfo', name: 'MyOwn' } });
    const i = await instance(s, app.toLowerCase(), 'i1');
    expect(i).toMatchObject({
      instanceId: 'i1',
      app,
      status: 'UP',
      overriddenStatus: 'UNKNOWN',
      port: { $: 8081, '@enabled': 'true' },
      securePort: { $: 7002, '@enabled': 'false' },
      countryId: 1,
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      metadata: { '@class': 'java.util.Collections$EmptyMap' },
      isCoordinatingDiscoveryServer: 'false',
      actionType: 'ADDED',
    });
    // The instance-level timestamps are strings of digits; the lease's are numbers.
    expect(i.lastUpdatedTimestamp).toMatch(/^\d{13}$/);
    expect(i.lastDirtyTimestamp).toMatch(/^\d{13}$/);
    expect(i.leaseInfo).toMatchObject({ renewalIntervalInSecs: 30, durationInSecs: 90, evictionTimestamp: 0 });
    for (const k of ['registrationTimestamp', 'lastRenewalTimestamp', 'serviceUpTimestamp']) expect(i.leaseInfo[k]).toBeGreaterThanOrEqual(before - 1000);
    // No overriddenstatus spelling on JSON output, and no port defaults to 7001 (checked below).
    expect(i).not.toHaveProperty('overriddenstatus');
  });

  it('fills in port 7001 when none is given, and without an instanceId addresses the instance by its hostName', async () => {
    const app = eurekaAppName('noid');
    const { instance: body } = instanceBody(app, null);
    const { port: _p, ...noPort } = body;
    expect((await call('POST', `${s.url}/apps/${app}`, { body: { instance: noPort } })).status).toBe(204);
    const i = await instance(s, app, 'host.test');
    expect(i).not.toHaveProperty('instanceId');
    expect(i.port).toEqual({ $: 7001, '@enabled': 'true' });
  });

  it('lists an application as an array even with one instance; /instances/{id} and /vips/{vip} find it', async () => {
    const app = eurekaAppName('list');
    await register(s, app, `${app}-1`);
    const one = (await call('GET', `${s.url}/apps/${app}`, { headers: JSON_ACCEPT })).json();
    expect(one.application.name).toBe(app);
    expect(Array.isArray(one.application.instance)).toBe(true);
    expect(one.application.instance).toHaveLength(1);
    const byId = await call('GET', `${s.url}/instances/${app}-1`, { headers: JSON_ACCEPT });
    expect(byId.json().instance.app).toBe(app);
    const vip = (await call('GET', `${s.url}/vips/${app.toLowerCase()}`, { headers: JSON_ACCEPT })).json();
    expect(vip.applications.application.map((a: any) => a.name)).toEqual([app]);
    const all = (await call('GET', `${s.url}/apps`, { headers: JSON_ACCEPT })).json();
    expect(all.applications.application.find((a: any) => a.name === app)?.instance).toHaveLength(1);
  });

  it('answers X-Eureka-Accept: compact on application lists with a cut-down instance and a numeric lastUpdatedTimestamp, but not on a single instance', async () => {
    const app = eurekaAppName('compact');
    await register(s, app, 'c1', { metadata: { k: 'v' } });
    const headers = { ...JSON_ACCEPT, 'X-Eureka-Accept': 'compact' };
    const fromApp = (await call('GET', `${s.url}/apps/${app}`, { headers })).json().application.instance[0];
    const fromApps = (await call('GET', `${s.url}/apps`, { headers })).json().applications.application.find((a: any) => a.name === app).instance[0];
    for (const c of [fromApp, fromApps]) {
      expect(c).toMatchObject({ instanceId: 'c1', app, status: 'UP', port: { $: 8080, '@enabled': 'true' } });
      expect(typeof c.lastUpdatedTimestamp).toBe('number');
      for (const gone of ['leaseInfo', 'metadata', 'overriddenStatus', 'lastDirtyTimestamp', 'countryId']) expect(c).not.toHaveProperty(gone);
    }
    const single = (await call('GET', `${s.url}/apps/${app}/c1`, { headers })).json().instance;
    expect(single.metadata).toEqual({ k: 'v' });
    expect(typeof single.lastUpdatedTimestamp).toBe('string');
  });
});

describe('Eureka server: writes', () => {
  it('overrides the status: OUT_OF_SERVICE sticks through heartbeats and metadata changes; DELETE with value=UP restores UP', async () => {
    const app = eurekaAppName('drain');
    await register(s, app, 'd1');
    const put = await call('PUT', `${s.url}/apps/${app}/d1/status?value=OUT_OF_SERVICE`);
    expect(put.status).toBe(200);
    expect(await instance(s, app, 'd1')).toMatchObject({ status: 'OUT_OF_SERVICE', overriddenStatus: 'OUT_OF_SERVICE' });
    expect((await call('GET', `${s.url}/apps`, { headers: JSON_ACCEPT })).json().applications.apps__hashcode).toMatch(/OUT_OF_SERVICE_\d+_/);
    // A client's heartbeat reports UP; the override wins.
    expect((await call('PUT', `${s.url}/apps/${app}/d1?status=UP`)).status).toBe(200);
    expect((await call('PUT', `${s.url}/apps/${app}/d1/metadata?k=v`)).status).toBe(200);
    expect(await instance(s, app, 'd1')).toMatchObject({ status: 'OUT_OF_SERVICE', overriddenStatus: 'OUT_OF_SERVICE', metadata: { k: 'v' } });
    expect((await call('DELETE', `${s.url}/apps/${app}/d1/status?value=UP`)).status).toBe(200);
    expect(await instance(s, app, 'd1')).toMatchObject({ status: 'UP', overriddenStatus: 'UNKNOWN' });
  });

  it('removing an override without value leaves the instance UNKNOWN, and then its heartbeats get 404 (a client re-registers)', async () => {
    const app = eurekaAppName('unknown');
    await register(s, app, 'u1');
    // Without an override to remove, the DELETE changes nothing.
    expect((await call('DELETE', `${s.url}/apps/${app}/u1/status`)).status).toBe(200);
    expect(await instance(s, app, 'u1')).toMatchObject({ status: 'UP', overriddenStatus: 'UNKNOWN' });
    expect((await call('PUT', `${s.url}/apps/${app}/u1/status?value=DOWN`)).status).toBe(200);
    expect((await call('DELETE', `${s.url}/apps/${app}/u1/status`)).status).toBe(200);
    expect(await instance(s, app, 'u1')).toMatchObject({ status: 'UNKNOWN', overriddenStatus: 'UNKNOWN' });
    expect((await call('PUT', `${s.url}/apps/${app}/u1`)).status).toBe(404);
    expect((await call('PUT', `${s.url}/apps/${app}/u1?status=UP`)).status).toBe(404);
    // Still listed: nothing but a re-registration (or eviction) changes it.
    expect(await instance(s, app, 'u1')).toMatchObject({ status: 'UNKNOWN' });
  });

  it('answers a missing, unknown or lower-case status value with 500 and changes nothing; an unknown instance with 404', async () => {
    const app = eurekaAppName('badstatus');
    await register(s, app, 'b1');
    for (const q of ['', '?value=BOGUS', '?value=out_of_service']) expect((await call('PUT', `${s.url}/apps/${app}/b1/status${q}`)).status).toBe(500);
    expect(await instance(s, app, 'b1')).toMatchObject({ status: 'UP', overriddenStatus: 'UNKNOWN' });
    expect((await call('PUT', `${s.url}/apps/${app}/nope/status?value=DOWN`)).status).toBe(404);
    expect((await call('DELETE', `${s.url}/apps/${app}/nope/status?value=UP`)).status).toBe(404);
  });

  it('merges metadata query parameters into the instance, as a fresh registration: registration and renewal times reset, lastDirtyTimestamp kept', async () => {
    const app = eurekaAppName('meta');
    await register(s, app, 'm1', { metadata: { zone: 'z1', keep: 'yes' } });
    const before = await instance(s, app, 'm1');
    await new Promise((r) => setTimeout(r, 30));
    expect((await call('PUT', `${s.url}/apps/${app}/m1/metadata?zone=z2&weight=5`)).status).toBe(200);
    const after = await instance(s, app, 'm1');
    expect(after.metadata).toEqual({ zone: 'z2', keep: 'yes', weight: '5' });
    expect(after.lastDirtyTimestamp).toBe(before.lastDirtyTimestamp);
    expect(after.leaseInfo.registrationTimestamp).toBeGreaterThan(before.leaseInfo.registrationTimestamp);
    expect(Number(after.lastUpdatedTimestamp)).toBeGreaterThan(Number(before.lastUpdatedTimestamp));
    // Empty metadata (the EmptyMap marker) takes keys the same way.
    const app2 = eurekaAppName('meta-empty');
    await register(s, app2, 'm2');
    expect((await call('PUT', `${s.url}/apps/${app2}/m2/metadata?a=1`)).status).toBe(200);
    expect((await instance(s, app2, 'm2')).metadata).toEqual({ a: '1' });
    expect((await call('PUT', `${s.url}/apps/${app2}/nope/metadata?a=1`)).status).toBe(404);
  });

  it('renews a lease on heartbeat; lastRenewalTimestamp then lies one lease duration ahead; a newer lastDirtyTimestamp gets 404', async () => {
    const app = eurekaAppName('beat');
    await register(s, app, 'h1', { leaseInfo: { renewalIntervalInSecs: 30, durationInSecs: 600 } });
    const reg = await instance(s, app, 'h1');
    expect(reg.leaseInfo.lastRenewalTimestamp).toBe(reg.leaseInfo.registrationTimestamp);
    const t = Date.now();
    expect((await call('PUT', `${s.url}/apps/${app}/h1`)).status).toBe(200);
    const renewed = await instance(s, app, 'h1');
    // Eureka's Lease.renew() stores now + duration (a known quirk): "expired" is
    // lastRenewalTimestamp + duration < now, i.e. twice the duration after the last heartbeat.
    expect(renewed.leaseInfo.lastRenewalTimestamp).toBeGreaterThanOrEqual(t + 600_000 - 5_000);
    const dirty = Number(renewed.lastDirtyTimestamp);
    expect((await call('PUT', `${s.url}/apps/${app}/h1?status=UP&lastDirtyTimestamp=${dirty + 1000}`)).status).toBe(404);
    expect((await call('PUT', `${s.url}/apps/${app}/h1?status=UP&lastDirtyTimestamp=${dirty}`)).status).toBe(200);
    expect((await call('PUT', `${s.url}/apps/${app}/h1?status=UP&lastDirtyTimestamp=${dirty - 1000}`)).status).toBe(200);
    expect((await call('PUT', `${s.url}/apps/${app}/nope`)).status).toBe(404);
  });

  it('deregisters: 200, then 404; the application goes when its last instance does; the delta reports DELETED', async () => {
    const app = eurekaAppName('gone');
    await register(s, app, 'g1');
    expect((await call('DELETE', `${s.url}/apps/${app}/g1`)).status).toBe(200);
    expect((await call('DELETE', `${s.url}/apps/${app}/g1`)).status).toBe(404);
    expect((await call('GET', `${s.url}/apps/${app}/g1`, { headers: JSON_ACCEPT })).status).toBe(404);
    expect((await call('GET', `${s.url}/apps/${app}`, { headers: JSON_ACCEPT })).status).toBe(404);
    const delta = (await call('GET', `${s.url}/apps/delta`, { headers: JSON_ACCEPT })).json();
    const mine = delta.applications.application.find((a: any) => a.name === app);
    expect(mine.instance.map((i: any) => [i.instanceId, i.actionType])).toEqual([['g1', 'DELETED']]);
  });

  it('evicts an instance whose lease ran out (self-preservation off); the dashboard says so', async () => {
    const app = eurekaAppName('evict');
    await register(s, app, 'e1', { leaseInfo: { renewalIntervalInSecs: 1, durationInSecs: 1 } });
    const r = await eventually(() => call('GET', `${s.url}/apps/${app}/e1`, { headers: JSON_ACCEPT }), (x) => x.status === 404, 30_000);
    expect(r.status).toBe(404);
    const text = await dashboardText(s);
    expect(text).toContain('Lease expiration enabled true');
    expect(text).toContain('THE SELF PRESERVATION MODE IS TURNED OFF');
  });
});

describe('Eureka server in self-preservation', () => {
  let sp: EurekaEndpoint;
  beforeAll(async () => {
    sp = await sharedEureka({ selfPreservation: true });
  }, 20 * 60_000);

  it('keeps an instance whose lease ran out, and only the dashboard tells: EMERGENCY banner, lease expiration disabled', async () => {
    const app = eurekaAppName('kept');
    await register(sp, app, 'k1', { leaseInfo: { renewalIntervalInSecs: 1, durationInSecs: 1 } });
    const reg = await instance(sp, app, 'k1');
    // Wait until the lease has clearly run out and the eviction task (every second) has run a few times.
    const expiry = reg.leaseInfo.lastRenewalTimestamp + reg.leaseInfo.durationInSecs * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, expiry + 3 * sp.evictionIntervalMs - Date.now())));
    const still = await instance(sp, app, 'k1');
    expect(still.status).toBe('UP');
    expect(still.leaseInfo.lastRenewalTimestamp + still.leaseInfo.durationInSecs * 1000).toBeLessThan(Date.now());
    const text = await dashboardText(sp);
    expect(text).toContain('Lease expiration enabled false');
    expect(text).toContain('EMERGENCY! EUREKA MAY BE INCORRECTLY CLAIMING INSTANCES ARE UP WHEN THEY\'RE NOT.');
    expect(text).toMatch(/Renews threshold \d+ Renews \(last min\) \d+/);
    // No JSON anywhere says so: the registry answer carries no self-preservation flag.
    expect((await call('GET', `${sp.url}/apps`, { headers: JSON_ACCEPT })).text).not.toMatch(/preserv/i);
  });
});

describe('a Spring Cloud Eureka client application', () => {
  let client: EurekaClientApp;
  // A second application, only to be stopped gracefully at the end; started alongside the first.
  let second: EurekaClientApp;
  const app = eurekaAppName('orders');
  const id = `${app.toLowerCase()}-a1`;
  const app2 = eurekaAppName('stopper');

  beforeAll(async () => {
    [client, second] = await Promise.all([
      startEurekaClientApp(s, { app: app.toLowerCase(), instanceId: id, metadata: { zone: 'z1', version: '1.2.3' }, leaseDurationSeconds: 3 }),
      startEurekaClientApp(s, { app: app2.toLowerCase(), instanceId: 'graceful' }),
    ]);
  }, 20 * 60_000);

  afterAll(async () => {
    await Promise.all([client?.stop(), second?.stop()]);
  });

  it('registers itself with its instanceId, metadata, 127.0.0.1 and a 1 s / 3 s lease, and sees itself UP', async () => {
    const i = await instance(s, app, id);
    expect(i).toMatchObject({ instanceId: id, app, hostName: '127.0.0.1', ipAddr: '127.0.0.1', status: 'UP', overriddenStatus: 'UNKNOWN', port: { $: client.port, '@enabled': 'true' } });
    expect(i.metadata).toEqual({ zone: 'z1', version: '1.2.3', 'management.port': String(client.port) });
    expect(i.leaseInfo).toMatchObject({ renewalIntervalInSecs: 1, durationInSecs: 3 });
    expect(i.vipAddress).toBe(app.toLowerCase());
    const self = await eventually(() => client.self(), (x) => x.fetched !== null);
    expect(self).toMatchObject({ app, instanceId: id, localStatus: 'UP', remoteStatus: 'UP', fetched: { status: 'UP', overriddenStatus: 'UNKNOWN' } });
    expect((await client.health()).status).toBe(200);
  });

  it('sees a drain made through the REST API: remote status and health OUT_OF_SERVICE, dropped from DiscoveryClient; value=UP undoes it', async () => {
    expect((await call('PUT', `${s.url}/apps/${app}/${id}/status?value=OUT_OF_SERVICE`)).status).toBe(200);
    const drained = await eventually(() => client.self(), (x) => x.remoteStatus === 'OUT_OF_SERVICE');
    // The application keeps reporting UP itself; only the server's view changed.
    expect(drained).toMatchObject({ localStatus: 'UP', remoteStatus: 'OUT_OF_SERVICE', fetched: { status: 'OUT_OF_SERVICE', overriddenStatus: 'OUT_OF_SERVICE' } });
    const health = await client.health();
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('OUT_OF_SERVICE');
    expect(health.body.components.discoveryComposite.components.eureka).toMatchObject({ status: 'OUT_OF_SERVICE', description: 'Remote status from Eureka server' });
    const seen = await client.seen(app);
    expect(seen.registry.map((x) => [x.instanceId, x.status])).toEqual([[id, 'OUT_OF_SERVICE']]);
    expect(seen.discoveryClient).toEqual([]);
    // The client's heartbeats (every second) do not lift it.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await instance(s, app, id)).toMatchObject({ status: 'OUT_OF_SERVICE' });

    expect((await call('DELETE', `${s.url}/apps/${app}/${id}/status?value=UP`)).status).toBe(200);
    const back = await eventually(() => client.self(), (x) => x.remoteStatus === 'UP');
    expect(back.remoteStatus).toBe('UP');
    expect((await client.health()).status).toBe(200);
    expect((await client.seen(app)).discoveryClient.map((x) => x.instanceId)).toEqual([id]);
  });

  it('sees a metadata change in its registry copy, but keeps its own metadata: the next re-registration drops the change', async () => {
    expect((await call('PUT', `${s.url}/apps/${app}/${id}/metadata?weight=7`)).status).toBe(200);
    const seen = await eventually(() => client.self(), (x) => x.fetched?.metadata.weight === '7');
    expect(seen.fetched?.metadata).toMatchObject({ zone: 'z1', weight: '7' });
    expect(seen.metadata).not.toHaveProperty('weight');
    // Removing an override without value makes the instance UNKNOWN; the client's next heartbeat
    // gets 404 and it registers again, with its own InstanceInfo.
    const dirtyBefore = seen.lastDirtyTimestamp;
    expect((await call('PUT', `${s.url}/apps/${app}/${id}/status?value=OUT_OF_SERVICE`)).status).toBe(200);
    expect((await call('DELETE', `${s.url}/apps/${app}/${id}/status`)).status).toBe(200);
    const again = await eventually(() => instance(s, app, id), (x) => x.status === 'UP' && x.metadata.weight === undefined);
    expect(again).toMatchObject({ status: 'UP', overriddenStatus: 'UNKNOWN' });
    expect(again.metadata).not.toHaveProperty('weight');
    expect(Number(again.lastDirtyTimestamp)).toBeGreaterThan(dirtyBefore);
  });

  it('comes back within seconds after a deregistration through the REST API (its next heartbeat gets 404)', async () => {
    expect((await call('DELETE', `${s.url}/apps/${app}/${id}`)).status).toBe(200);
    const back = await eventually(() => call('GET', `${s.url}/apps/${app}/${id}`, { headers: JSON_ACCEPT }), (x) => x.status === 200);
    expect(back.status).toBe(200);
    expect(back.json().instance.status).toBe('UP');
  });

  it('stays listed after a crash until its lease runs out, then is evicted; a graceful stop deregisters at once', { timeout: 120_000 }, async () => {
    expect((await call('GET', `${s.url}/apps/${app2}/graceful`, { headers: JSON_ACCEPT })).status).toBe(200);
    await second.stop();
    expect((await call('GET', `${s.url}/apps/${app2}/graceful`, { headers: JSON_ACCEPT })).status).toBe(404);

    await client.crash();
    const listed = await instance(s, app, id);
    expect(listed.status).toBe('UP');
    const gone = await eventually(() => call('GET', `${s.url}/apps/${app}/${id}`, { headers: JSON_ACCEPT }), (x) => x.status === 404, 40_000);
    expect(gone.status).toBe(404);
  });
});
