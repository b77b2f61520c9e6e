import type { Health, InstanceView, Traffic } from '../../core/registry.js';
import type { MeshEndpoint } from './debug-answers.js';

/**
 * istiod's endpoints in the registry contract's words. Pure, so the mapping is tested on data.
 *
 * HealthStatus changed meaning in 1.18 (docs/dev/istio-facts.md §2): up to 1.17 0 is healthy and
 * 1 unhealthy; from 1.18 1 is healthy, 2 unhealthy and 3 draining. 1.10 has no field: its
 * Kubernetes controller left out endpoints that were not ready, so every endpoint it lists is.
 */
export type HealthScheme = 'none' | 'until-1.17' | 'from-1.18' | 'unknown';

/** The scheme of one answer: from its shape and values where they tell, else from the profile's istioVersion. */
export function healthScheme(endpoints: readonly MeshEndpoint[], shape: 'instances' | 'shards', istioVersion: string | undefined): HealthScheme {
  if (shape === 'shards') return 'from-1.18';
  const values = endpoints.map((e) => e.healthStatus);
  if (values.length > 0 && values.every((v) => v === null)) return 'none';
  if (values.some((v) => v === 0)) return 'until-1.17';
  if (values.some((v) => v === 2 || v === 3)) return 'from-1.18';
  if (istioVersion !== undefined) return Number(istioVersion.split('.')[1]) >= 18 ? 'from-1.18' : 'until-1.17';
  return values.length === 0 ? 'from-1.18' : 'unknown';
}

/** The warning for an answer whose HealthStatus numbering could not be told. */
export const UNKNOWN_SCHEME = "istiod's endpoints carry HealthStatus 1, which means healthy from Istio 1.18 and unhealthy before: set istioVersion in the profile to read it (health shows unknown until then)";

const WORDS: Record<Exclude<HealthScheme, 'none' | 'unknown'>, Record<number, { status: string; health: Health; traffic: Traffic }>> = {
  'until-1.17': { 0: { status: 'HEALTHY', health: 'passing', traffic: 'enabled' }, 1: { status: 'UNHEALTHY', health: 'critical', traffic: 'enabled' } },
  'from-1.18': {
    1: { status: 'HEALTHY', health: 'passing', traffic: 'enabled' },
    2: { status: 'UNHEALTHY', health: 'critical', traffic: 'enabled' },
    // Draining: kept for persistent sessions only, no new connections.
    3: { status: 'DRAINING', health: 'passing', traffic: 'disabled' },
    4: { status: 'TERMINATING', health: 'critical', traffic: 'disabled' },
  },
};

function stateOf(e: MeshEndpoint, scheme: HealthScheme): { status: string | null; health: Health; traffic: Traffic } {
  if (scheme === 'none') return { status: null, health: 'passing', traffic: 'enabled' };
  if (scheme === 'unknown' || e.healthStatus === null) return { status: e.healthStatus === null ? null : `HealthStatus ${e.healthStatus}`, health: 'unknown', traffic: 'enabled' };
  return WORDS[scheme][e.healthStatus] ?? { status: `HealthStatus ${e.healthStatus}`, health: 'unknown', traffic: 'enabled' };
}

/** Facts that are not labels, under `istio.` keys (Istio's own labels are `*.istio.io/…`, so these do not clash with them). */
function facts(e: MeshEndpoint): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: string | null) => {
    if (v) out[`istio.${k}`] = v;
  };
  put('workload', e.workload);
  put('serviceAccount', e.serviceAccount);
  put('port', e.portName);
  put('locality', e.locality);
  put('network', e.network);
  put('node', e.node);
  return out;
}

export function endpointView(e: MeshEndpoint, scheme: HealthScheme): InstanceView {
  const { status, health, traffic } = stateOf(e, scheme);
  return {
    id: `${e.address}:${e.port}`,
    ip: e.address,
    port: e.port,
    health,
    traffic,
    status,
    statusOverride: null,
    // 0 is "not set": Envoy then weighs every endpoint alike.
    weight: e.weight > 0 ? e.weight : null,
    ephemeral: null,
    cluster: e.cluster,
    metadata: { ...e.labels, ...facts(e) },
    tags: [],
    urls: {},
    lastHeartbeat: null,
    lease: null,
    healthy: health === 'passing',
    enabled: traffic === 'enabled',
  };
}

/**
 * Ids are `IP:PORT`; two endpoints at one address (two clusters with overlapping pod ranges, a
 * workload listed by two registries) get their cluster added, `IP:PORT@cluster`, so each keeps an
 * id of its own and the address alone is ambiguous, as it is.
 */
export function withUniqueIds(views: InstanceView[]): InstanceView[] {
  const count = new Map<string, number>();
  for (const v of views) count.set(v.id, (count.get(v.id) ?? 0) + 1);
  const used = new Map<string, number>();
  return views.map((v) => {
    if (count.get(v.id)! === 1) return v;
    let id = `${v.id}@${v.cluster ?? 'unknown'}`;
    const n = (used.get(id) ?? 0) + 1;
    used.set(id, n);
    if (n > 1) id = `${id}#${n}`;
    return { ...v, id };
  });
}

/** A listing row's counts from its instances. */
export function counts(views: readonly InstanceView[]): { instances: number; healthy: number; disabled: number } {
  return { instances: views.length, healthy: views.filter((v) => v.health === 'passing').length, disabled: views.filter((v) => v.traffic === 'disabled').length };
}
