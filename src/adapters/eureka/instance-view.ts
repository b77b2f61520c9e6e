import { isoOrNull } from '../../core/iso-time.js';
import type { Health, InstanceView, Traffic } from '../../core/registry.js';
import type { EurekaInstance, EurekaLease } from './answers.js';

/**
 * A Eureka instance in the registry contract's words. Pure, so the mapping is tested on data.
 *
 * - status: the word Eureka hands clients (an override replaces it), with the override apart;
 * - traffic: disabled exactly when that word is OUT_OF_SERVICE (what a drain sets; clients take
 *   UP instances only, but DOWN and STARTING are health, not an operator's decision);
 * - health: UP passing, DOWN critical, STARTING warning (alive, not ready), OUT_OF_SERVICE and
 *   UNKNOWN unknown (an override hides what the instance reports); and critical whatever the word
 *   once the lease ran out, which is Eureka's own test for an instance to evict;
 * - every Eureka instance lives by its lease, so all are ephemeral.
 */

/** The last heartbeat and the end of the lease, from Eureka's lease fields (facts §4). */
export interface LeaseTimes {
  durationMs: number;
  lastBeat: number;
  expiresAt: number;
}

/**
 * Once an instance has renewed, Eureka stores the renewal time plus the duration as
 * `lastRenewalTimestamp` and evicts when now passes that plus the duration again; before the first
 * renewal the field equals the registration time (a registration counts as a heartbeat).
 */
export function leaseTimes(l: EurekaLease): LeaseTimes {
  const durationMs = l.durationInSecs * 1000;
  const last = l.lastRenewalTimestamp > 0 ? l.lastRenewalTimestamp : l.registrationTimestamp;
  const renewed = l.lastRenewalTimestamp > l.registrationTimestamp;
  return { durationMs, lastBeat: renewed ? last - durationMs : last, expiresAt: last + durationMs };
}

/** Whether Eureka would evict the instance now if it could: its lease ran out. */
export function isExpired(i: EurekaInstance, now: number): boolean {
  return i.lease !== null && leaseTimes(i.lease).expiresAt < now;
}

const HEALTH: Record<string, Health> = { UP: 'passing', DOWN: 'critical', STARTING: 'warning' };

/** The port clients are given: the plain one if enabled, else the secure one if enabled, else whatever is there. */
function portOf(i: EurekaInstance): number {
  if (i.port?.enabled) return i.port.port;
  if (i.securePort?.enabled) return i.securePort.port;
  return i.port?.port ?? i.securePort?.port ?? 0;
}

/** The override, where there is one: Eureka writes UNKNOWN for none. */
export function overrideOf(i: EurekaInstance): string | null {
  return i.overriddenStatus === null || i.overriddenStatus === 'UNKNOWN' ? null : i.overriddenStatus;
}

export function viewOf(i: EurekaInstance, now: number): InstanceView {
  const times = i.lease === null ? null : leaseTimes(i.lease);
  const health: Health = times !== null && times.expiresAt < now ? 'critical' : (HEALTH[i.status] ?? 'unknown');
  const traffic: Traffic = i.status === 'OUT_OF_SERVICE' ? 'disabled' : 'enabled';
  const urls: Record<string, string> = {};
  for (const [name, url] of [['home', i.homePageUrl], ['status', i.statusPageUrl], ['health', i.healthCheckUrl], ['secureHealth', i.secureHealthCheckUrl]] as const) {
    if (url) urls[name] = url;
  }
  return {
    id: i.id,
    ip: i.ipAddr,
    port: portOf(i),
    health,
    traffic,
    status: i.status,
    statusOverride: overrideOf(i),
    weight: null,
    ephemeral: true,
    // Spring Cloud's zone is metadata; on AWS the data center info names the availability zone.
    cluster: i.metadata.zone ?? i.availabilityZone,
    metadata: i.metadata,
    tags: [],
    urls,
    lastHeartbeat: times === null ? null : isoOrNull(times.lastBeat),
    lease: times === null ? null : { durationMs: times.durationMs, expiresAt: isoOrNull(times.expiresAt) },
    healthy: health === 'passing',
    enabled: traffic === 'enabled',
  };
}

