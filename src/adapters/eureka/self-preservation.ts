import { formatDuration } from '../../core/duration.js';
import type { EurekaApplication, EurekaInstance } from './answers.js';
import { leaseTimes } from './instance-view.js';

/**
 * Whether Eureka is most likely in self-preservation, computed from what the registry shows,
 * since no JSON endpoint says it (docs/dev/eureka-facts.md §6). Pure: tested on data and checked
 * against real servers with self-preservation on and off.
 *
 * Eureka expires leases only while the renewals of the last minute exceed
 * `numberOfRenewsPerMinThreshold = int(expected clients × 60 / expectedClientRenewalIntervalSeconds × renewalPercentThreshold)`.
 * Spring's server starts expecting one client even when empty and adds one per registration, so
 * the expected count is taken as the instances listed plus one (Eureka's 15-minute recount sets it
 * to the instances listed in a larger registry: the threshold here is then about 1.7 too high, so
 * a registry right at the edge may be called in self-preservation a little early). The renewals
 * are estimated from the leases: an instance whose lease has not run out is taken to renew at its
 * own interval, one whose lease ran out not at all. The lease times must be the registry's own
 * (`GET /apps/{APP}/{ID}`), not those of Eureka's cached listing, which renewals do not refresh.
 */

export interface SelfPreservationSettings {
  /** Whether the server has self-preservation enabled at all (the profile says; the server does not). */
  selfPreservation: boolean;
  renewalPercentThreshold: number;
  expectedClientRenewalIntervalSeconds: number;
}

export interface ExpiredInstance {
  app: string;
  id: string;
  /** How long ago its lease ran out. */
  expiredForMs: number;
}

export interface RegistryAssessment {
  instances: number;
  /** Estimated renewals in a minute. */
  renewsPerMin: number;
  /** Eureka's renewal threshold as computed from the instances listed. */
  threshold: number;
  /** The estimate says Eureka expires no leases now (always false when the profile says self-preservation is off). */
  selfPreservation: boolean;
  /** Instances listed although their leases ran out: Eureka still hands them to clients. */
  expired: ExpiredInstance[];
}

/** The renewals an instance sends in a minute, as far as its lease shows. */
function renewsPerMin(i: EurekaInstance, now: number): number {
  if (i.lease === null || leaseTimes(i.lease).expiresAt < now) return 0;
  return 60 / Math.max(1, i.lease.renewalIntervalInSecs);
}

/** Instances whose lease ran out, longest expired first. */
export function expiredInstances(apps: readonly EurekaApplication[], now: number): ExpiredInstance[] {
  const out: ExpiredInstance[] = [];
  for (const a of apps) {
    for (const i of a.instances) {
      if (i.lease === null) continue;
      const over = now - leaseTimes(i.lease).expiresAt;
      if (over > 0) out.push({ app: a.name, id: i.id, expiredForMs: over });
    }
  }
  return out.sort((x, y) => y.expiredForMs - x.expiredForMs);
}

export function assessRegistry(apps: readonly EurekaApplication[], now: number, o: SelfPreservationSettings): RegistryAssessment {
  const all = apps.flatMap((a) => a.instances);
  const renews = Math.round(all.reduce((sum, i) => sum + renewsPerMin(i, now), 0));
  const threshold = Math.floor((all.length + 1) * (60 / o.expectedClientRenewalIntervalSeconds) * o.renewalPercentThreshold);
  // Eureka: lease expiration is enabled only when the threshold is above 0 and the renewals above it.
  const selfPreservation = o.selfPreservation && !(threshold > 0 && renews > threshold);
  return { instances: all.length, renewsPerMin: renews, threshold, selfPreservation, expired: expiredInstances(apps, now) };
}

/** "ORDERS/o-1 (3m00s ago), CART/c-2 (12s ago) and 3 more": names a few, counts the rest. */
function named(expired: readonly ExpiredInstance[], withApp: boolean): string {
  const shown = expired.slice(0, 3).map((e) => `${withApp ? `${e.app}/` : ''}${e.id} (${formatDuration(e.expiredForMs)} ago)`);
  return `${shown.join(', ')}${expired.length > 3 ? ` and ${expired.length - 3} more` : ''}`;
}

function stillListed(n: number): string {
  return n === 1 ? '1 instance is still listed although its lease ran out' : `${n} instances are still listed although their leases ran out`;
}

/** The banner for a listing of the whole registry: self-preservation, and what it keeps. */
export function registryWarnings(a: RegistryAssessment): string[] {
  const kept = a.expired.length === 0 ? '' : `; ${stillListed(a.expired.length)}: ${named(a.expired, true)}`;
  if (a.selfPreservation) {
    return [
      `self-preservation is most likely on: about ${a.renewsPerMin} lease renewals a minute against Eureka's threshold of ${a.threshold} for ${a.instances === 1 ? '1 instance' : `${a.instances} instances`}, so Eureka expires no leases and keeps instances that stopped renewing${kept} (an estimate from the leases, since Eureka publishes no flag; set selfPreservation: false in the profile if the server runs without it)`,
    ];
  }
  if (a.expired.length > 0) return [`${stillListed(a.expired.length)}, and clients are still handed ${a.expired.length === 1 ? 'it' : 'them'} until Eureka evicts ${a.expired.length === 1 ? 'it' : 'them'}: ${named(a.expired, true)}`];
  return [];
}

/** The warning for one service: its instances whose leases ran out. */
export function serviceWarnings(expired: readonly ExpiredInstance[], o: SelfPreservationSettings): string[] {
  if (expired.length === 0) return [];
  const them = expired.length === 1 ? 'it' : 'them';
  const why = o.selfPreservation ? `; Eureka keeps ${them} while it is in self-preservation (services list shows whether it most likely is)` : '';
  return [`${stillListed(expired.length)}, and clients are still handed ${them} until Eureka evicts ${them}: ${named(expired, false)}${why}`];
}
