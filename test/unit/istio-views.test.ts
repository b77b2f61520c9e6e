import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/adapters/index.js';
import { loadProfiles } from '../../src/session/load-profiles.js';
import { ISTIO_OPTIONS } from '../../src/adapters/istio/options.js';
import type { MeshEndpoint } from '../../src/adapters/istio/debug-answers.js';
import { endpointView, healthScheme, withUniqueIds } from '../../src/adapters/istio/mesh-view.js';
import { sliceState } from '../../src/adapters/istio/kube-view.js';
import { subsetsOf, withSubsets } from '../../src/adapters/istio/subsets.js';
import { staleProxies, syncState } from '../../src/adapters/istio/sync-status.js';
import { requireCapability } from '../../src/commands/capability.js';
import { OpsError } from '../../src/core/errors.js';
import type { RegistryBackend } from '../../src/core/registry.js';
import { namedRegistryBackend } from '../../src/session/named-backends.js';

/** The Istio adapter's pure mappings: health by version, sync states, ids, slice conditions, options. */

const ep = (o: Partial<MeshEndpoint>): MeshEndpoint => ({
  hostname: 'h', namespace: 'ns', address: '10.0.0.1', port: 80, portName: 'http', labels: {}, serviceAccount: '', cluster: 'c1', network: '', locality: '', workload: 'w', healthStatus: null, weight: 0, node: null, ...o,
});

describe('HealthStatus by version', () => {
  it('tells the numbering from the answer where it can, else from istioVersion, else says it cannot', () => {
    expect(healthScheme([ep({ healthStatus: 1 })], 'shards', undefined)).toBe('from-1.18');
    expect(healthScheme([ep({})], 'instances', undefined)).toBe('none');
    expect(healthScheme([ep({ healthStatus: 0 }), ep({ healthStatus: 1 })], 'instances', undefined)).toBe('until-1.17');
    expect(healthScheme([ep({ healthStatus: 1 }), ep({ healthStatus: 2 })], 'instances', undefined)).toBe('from-1.18');
    expect(healthScheme([ep({ healthStatus: 1 })], 'instances', undefined)).toBe('unknown');
    expect(healthScheme([ep({ healthStatus: 1 })], 'instances', '1.17')).toBe('until-1.17');
    expect(healthScheme([ep({ healthStatus: 1 })], 'instances', '1.19.3')).toBe('from-1.18');
  });

  it('reads each number in its scheme: 1 is unhealthy until 1.17 and healthy after; 3 drains', () => {
    const v = (h: number, s: Parameters<typeof endpointView>[1]) => {
      const x = endpointView(ep({ healthStatus: h }), s);
      return [x.health, x.traffic, x.status];
    };
    expect(v(1, 'until-1.17')).toEqual(['critical', 'enabled', 'UNHEALTHY']);
    expect(v(1, 'from-1.18')).toEqual(['passing', 'enabled', 'HEALTHY']);
    expect(v(3, 'from-1.18')).toEqual(['passing', 'disabled', 'DRAINING']);
    expect(v(1, 'unknown')).toEqual(['unknown', 'enabled', 'HealthStatus 1']);
    expect(v(9, 'from-1.18')).toEqual(['unknown', 'enabled', 'HealthStatus 9']);
  });

  it('an LbWeight of 0 is no weight', () => {
    expect(endpointView(ep({ weight: 0 }), 'none').weight).toBeNull();
    expect(endpointView(ep({ weight: 3 }), 'none').weight).toBe(3);
  });
});

describe('ids', () => {
  it('are IP:PORT, with the cluster added only where two endpoints share an address', () => {
    const views = withUniqueIds([endpointView(ep({ cluster: 'east' }), 'none'), endpointView(ep({ cluster: 'west' }), 'none'), endpointView(ep({ port: 81 }), 'none')]);
    expect(views.map((v) => v.id)).toEqual(['10.0.0.1:80@east', '10.0.0.1:80@west', '10.0.0.1:81']);
  });
});

describe('syncz states, as istioctl proxy-status reads them', () => {
  it('NOT SENT, SYNCED, STALE and STALE (Never Acknowledged)', () => {
    expect(syncState({ sent: null, acked: null })).toBe('NOT SENT');
    expect(syncState({ sent: 'a', acked: 'a' })).toBe('SYNCED');
    expect(syncState({ sent: 'b', acked: 'a' })).toBe('STALE');
    expect(syncState({ sent: 'b', acked: null })).toBe('STALE (Never Acknowledged)');
    const t = (type: string, sent: string | null, acked: string | null, lastError: string | null = null) => ({ type, sent, acked, lastError });
    expect(staleProxies([
      { proxy: 'a.ns', cluster: null, proxyType: null, istioVersion: null, types: [t('cluster', 'x', 'x'), t('route', null, null)] },
      { proxy: 'b.ns', cluster: null, proxyType: null, istioVersion: null, types: [t('listener', 'y', 'x', 'NACK: bad filter'), t('endpoint', 'z', null)] },
    ])).toEqual([{ proxy: 'b.ns', types: ['listener, last error: NACK: bad filter', 'endpoint never acknowledged'] }]);
  });
});

describe('EndpointSlice conditions', () => {
  it('ready passes; terminating drains (warning while serving); not ready is critical; unset ready reads as ready', () => {
    expect(sliceState({ ready: true, serving: true, terminating: false })).toEqual({ health: 'passing', traffic: 'enabled', status: 'ready' });
    expect(sliceState({ ready: false, serving: true, terminating: true })).toEqual({ health: 'warning', traffic: 'disabled', status: 'terminating, serving' });
    expect(sliceState({ ready: false, serving: false, terminating: true })).toEqual({ health: 'critical', traffic: 'disabled', status: 'terminating' });
    expect(sliceState({ ready: false, serving: false, terminating: false })).toEqual({ health: 'critical', traffic: 'enabled', status: 'not ready' });
    expect(sliceState({ ready: null, serving: null, terminating: null }).health).toBe('passing');
  });
});

describe('read-only backends', () => {
  const backend = { name: 'mesh', scope: { kinds: [], defaults: {} }, readOnly: 'it is fed by Kubernetes', leaseTtl: 'server', listServices: async () => [], getService: async () => ({ backend: 'mesh', name: 'x', instances: [] }) } as RegistryBackend;

  it('a missing write names the backend and says it is read-only and why (exit 2, as any missing capability)', () => {
    const e = (() => {
      try {
        requireCapability(backend, 'setTraffic', 'drain instances');
      } catch (x) {
        return x as OpsError;
      }
      throw new Error('expected a refusal');
    })();
    expect([e.kind, e.message]).toEqual(['config', 'backend mesh is read-only and cannot drain instances: it is fed by Kubernetes']);
  });

  it('keeps its reason under the name a profile gives it', () => {
    expect(namedRegistryBackend(backend, 'istio-prod').readOnly).toBe('it is fed by Kubernetes');
  });
});

describe('profile options', () => {
  const read = (o: Record<string, unknown>) => ISTIO_OPTIONS.read(o);
  const err = (o: Record<string, unknown>) => {
    try {
      read(o);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an option error');
  };

  it('needs url or kubeUrl; the API needs its token; each token needs its server', () => {
    expect(err({})).toContain('needs url');
    expect(err({ kubeUrl: 'https://k:6443' })).toContain('needs a bearer token');
    expect(err({ url: 'http://i:15014', token: 't' })).toContain("token is the Kubernetes API's");
    expect(err({ kubeUrl: 'https://k:6443', token: 't', debugToken: 'd' })).toContain("debugToken is istiod's");
    expect(err({ url: 'http://u:p@i:15014' })).toContain('takes no user:password');
    expect(err({ url: 'http://i:15014', namespace: 'Shop' })).toContain('Kubernetes namespace name');
    expect(err({ url: 'http://i:15014', istioVersion: '2' })).toContain('an Istio version');
  });

  it('defaults: namespace default, namespaces [namespace], no trailing slash', () => {
    expect(read({ url: 'http://i:15014/' })).toMatchObject({ url: 'http://i:15014', namespace: 'default', namespaces: ['default'], insecure: false, timeoutMs: 10_000 });
    expect(read({ kubeUrl: 'https://k:6443', token: 't', namespace: 'shop', namespaces: ['shop', 'pay'] })).toMatchObject({ namespaces: ['shop', 'pay'] });
  });
});

describe('profile files with type: istio', () => {
  const load = async (entry: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-istio-profile-'));
    try {
      const path = join(dir, 'config.yaml');
      writeFileSync(path, `profiles:\n  mesh:\n    registry: ${entry}\n`);
      return await loadProfiles(path, true, ADAPTERS).then(
        (set) => ({ ok: set.profiles.has('mesh'), error: null as OpsError | null }),
        (e: unknown) => ({ ok: false, error: e as OpsError }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('load with either url, a token left as a reference until connect', async () => {
    expect(await load('{ type: istio, url: "http://127.0.0.1:15014" }')).toEqual({ ok: true, error: null });
    expect(await load('{ type: istio, kubeUrl: "https://k:6443", token: "${KUBE_TOKEN}", caCert: "${file:/ca.crt}", namespaces: [shop] }')).toEqual({ ok: true, error: null });
  });

  it('refuse a misspelt key with its position and the key it resembles, and an entry without a server', async () => {
    const typo = (await load('{ type: istio, url: "http://127.0.0.1:15014", kubeURL: "https://k" }')).error!;
    expect(typo.kind).toBe('config');
    expect(`${typo.message} ${typo.hint}`).toMatch(/config\.yaml:3:\d+: .*kubeURL.*did you mean kubeUrl/);
    const none = (await load('{ type: istio, namespace: shop }')).error!;
    expect(none.message).toContain('needs url');
  });
});

describe('DestinationRule subsets', () => {
  const rule = (namespace: string, host: string) => ({ name: `dr-${namespace}`, namespace, host, subsets: [{ name: 'v1', labels: { version: 'v1' } as Record<string, string> }, { name: 'all', labels: {} as Record<string, string> }] });
  const svc = { name: 'reviews', namespace: 'shop', hostname: 'reviews.shop.svc.cluster.local' };

  it("a short host means the service in the rule's namespace; a full hostname means it anywhere", () => {
    expect(subsetsOf([rule('shop', 'reviews')], svc).map((x) => x.name)).toEqual(['v1', 'all']);
    expect(subsetsOf([rule('other', 'reviews')], svc)).toEqual([]);
    expect(subsetsOf([rule('other', 'reviews.shop.svc.cluster.local')], svc)).toHaveLength(2);
    expect(subsetsOf([rule('shop', 'reviews.shop')], svc)).toHaveLength(2);
  });

  it('an instance is in a subset when it carries all of its labels; a subset without labels names nobody', () => {
    const subsets = subsetsOf([rule('shop', 'reviews')], svc);
    expect(withSubsets(endpointView(ep({ labels: { version: 'v1', app: 'reviews' } }), 'none'), subsets).metadata['istio.subset']).toBe('v1');
    expect(withSubsets(endpointView(ep({ labels: { version: 'v2' } }), 'none'), subsets).metadata).not.toHaveProperty('istio.subset');
  });
});
