import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { matchInstance, type RegisterRequest, type RegistryBackend, type ServiceRef } from '../../src/core/registry.js';
import type { Scope } from '../../src/core/scope.js';

/**
 * The registry conformance suite. Every registry adapter runs it; the embedded backend must pass
 * all of it. Probes read the registry directly (the embedded store's files, a Nacos server's own
 * HTTP API), not through the adapter, so a backend cannot pass by agreeing with itself.
 */

/** An instance as the registry itself holds it, read without the adapter. */
export interface ProbedInstance {
  ip: string;
  port: number;
  /** Whether it takes traffic (Nacos `enabled`). */
  enabled: boolean;
  weight: number | null;
  metadata: Record<string, string>;
}

export interface RegistryHarness {
  backend: RegistryBackend;
  probe: {
    /** The instances of a service right now, as the registry stores them; [] when the service has none. */
    instances(ref: ServiceRef): Promise<ProbedInstance[]>;
  };
  /** Where the suite creates its services (a namespace of this run, say); each case names its own service. */
  scope: Scope;
  /** A scope that must not see `scope`'s services; null for a registry with one flat space. */
  otherScope: Scope | null;
  /**
   * For the ephemeral case: the TTL to register with (a registry whose `leaseTtl` is 'server' gets
   * none, and is sent a heartbeat every third of it), the metadata that sets the lease where the
   * registry reads it from there (Nacos' `preserved.*` keys), and how long after the last heartbeat
   * the instance may still be listed.
   */
  lease: { ttlMs: number; goneWithinMs: number; metadata?: Record<string, string> } | null;
  /**
   * For a read-only registry (RegistryBackend.readOnly: Istio, fed by Kubernetes, not by clients):
   * puts the instance where the registry reads it from (the fake's source), since the adapter
   * cannot register. Cases that need a write the backend lacks are skipped, with the reason.
   */
  seed?(ref: ServiceRef, req: RegisterRequest): Promise<void>;
  /** Registers two instances at one address under different ids (two clusters, say), for the ambiguous alias case. */
  twoAtOneAddress?(ref: ServiceRef, ip: string, port: number): Promise<void>;
  /** How long a write may take to show (Nacos answers 404 right after a publish for about a second). */
  settleMs: number;
  /**
   * What every registration of the suite must carry on this registry: Eureka holds instances only
   * by leases, so its harness registers them ephemeral with a lease that outlasts a case.
   */
  registerAs?: Partial<RegisterRequest>;
  dispose(): Promise<void>;
}

export type RegistryCase = 'read-only' | 'register' | 'scope-isolation' | 'traffic' | 'weight' | 'metadata' | 'deregister' | 'ephemeral' | 'lease-ttl' | 'cancelled' | 'not-found' | 'alias' | 'ambiguous-alias';

/** Each skip must say why: a case is skipped only with a reason, which the test title shows. */
export type Skips<C extends string> = Partial<Record<C, string>>;

/** Retries `check` until it passes or `ms` runs out (a write that takes a moment to show), then fails with its last error. */
export async function eventually<T>(ms: number, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export function describeRegistryConformance(label: string, setup: () => Promise<RegistryHarness>, skip: Skips<RegistryCase> = {}): void {
  describe(`registry conformance: ${label}`, () => {
    let h: RegistryHarness;
    let n = 0;
    // Unique service names keep cases independent, even on a shared server.
    const fresh = () => `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${n++}`;
    const ref = (name = fresh()): ServiceRef => ({ scope: h.scope, name });
    // A registry without weights (no setWeight) is registered without one and must show none.
    const weighted = () => typeof h.backend.setWeight === 'function';
    const req = (ip: string, port: number, more: Partial<RegisterRequest> = {}): RegisterRequest => {
      const r: RegisterRequest = { ip, port, weight: 1, metadata: {}, ephemeral: false, ...h.registerAs, ...more };
      if (!weighted()) delete r.weight;
      return r;
    };
    const register = async (r: ServiceRef, q: RegisterRequest): Promise<void> => {
      if (h.backend.register) return void (await h.backend.register(r, q));
      if (!h.seed) throw new Error(`${label} cannot register instances: give the harness a way to seed them`);
      await h.seed(r, q);
    };
    /** The optional method a case needs; a backend without it must have that case skipped with a reason. */
    const can = <K extends 'setTraffic' | 'setWeight' | 'updateMetadata' | 'deregister' | 'heartbeat'>(m: K): NonNullable<RegistryBackend[K]> => {
      const f = h.backend[m];
      if (typeof f !== 'function') throw new Error(`${label} has no ${m}: skip the case that needs it, with a reason`);
      return f.bind(h.backend) as NonNullable<RegistryBackend[K]>;
    };
    const probed = async (r: ServiceRef, ip: string, port: number) => (await h.probe.instances(r)).find((i) => i.ip === ip && i.port === port);
    const shows = (r: ServiceRef, count: number) => eventually(h.settleMs, async () => {
      const d = await h.backend.getService(r);
      expect(d.instances).toHaveLength(count);
      return d;
    });
    // Generous: the setup may be the first to ask for a shared JVM server (Nacos starts in 20-60 s here, longer while others build).
    beforeAll(async () => {
      h = await setup();
    }, 20 * 60_000);
    afterAll(async () => {
      await h?.dispose();
    });
    const test = (name: RegistryCase, title: string, fn: () => Promise<void>, timeout?: number) => {
      if (skip[name]) it.skip(`${title} (skipped: ${skip[name]})`, fn);
      else it(title, fn, timeout);
    };

    test('read-only', 'a backend is read-only exactly when it has no write, and then says why', async () => {
      const writes = (['register', 'deregister', 'heartbeat', 'setTraffic', 'setWeight', 'updateMetadata'] as const).filter((m) => typeof h.backend[m] === 'function');
      if (h.backend.readOnly !== undefined) {
        expect(writes).toEqual([]);
        expect(h.backend.readOnly.trim()).not.toBe('');
        // Its instances can only come from where the registry reads them.
        expect(typeof h.seed).toBe('function');
      } else {
        expect(writes.length).toBeGreaterThan(0);
      }
    });

    test('register', 'a registered instance is listed and shown with its facts, and the registry holds it', async () => {
      const r = ref();
      await register(r, req('10.9.0.1', 8080, { weight: 2, metadata: { zone: 'eu-1' } }));
      const weight = weighted() ? 2 : null;
      expect(await probed(r, '10.9.0.1', 8080)).toMatchObject({ enabled: true, weight, metadata: { zone: 'eu-1' } });
      const d = await shows(r, 1);
      // A registry may store names in its own case (Eureka upper-cases them).
      expect(d.backend).toBe(h.backend.name);
      expect(d.name.toLowerCase()).toBe(r.name.toLowerCase());
      for (const k of h.backend.scope.kinds) expect(d[k]).toBe(r.scope[k] ?? h.backend.scope.defaults[k]);
      const i = d.instances[0]!;
      expect(i).toMatchObject({ ip: '10.9.0.1', port: 8080, weight, traffic: 'enabled', enabled: true, metadata: { zone: 'eu-1' } });
      expect(i.id).not.toBe('');
      expect(i.healthy).toBe(i.health === 'passing');
      const listed = await eventually(h.settleMs, async () => {
        const all = await h.backend.listServices({ scope: h.scope, text: r.name });
        expect(all.map((s) => s.name.toLowerCase())).toEqual([r.name.toLowerCase()]);
        return all[0]!;
      });
      expect(listed).toMatchObject({ backend: h.backend.name, instances: 1, disabled: 0 });
    });

    test('scope-isolation', 'another scope does not see the service', async () => {
      if (h.otherScope === null) throw new Error('the harness has no other scope; skip this case with a reason');
      const r = ref();
      await register(r, req('10.9.0.2', 8080));
      await shows(r, 1);
      expect(await h.probe.instances({ scope: h.otherScope, name: r.name })).toEqual([]);
      expect((await h.backend.listServices({ scope: h.otherScope, text: r.name })).map((s) => s.name)).toEqual([]);
      const err = await h.backend.getService({ scope: h.otherScope, name: r.name }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('not-found');
    });

    test('traffic', 'drain and undrain change what the registry holds, and the instance stays registered', async () => {
      const r = ref();
      await register(r, req('10.9.0.3', 8080));
      const id = (await shows(r, 1)).instances[0]!.id;
      const drained = await can('setTraffic')(r, id, 'disabled');
      expect(drained.instances[0]).toMatchObject({ traffic: 'disabled', enabled: false });
      await eventually(h.settleMs, async () => expect(await probed(r, '10.9.0.3', 8080)).toMatchObject({ enabled: false }));
      await eventually(h.settleMs, async () => expect((await h.backend.listServices({ scope: h.scope, text: r.name }))[0]).toMatchObject({ disabled: 1 }));
      await can('setTraffic')(r, id, 'enabled');
      await eventually(h.settleMs, async () => expect(await probed(r, '10.9.0.3', 8080)).toMatchObject({ enabled: true }));
    });

    test('weight', 'a new weight reaches the registry', async () => {
      const r = ref();
      await register(r, req('10.9.0.4', 8080));
      const id = (await shows(r, 1)).instances[0]!.id;
      expect((await can('setWeight')(r, id, 7)).instances[0]!.weight).toBe(7);
      await eventually(h.settleMs, async () => expect((await probed(r, '10.9.0.4', 8080))?.weight).toBe(7));
    });

    test('metadata', 'metadata keys are set and removed, and the others stay', async () => {
      const r = ref();
      await register(r, req('10.9.0.5', 8080, { metadata: { keep: '1', drop: '2' } }));
      const id = (await shows(r, 1)).instances[0]!.id;
      await can('updateMetadata')(r, id, { set: { added: '3', keep: '1b' }, remove: ['drop'] });
      await eventually(h.settleMs, async () => expect((await probed(r, '10.9.0.5', 8080))?.metadata).toEqual({ keep: '1b', added: '3' }));
    });

    test('deregister', 'a deregistered instance is gone from the registry and the listing', async () => {
      const r = ref();
      await register(r, req('10.9.0.6', 8080));
      await register(r, req('10.9.0.7', 8080));
      const d = await shows(r, 2);
      await can('deregister')(r, d.instances.find((i) => i.ip === '10.9.0.6')!.id);
      await eventually(h.settleMs, async () => expect((await h.probe.instances(r)).map((i) => i.ip)).toEqual(['10.9.0.7']));
      expect((await shows(r, 1)).instances[0]!.ip).toBe('10.9.0.7');
    });

    test('ephemeral', 'an ephemeral instance lives by heartbeats: kept while they come, gone after its lease', async () => {
      const lease = h.lease;
      if (!lease) throw new Error('the harness has no lease; skip this case with a reason');
      const r = ref();
      const ttl = h.backend.leaseTtl === 'per-instance' ? { ttlMs: lease.ttlMs } : {};
      await register(r, req('10.9.0.8', 8080, { ephemeral: true, ...ttl, metadata: lease.metadata ?? {} }));
      const first = (await shows(r, 1)).instances[0]!;
      expect(first).toMatchObject({ ephemeral: true, health: 'passing' });
      // Heartbeats for longer than the lease keep it registered and passing.
      const until = Date.now() + lease.goneWithinMs + lease.ttlMs;
      while (Date.now() < until) {
        await can('heartbeat')(r, first.id);
        await new Promise((res) => setTimeout(res, lease.ttlMs / 3));
      }
      expect(await probed(r, '10.9.0.8', 8080)).toBeDefined();
      expect((await h.backend.getService(r)).instances[0]!.health).toBe('passing');
      // Silent: gone from the registry within its lease.
      await eventually(lease.goneWithinMs + h.settleMs, async () => expect(await h.probe.instances(r)).toEqual([]));
      const err = await can('heartbeat')(r, first.id).catch((e: unknown) => e);
      expect((err as OpsError).kind).toBe('not-found');
    }, 120_000);

    test('lease-ttl', 'a TTL is taken where the registry has per-instance leases, and refused where the registry sets them', async () => {
      const r = ref();
      const attempt = register(r, req('10.9.0.11', 8080, { ephemeral: true, ttlMs: 60_000 }));
      if (h.backend.leaseTtl === 'per-instance') {
        await attempt;
        await eventually(h.settleMs, async () => expect(await probed(r, '10.9.0.11', 8080)).toBeDefined());
        return;
      }
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('usage');
      expect((err as OpsError).message).toContain(h.backend.name);
      // Nothing was registered.
      expect(await h.probe.instances(r)).toEqual([]);
    });

    test('cancelled', 'a registration whose signal has aborted (Ctrl-C) fails and registers nothing', async () => {
      const r = ref();
      const ac = new AbortController();
      ac.abort();
      if (!h.backend.register) throw new Error(`${label} cannot register instances`);
      const refused = await h.backend.register(r, req('10.9.0.13', 8080), { signal: ac.signal }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpsError);
      expect((refused as OpsError).kind).toBe('failed');
      expect(await h.probe.instances(r)).toEqual([]);
    });

    test('not-found', 'an unknown service is not-found, and the message names it', async () => {
      const name = fresh();
      const err = await h.backend.getService(ref(name)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpsError);
      expect((err as OpsError).kind).toBe('not-found');
      expect((err as OpsError).message).toContain(name);
    });

    test('alias', 'IP:PORT names the one instance at that address', async () => {
      const r = ref();
      await register(r, req('10.9.0.9', 8080));
      await register(r, req('10.9.0.9', 9090));
      const d = await shows(r, 2);
      const m = matchInstance(d, '10.9.0.9:9090');
      expect(m.kind).toBe('found');
      expect(m.kind === 'found' && m.instance.port).toBe(9090);
      expect(matchInstance(d, m.kind === 'found' ? m.instance.id : '')).toEqual(m);
      expect(matchInstance(d, '10.9.0.9:1')).toEqual({ kind: 'none' });
    });

    test('ambiguous-alias', 'an address that names two instances is ambiguous, with both as candidates', async () => {
      if (!h.twoAtOneAddress) throw new Error('the harness cannot put two instances at one address; skip this case with a reason');
      const r = ref();
      await h.twoAtOneAddress(r, '10.9.0.10', 8080);
      const d = await shows(r, 2);
      const m = matchInstance(d, '10.9.0.10:8080');
      expect(m.kind).toBe('ambiguous');
      expect(m.kind === 'ambiguous' && m.candidates.map((c) => c.id).sort()).toEqual(d.instances.map((i) => i.id).sort());
    });
  });
}
