import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readApplication, readApplications, type EurekaApplication, type EurekaInstance } from '../../src/adapters/eureka/answers.js';
import { leaseTimes, viewOf } from '../../src/adapters/eureka/instance-view.js';
import { assessRegistry, registryWarnings, serviceWarnings, expiredInstances } from '../../src/adapters/eureka/self-preservation.js';
import { OpsError } from '../../src/core/errors.js';
import { AnswerShape } from '../../src/adapters/kit/shape.js';

/**
 * Eureka's JSON as the adapter reads it, on answers kept as files (test/fixtures/eureka/README.md
 * says where each comes from): a real server's full and compact answers, and the 1.x codec's
 * single-object form that no server here can give. Also the pure rules on data: the status and
 * health mapping, lease times, and the self-preservation estimate.
 */

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '../fixtures/eureka', name), 'utf8'));
const shape = () => new AnswerShape('Eureka at http://eureka:8761/eureka (/apps)', 'check the url');
const failure = (f: () => unknown): OpsError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OpsError);
    return e as OpsError;
  }
  throw new Error('accepted');
};

describe('answers of a real server (Spring Cloud 2025.0.0)', () => {
  const app = readApplication(shape(), fixture('app-full.json'));
  // Just after the capture: shop-1 registered at …371608 with a 90 s lease; shop-2 drained at …371633.
  const now = 1796637380000;
  const [one, two] = app.instances.map((i) => viewOf(i, now));

  it('an instance with its URLs, zone, metadata and lease; status UP and no override', () => {
    expect(app.name).toBe('SHOP');
    expect(one).toEqual({
      id: 'shop-1', ip: '10.0.0.1', port: 8080, health: 'passing', traffic: 'enabled', status: 'UP', statusOverride: null, weight: null, ephemeral: true, cluster: 'z1',
      metadata: { zone: 'z1' }, tags: [],
      urls: { home: 'http://10.0.0.1:8080/', status: 'http://10.0.0.1:8080/actuator/info', health: 'http://10.0.0.1:8080/actuator/health' },
      // Never renewed: lastRenewalTimestamp is the registration time, and the lease ends one duration later.
      lastHeartbeat: new Date(1796637371608).toISOString(), lease: { durationMs: 90_000, expiresAt: new Date(1796637371608 + 90_000).toISOString() },
      healthy: true, enabled: true,
    });
  });

  it('an instance without instanceId is addressed by its hostName; EmptyMap metadata is no metadata; the override is shown apart and takes it out of traffic', () => {
    expect(two).toMatchObject({ id: 'shop-2.local', ip: '10.0.0.2', port: 8081, status: 'OUT_OF_SERVICE', statusOverride: 'OUT_OF_SERVICE', traffic: 'disabled', enabled: false, health: 'unknown', metadata: {}, urls: {}, cluster: null });
    // The drain renewed the lease: lastRenewalTimestamp is then the renewal time plus the duration.
    expect(two!.lastHeartbeat).toBe(new Date(1796637461633 - 90_000).toISOString());
    expect(two!.lease).toEqual({ durationMs: 90_000, expiresAt: new Date(1796637461633 + 90_000).toISOString() });
  });

  it('compact answers: no lease, metadata or override, a numeric lastUpdatedTimestamp, all read', () => {
    const apps = readApplications(shape(), fixture('compact-apps.json'));
    expect(apps.map((a) => a.name)).toEqual(['SHOP']);
    const views = apps[0]!.instances.map((i) => viewOf(i, now));
    expect(views.map((v) => [v.id, v.status, v.statusOverride, v.traffic, v.lease, v.lastHeartbeat, v.metadata])).toEqual([
      ['shop-1', 'UP', null, 'enabled', null, null, {}],
      ['shop-2.local', 'OUT_OF_SERVICE', null, 'disabled', null, null, {}],
    ]);
  });
});

describe("the 1.x codec's answers (hand-written fixture)", () => {
  it('a lone application and a lone instance as objects, numbers as text, overriddenstatus, an AWS zone', () => {
    const apps = readApplications(shape(), fixture('v1-single-instance.json'));
    expect(apps).toHaveLength(1);
    expect(apps[0]!.instances).toHaveLength(1);
    const v = viewOf(apps[0]!.instances[0]!, 1796630100000);
    expect(v).toMatchObject({ id: 'legacy-1.example.internal', ip: '10.1.0.7', port: 7001, status: 'OUT_OF_SERVICE', statusOverride: 'OUT_OF_SERVICE', traffic: 'disabled', cluster: 'us-east-1c', metadata: {} });
    expect(v.lease).toEqual({ durationMs: 90_000, expiresAt: new Date(1796630090000 + 90_000).toISOString() });
    expect(v.urls.health).toBe('http://legacy-1.example.internal:7001/healthcheck');
  });

  it('an application holding no instance at all is an empty list', () => {
    expect(readApplications(shape(), { applications: { application: { name: 'EMPTY' } } })).toEqual([{ name: 'EMPTY', instances: [] }]);
    expect(readApplications(shape(), { applications: { versions__delta: '1', apps__hashcode: '' } })).toEqual([]);
  });
});

describe('answers of the wrong shape are refused, naming the field', () => {
  const withInstance = (patch: Record<string, unknown>) => {
    const body = fixture('app-full.json') as { application: { instance: Array<Record<string, unknown>> } };
    Object.assign(body.application.instance[0]!, patch);
    return body;
  };
  it.each([
    [{ port: { $: 'eighty', '@enabled': 'true' } }, 'application.instance[0].port.$ is the string "eighty", expected a whole number'],
    [{ port: { $: 8080, '@enabled': 'yes' } }, 'application.instance[0].port.@enabled is the string "yes", expected true or false'],
    [{ leaseInfo: { renewalIntervalInSecs: 30 } }, 'application.instance[0].leaseInfo.durationInSecs is missing, expected a whole number'],
    [{ metadata: { zone: { nested: true } } }, 'application.instance[0].metadata.zone is an object, expected text'],
    [{ hostName: undefined }, 'application.instance[0].hostName is missing, expected a string'],
  ])('%j', (patch, detail) => {
    const e = failure(() => readApplication(shape(), withInstance(patch)));
    expect(e.kind).toBe('bad-answer');
    expect(e.message).toBe(`Eureka at http://eureka:8761/eureka (/apps) sent an answer of the wrong shape: ${detail}`);
  });

  it('XML turned into JSON by something in between, or a Spring error, is not an applications answer', () => {
    expect(failure(() => readApplications(shape(), { status: 404, error: 'Not Found' })).message).toContain('applications is missing, expected an object');
  });
});

/** An instance with a lease, as the registry holds it (`lastRenewal` as Eureka stores it: the renewal time plus the duration once renewed). */
function inst(id: string, o: { status?: string; override?: string; registered: number; lastRenewal?: number; durationS?: number; intervalS?: number }): EurekaInstance {
  return {
    id, app: 'APP', hostName: id, ipAddr: '10.0.0.1', status: o.status ?? 'UP', overriddenStatus: o.override ?? 'UNKNOWN',
    port: { port: 8080, enabled: true }, securePort: null, metadata: {},
    lease: { renewalIntervalInSecs: o.intervalS ?? 30, durationInSecs: o.durationS ?? 90, registrationTimestamp: o.registered, lastRenewalTimestamp: o.lastRenewal ?? o.registered, evictionTimestamp: 0, serviceUpTimestamp: o.registered },
    homePageUrl: null, statusPageUrl: null, healthCheckUrl: null, secureHealthCheckUrl: null, availabilityZone: null, lastDirtyTimestamp: o.registered, raw: {},
  };
}

describe('status, traffic and health', () => {
  const now = 1_000_000;
  it.each([
    ['UP', undefined, 'passing', 'enabled', null],
    ['DOWN', undefined, 'critical', 'enabled', null],
    ['STARTING', undefined, 'warning', 'enabled', null],
    ['UNKNOWN', undefined, 'unknown', 'enabled', null],
    ['OUT_OF_SERVICE', 'OUT_OF_SERVICE', 'unknown', 'disabled', 'OUT_OF_SERVICE'],
    // An instance that reports OUT_OF_SERVICE itself takes no traffic either, but nobody overrode it.
    ['OUT_OF_SERVICE', undefined, 'unknown', 'disabled', null],
  ])('%s (override %s): health %s, traffic %s', (status, override, health, traffic, statusOverride) => {
    const v = viewOf(inst('a', { status, ...(override ? { override } : {}), registered: now - 1000 }), now);
    expect([v.health, v.traffic, v.statusOverride, v.healthy, v.enabled]).toEqual([health, traffic, statusOverride, health === 'passing', traffic === 'enabled']);
  });

  it('an UP instance whose lease ran out is critical: Eureka would evict it if it could', () => {
    const v = viewOf(inst('a', { registered: now - 91_000 }), now);
    expect([v.status, v.health]).toEqual(['UP', 'critical']);
  });

  it('lease times: before the first renewal the registration is the last heartbeat; after it, the stored time less the duration', () => {
    expect(leaseTimes(inst('a', { registered: 500 }).lease!)).toEqual({ durationMs: 90_000, lastBeat: 500, expiresAt: 90_500 });
    expect(leaseTimes(inst('a', { registered: 500, lastRenewal: 10_000 + 90_000 }).lease!)).toEqual({ durationMs: 90_000, lastBeat: 10_000, expiresAt: 190_000 });
  });
});

describe('self-preservation, estimated from the leases', () => {
  const now = 10_000_000;
  const app = (...instances: EurekaInstance[]): EurekaApplication => ({ name: 'APP', instances });
  const renewing = (id: string) => inst(id, { registered: now - 600_000, lastRenewal: now - 10_000 + 90_000 });
  const silent = (id: string, ago: number) => inst(id, { registered: now - ago, durationS: 30 });
  const defaults = { selfPreservation: true, renewalPercentThreshold: 0.85, expectedClientRenewalIntervalSeconds: 30 };

  it('one client renewing every 30 s is below the threshold of a fresh server (the well-known banner of small registries)', () => {
    // Expected clients 1 + 1, threshold int(2 × 2 × 0.85) = 3; renewals 2 a minute.
    expect(assessRegistry([app(renewing('a'))], now, defaults)).toEqual({ instances: 1, renewsPerMin: 2, threshold: 3, selfPreservation: true, expired: [] });
  });

  it('six renewing clients are above it: leases expire', () => {
    const a = assessRegistry([app(...['a', 'b', 'c', 'd', 'e', 'f'].map(renewing))], now, defaults);
    expect([a.renewsPerMin, a.threshold, a.selfPreservation]).toEqual([12, 11, false]);
    expect(registryWarnings(a)).toEqual([]);
  });

  it('instances whose leases ran out renew nothing, are listed as expired (longest first), and are named in the banner', () => {
    const a = assessRegistry([app(renewing('a'), silent('b', 40_000), silent('c', 95_000))], now, defaults);
    expect(a.expired).toEqual([{ app: 'APP', id: 'c', expiredForMs: 65_000 }, { app: 'APP', id: 'b', expiredForMs: 10_000 }]);
    expect([a.renewsPerMin, a.threshold, a.selfPreservation]).toEqual([2, 6, true]);
    expect(registryWarnings(a)).toEqual([
      "self-preservation is most likely on: about 2 lease renewals a minute against Eureka's threshold of 6 for 3 instances, so Eureka expires no leases and keeps instances that stopped renewing; 2 instances are still listed although their leases ran out: APP/c (1m05s ago), APP/b (10s ago) (an estimate from the leases, since Eureka publishes no flag; set selfPreservation: false in the profile if the server runs without it)",
    ]);
  });

  it('a server without self-preservation (the profile says so) gets no banner, but expired instances still listed are named', () => {
    const a = assessRegistry([app(silent('b', 40_000))], now, { ...defaults, selfPreservation: false });
    expect(a.selfPreservation).toBe(false);
    expect(registryWarnings(a)).toEqual(['1 instance is still listed although its lease ran out, and clients are still handed it until Eureka evicts it: APP/b (10s ago)']);
    expect(serviceWarnings(expiredInstances([app(silent('b', 40_000))], now), { ...defaults, selfPreservation: false })).toEqual(['1 instance is still listed although its lease ran out, and clients are still handed it until Eureka evicts it: b (10s ago)']);
  });

  it("the profile's threshold settings are used", () => {
    expect(assessRegistry([app(renewing('a'))], now, { ...defaults, renewalPercentThreshold: 0.49 }).threshold).toBe(1);
    expect(assessRegistry([app(renewing('a'))], now, { ...defaults, renewalPercentThreshold: 0.49 }).selfPreservation).toBe(false);
  });
});
