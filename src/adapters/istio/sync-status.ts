import type { ProxySync, SyncType } from './debug-answers.js';

/**
 * Which proxies run on configuration istiod pushed but they did not acknowledge, as `istioctl
 * proxy-status` reads /debug/syncz (docs/dev/istio-facts.md §3): per xDS type, no nonce sent is
 * NOT SENT, the same nonce sent and acknowledged is SYNCED, a nonce sent and none acknowledged is
 * STALE (Never Acknowledged), and any other pair is STALE. A proxy is stale when any type is.
 */

export type SyncState = 'SYNCED' | 'NOT SENT' | 'STALE' | 'STALE (Never Acknowledged)';

export function syncState(t: Pick<SyncType, 'sent' | 'acked'>): SyncState {
  if (t.sent === null) return 'NOT SENT';
  if (t.acked === null) return 'STALE (Never Acknowledged)';
  return t.sent === t.acked ? 'SYNCED' : 'STALE';
}

export interface StaleProxy {
  proxy: string;
  /** The stale types: "endpoint never acknowledged", "listener", each with the proxy's last error where istiod kept one. */
  types: string[];
}

export function staleProxies(all: readonly ProxySync[]): StaleProxy[] {
  return all.flatMap((p) => {
    const types = p.types.flatMap((t) => {
      const state = syncState(t);
      if (!state.startsWith('STALE')) return [];
      const never = state === 'STALE' ? '' : ' never acknowledged';
      return [`${t.type}${never}${t.lastError ? `, last error: ${t.lastError}` : ''}`];
    });
    return types.length === 0 ? [] : [{ proxy: p.proxy, types }];
  });
}

function named(stale: readonly StaleProxy[]): string {
  const shown = stale.slice(0, 4).map((p) => `${p.proxy} (${p.types.join('; ')})`);
  return `${shown.join(', ')}${stale.length > 4 ? ` and ${stale.length - 4} more` : ''}`;
}

/** The listing's warning: how many of the connected proxies are stale, naming a few. */
export function meshSyncWarning(all: readonly ProxySync[]): string[] {
  const stale = staleProxies(all);
  if (stale.length === 0) return [];
  return [`${stale.length} of ${all.length} proxies connected to istiod have not acknowledged its last push, so they may still route by older endpoints: ${named(stale)} (what istioctl proxy-status calls STALE)`];
}

/** The pod a proxy id `<pod>.<namespace>` names. */
export function podOf(proxy: string): { pod: string; namespace: string } {
  const dot = proxy.lastIndexOf('.');
  return dot < 0 ? { pod: proxy, namespace: '' } : { pod: proxy.slice(0, dot), namespace: proxy.slice(dot + 1) };
}

/**
 * A service's warning: its stale proxies. `owns` says whether a proxy's pod is one of the
 * service's endpoints (exactly, by pod name, on the Kubernetes path; by the workload's name as the
 * pod's prefix on istiod's, whose endpoints do not name their pods).
 */
export function serviceSyncWarning(all: readonly ProxySync[], owns: (pod: string, namespace: string) => boolean): string[] {
  const stale = staleProxies(all.filter((p) => {
    const { pod, namespace } = podOf(p.proxy);
    return owns(pod, namespace);
  }));
  if (stale.length === 0) return [];
  return [`${stale.length === 1 ? 'the sidecar of one instance has' : `the sidecars of ${stale.length} instances have`} not acknowledged istiod's last push (STALE in istioctl proxy-status), so ${stale.length === 1 ? 'it' : 'they'} may route by older endpoints: ${named(stale)}`];
}
