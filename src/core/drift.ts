import { formatDuration } from './duration.js';
import type { InstanceView } from './registry.js';
import { describeScope, type Scope } from './scope.js';

/**
 * Drift: where the registries of a profile and Prometheus disagree about the fleet. Pure: the
 * command reads every source (each on its own, concurrently) and hands the readings here, so each
 * rule is tested on data. A source that could not be read whole is never taken as evidence of an
 * absence: the rules that would need it are listed in `unjudged` instead of guessing.
 */

/** The kinds of disagreement, in the order rows are listed. Names are API (`--ignore`, JSON). */
export const DRIFT_KINDS = ['service-missing', 'not-scraped', 'not-registered', 'healthy-but-down', 'expired-kept'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** One line of what each kind means, for help and the docs' table. */
export const DRIFT_KIND_MEANING: Record<DriftKind, string> = {
  'service-missing': 'a service registered in one registry but not in another (a migration in progress)',
  'not-scraped': 'an instance registered but not scraped (no up series for its address)',
  'not-registered': 'a target scraped but registered in no registry (any more)',
  'healthy-but-down': 'an instance the registry marks healthy and in traffic while its up is 0',
  'expired-kept': 'an instance still listed although its lease ran out (Eureka in self-preservation)',
};

/** What one registry held: every service it listed, with the instances read for it. */
export interface RegistryReading {
  name: string;
  /** False when the listing or a service's instances could not all be read: an absence from it proves nothing. */
  complete: boolean;
  services: Array<{ name: string; scope: Scope; instances: InstanceView[] }>;
}

/** One `up` sample: its labels and value (1 scraped, 0 the scrape failed). */
export interface UpSample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricsReading {
  name: string;
  /** False when the query failed or answered in part: an absence from it proves nothing. */
  complete: boolean;
  series: UpSample[];
}

export interface DriftQuestion {
  registries: RegistryReading[];
  /** Null when the profile has no metrics backend. */
  metrics: MetricsReading | null;
  /** The label naming a target's service (job by default) and the one holding its address (instance, "ip:port"). */
  labels: { service: string; instance: string };
  now: number;
  ignore?: readonly DriftKind[];
  /** Only this service (case-insensitive): rows about other services are left out. */
  service?: string;
}

/** One source's side of a disagreement, in a few words. */
export interface DriftSide {
  source: string;
  says: string;
}

export interface DriftRow {
  kind: DriftKind;
  /** The service as its source spells it (registries may differ in case: Eureka upper-cases). */
  service: string;
  /** `ip:port`, or null for a row about a whole service. */
  instance: string | null;
  /** The sources that disagree, each with what it holds. */
  disagree: DriftSide[];
  /** The row as a sentence. */
  message: string;
}

/** A kind that could not be judged in full, and which source kept it from being judged. */
export interface Unjudged {
  kind: DriftKind;
  reason: string;
}

export interface DriftAnswer {
  rows: DriftRow[];
  unjudged: Unjudged[];
}

const norm = (name: string) => name.toLowerCase();

/** `ip:port`, with brackets around an IPv6 address as Prometheus writes its instance label. */
export function addressOf(i: Pick<InstanceView, 'ip' | 'port'>): string {
  return i.ip.includes(':') ? `[${i.ip}]:${i.port}` : `${i.ip}:${i.port}`;
}

interface Placed {
  registry: string;
  service: string;
  scope: Scope;
  instance: InstanceView;
}

export function joinDrift(q: DriftQuestion): DriftAnswer {
  const ignored = new Set(q.ignore ?? []);
  const wanted = (name: string | undefined) => q.service === undefined || (name !== undefined && norm(name) === norm(q.service));
  const rows: DriftRow[] = [];
  const unjudged: Unjudged[] = [];
  const judge = (kind: DriftKind, missing: string | null, judgeRows: () => void) => {
    if (ignored.has(kind)) return;
    if (missing !== null) unjudged.push({ kind, reason: missing });
    judgeRows();
  };
  const partial = q.registries.filter((r) => !r.complete).map((r) => r.name);
  const partialNote = partial.length === 0 ? null : `${list(partial)} could not be read whole, so`;
  const metrics = q.metrics;
  const noMetrics = metrics === null ? 'the profile has no metrics backend' : null;

  // Services by name across registries (Eureka upper-cases names: ORDERS is orders).
  if (q.registries.length > 1) {
    judge('service-missing', partialNote && `${partialNote} a service missing from it is not reported`, () => {
      const byName = new Map<string, Map<string, { name: string; scope: Scope; instances: number }>>();
      for (const r of q.registries) {
        for (const s of r.services) {
          if (!wanted(s.name)) continue;
          const inR = byName.get(norm(s.name)) ?? new Map();
          byName.set(norm(s.name), inR);
          const seen = inR.get(r.name);
          // The first scope holding it names it; other scopes add their instances.
          if (seen) seen.instances += s.instances.length;
          else inR.set(r.name, { name: s.name, scope: s.scope, instances: s.instances.length });
        }
      }
      for (const inR of byName.values()) {
        const lacking = q.registries.filter((r) => r.complete && !inR.has(r.name)).map((r) => r.name);
        if (lacking.length === 0) continue;
        const has = [...inR.entries()];
        const name = has[0]![1].name;
        rows.push({
          kind: 'service-missing',
          service: name,
          instance: null,
          disagree: [
            ...has.map(([source, s]) => ({ source, says: `registers ${s.name}${scopeWords(s.scope)} with ${count(s.instances, 'instance')}` })),
            ...lacking.map((source) => ({ source, says: 'has no such service' })),
          ],
          message: `${name} is registered in ${list(has.map(([n]) => n))} but not in ${list(lacking)}`,
        });
      }
    });
  }

  const placed: Placed[] = q.registries.flatMap((r) => r.services.filter((s) => wanted(s.name)).flatMap((s) => s.instances.map((instance) => ({ registry: r.name, service: s.name, scope: s.scope, instance }))));
  const seriesAt = new Map<string, UpSample[]>();
  for (const s of metrics?.series ?? []) {
    const at = s.labels[q.labels.instance];
    if (at === undefined) continue;
    seriesAt.set(at, [...(seriesAt.get(at) ?? []), s]);
  }
  /** The series of an instance: those at its address, and of those the ones labelled with its service when some are. */
  const seriesOf = (p: Placed): UpSample[] => {
    const at = seriesAt.get(addressOf(p.instance)) ?? [];
    const own = at.filter((s) => norm(s.labels[q.labels.service] ?? '') === norm(p.service));
    return own.length > 0 ? own : at;
  };
  const source = metrics?.name ?? 'metrics';
  const upWords = (s: UpSample) => `up == ${s.value}${s.labels[q.labels.service] === undefined ? '' : ` (${q.labels.service} ${s.labels[q.labels.service]})`}`;
  const registered = (p: Placed, what: string): DriftSide => ({ source: p.registry, says: `${what}${scopeWords(p.scope)}` });

  judge('not-scraped', noMetrics ?? (metrics!.complete ? null : `${metrics!.name} could not be read whole, so an instance it has no series for is not reported`), () => {
    if (metrics === null || !metrics.complete) return;
    for (const p of placed) {
      if (seriesOf(p).length > 0) continue;
      rows.push({
        kind: 'not-scraped',
        service: p.service,
        instance: addressOf(p.instance),
        disagree: [registered(p, `registers it, ${p.instance.health}`), { source, says: `has no up series with ${q.labels.instance}="${addressOf(p.instance)}"` }],
        message: `${p.service} ${addressOf(p.instance)} is registered in ${p.registry} but ${source} does not scrape it`,
      });
    }
  });

  const metricsPart = metrics !== null && !metrics.complete ? `${metrics.name} could not be read whole, so a target it did not return is not reported` : null;
  judge('not-registered', noMetrics ?? (partialNote && `${partialNote} a target missing from it is not reported`) ?? metricsPart, () => {
    if (partialNote) return;
    const at = new Set(placed.map((p) => addressOf(p.instance)));
    const done = new Set<string>();
    for (const s of metrics?.series ?? []) {
      const address = s.labels[q.labels.instance];
      const service = s.labels[q.labels.service] ?? '';
      if (address === undefined || at.has(address) || !wanted(s.labels[q.labels.service])) continue;
      const key = `${address} ${service}`;
      if (done.has(key)) continue;
      done.add(key);
      rows.push({
        kind: 'not-registered',
        service,
        instance: address,
        disagree: [{ source, says: `scrapes it: ${upWords(s)}` }, ...q.registries.map((r) => ({ source: r.name, says: 'has no instance at this address' }))],
        message: `${source} scrapes ${address}${service ? ` (${q.labels.service} ${service})` : ''}, which no registry has`,
      });
    }
  });

  judge('healthy-but-down', noMetrics ?? (metrics!.complete ? null : `${metrics!.name} could not be read whole, so some instances had no up to compare`), () => {
    for (const p of placed) {
      // A drained instance takes no traffic: being down then is what maintenance looks like.
      if (p.instance.health !== 'passing' || p.instance.traffic !== 'enabled') continue;
      const down = seriesOf(p).find((s) => s.value === 0);
      if (!down) continue;
      rows.push({
        kind: 'healthy-but-down',
        service: p.service,
        instance: addressOf(p.instance),
        disagree: [registered(p, 'marks it passing, in traffic'), { source, says: upWords(down) }],
        message: `${p.service} ${addressOf(p.instance)} is passing in ${p.registry}, so clients are sent to it, but its scrape fails (up == 0)`,
      });
    }
  });

  judge('expired-kept', null, () => {
    for (const p of placed) {
      const end = p.instance.lease?.expiresAt;
      const over = end ? q.now - Date.parse(end) : NaN;
      if (!(over > 0)) continue;
      const up = metrics?.complete || metrics?.series.length ? seriesOf(p) : null;
      rows.push({
        kind: 'expired-kept',
        service: p.service,
        instance: addressOf(p.instance),
        disagree: [
          registered(p, `still lists it; its lease ran out ${formatDuration(over)} ago`),
          ...(up === null ? [] : [{ source, says: up.length === 0 ? 'has no up series for it' : up.map(upWords).join(', ') }]),
        ],
        message: `${p.service} ${addressOf(p.instance)} is still handed to clients by ${p.registry} although its lease ran out ${formatDuration(over)} ago`,
      });
    }
  });

  const order = (k: DriftKind) => DRIFT_KINDS.indexOf(k);
  rows.sort((a, b) => order(a.kind) - order(b.kind) || cmp(norm(a.service), norm(b.service)) || cmp(a.instance ?? '', b.instance ?? '') || cmp(a.disagree[0]?.source ?? '', b.disagree[0]?.source ?? ''));
  return { rows, unjudged };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function scopeWords(scope: Scope): string {
  const d = describeScope(scope);
  return d ? ` (${d})` : '';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "a", "a and b", "a, b and c". */
function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
