import type { Health, InstanceView } from '../../core/registry.js';
import type { CheckFacts, HealthEntry } from './answers.js';

/**
 * An instance as opsdeck shows it, from one /v1/health/service entry. Pure, so the rules are
 * tested on data:
 *
 * - Maintenance (a `_service_maintenance:<id>` check, or `_node_maintenance` on its node) is the
 *   drain: traffic `disabled`. Consul makes it a critical check, so `?passing` drops the
 *   instance, which is what a drain must achieve.
 * - `health` is the worst of the other checks, the node's included (`serfHealth`): a dead node
 *   makes its instances critical. Maintenance is left out of it, so a drained instance still says
 *   how it is doing, as on every other registry. An instance without checks is passing.
 * - `status` is what Consul itself makes of all checks, maintenance included (`passing`,
 *   `warning`, `critical`), or `maintenance` while it is in maintenance; `statusOverride` is
 *   `maintenance` then too: an operator's override, as Eureka's OUT_OF_SERVICE is.
 * - `weight` is `Weights.Passing`, the weight Consul's DNS gives the instance while it passes
 *   (`Weights.Warning` applies while it warns; a critical one gets none). Null where Consul sends no weights.
 * - `ephemeral` is true for an instance with a TTL check (it lives by heartbeats); otherwise null,
 *   since whether a DeregisterCriticalServiceAfter would remove it is not in the answer.
 */
export function instanceOf(e: HealthEntry): InstanceView {
  const mine = e.checks.filter((c) => c.serviceId === '' || c.serviceId === e.service.id);
  const maintenance = mine.filter(isMaintenance);
  const health = worst(mine.filter((c) => !isMaintenance(c)).map((c) => c.status));
  const consul = worst(mine.map((c) => c.status));
  const ttl = mine.some((c) => c.type === 'ttl' && c.serviceId === e.service.id);
  return {
    id: e.service.id,
    // An empty service address means "the node's address".
    ip: e.service.address || e.node.address,
    port: e.service.port,
    health,
    traffic: maintenance.length > 0 ? 'disabled' : 'enabled',
    status: maintenance.length > 0 ? 'maintenance' : consul,
    statusOverride: maintenance.length > 0 ? 'maintenance' : null,
    weight: e.service.weights?.passing ?? null,
    ephemeral: ttl ? true : null,
    cluster: null,
    metadata: e.service.meta,
    tags: e.service.tags,
    lastHeartbeat: null,
    lease: null,
    // Consul keeps no pages for an instance; its checks' URLs are checks, not the instance's pages.
    urls: {},
    healthy: health === 'passing',
    enabled: maintenance.length === 0,
  };
}

export function isMaintenance(c: Pick<CheckFacts, 'checkId' | 'type'>): boolean {
  return c.type === 'maintenance' || c.checkId === '_node_maintenance' || c.checkId.startsWith('_service_maintenance:');
}

/** The maintenance reasons of an instance (Consul keeps them in the checks' Notes). */
export function maintenanceReasons(e: HealthEntry): string[] {
  return e.checks.filter((c) => (c.serviceId === '' || c.serviceId === e.service.id) && isMaintenance(c)).map((c) => c.notes);
}

const RANK: Record<Health, number> = { passing: 0, unknown: 1, warning: 2, critical: 3 };

/** The worst of some check states; none is passing (Consul: an instance without checks passes). A word Consul does not document is unknown. */
export function worst(states: readonly string[]): Health {
  let out: Health = 'passing';
  for (const s of states) {
    const h: Health = s === 'passing' || s === 'warning' || s === 'critical' ? s : 'unknown';
    if (RANK[h] > RANK[out]) out = h;
  }
  return out;
}
