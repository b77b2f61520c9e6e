import { joinDrift, type DriftKind, type DriftRow, type MetricsReading, type RegistryReading, type Unjudged, type UpSample } from '../../core/drift.js';
import { isOpsError, OpsError } from '../../core/errors.js';
import type { RegistryBackend, ServiceSummary } from '../../core/registry.js';
import { SCOPE_KINDS, type Scope } from '../../core/scope.js';
import type { ListStop } from '../../core/types.js';
import type { Session } from '../../session/session.js';
import { askEach, listingExitCode, type BackendPart } from '../listing.js';
import { serviceParts } from './list.js';

/** One source of a drift report: a registry or the metrics backend, and how much of it was read. */
export interface DriftSource {
  name: string;
  role: 'registry' | 'metrics';
  type: string;
  complete: boolean;
  stoppedBy: ListStop;
  error: string | null;
  warnings?: string[];
  /** Registries: services and instances read; metrics: `up` series read. */
  services?: number;
  instances?: number;
  series?: number;
}

/** What `services drift` returns (docs/drift.md): field names are API. */
export interface DriftReport {
  /** Every source was read whole. */
  complete: boolean;
  sources: DriftSource[];
  rows: DriftRow[];
  /** Kinds that could not be judged in full, and why (a source down, or no metrics backend). */
  unjudged: Unjudged[];
}

export interface DriftAsk {
  service?: string | undefined;
  ignore?: readonly DriftKind[];
}

/** The metrics entry's `drift:` keys (checked when the profile loaded), with their defaults. */
export interface DriftLabels {
  service: string;
  instance: string;
  upQuery: string;
}

export function driftLabels(spec: Record<string, unknown> | undefined): DriftLabels {
  const d = (spec?.drift ?? {}) as { serviceLabel?: string; instanceLabel?: string; upQuery?: string };
  const console = typeof spec?.serviceLabel === 'string' ? spec.serviceLabel : undefined;
  return { service: d.serviceLabel ?? console ?? 'job', instance: d.instanceLabel ?? 'instance', upQuery: d.upQuery ?? 'up' };
}

/** How many services of one registry are read at once: enough to hide latency, few enough to spare the server. */
const DETAIL_CONCURRENCY = 16;

/**
 * Reads every registry of the profile (each listing, then each service's instances) and the
 * metrics backend's `up` series, all concurrently and each on its own, then joins them
 * (`joinDrift`). A source that fails is an incomplete source with its error; the report still
 * holds what the others say. Every source failing is that failure.
 */
export async function driftReport(session: Session, ask: DriftAsk, o: { signal?: AbortSignal; now?: () => number } = {}): Promise<DriftReport> {
  const signal = o.signal ?? new AbortController().signal;
  const labels = driftLabels(session.profile.metrics as Record<string, unknown> | undefined);
  const [registries, metrics] = await Promise.all([readRegistries(session, ask.service, signal), readMetrics(session, labels, signal)]);
  const parts: Array<BackendPart<unknown>> = [...registries.map((r) => r.part), ...(metrics ? [metrics.part] : [])];
  const failed = parts.filter((p) => p.error !== null);
  if (signal.aborted && failed.length > 0) throw new OpsError('failed', 'services drift was cancelled; nothing was changed', 'run it again, narrower with --service');
  if (failed.length > 0 && failed.length === parts.length) throw failed[0]!.error!;
  const answer = joinDrift({
    registries: registries.map((r) => r.reading),
    metrics: metrics?.reading ?? null,
    labels,
    now: (o.now ?? Date.now)(),
    ...(ask.ignore ? { ignore: ask.ignore } : {}),
    ...(ask.service === undefined ? {} : { service: ask.service }),
  });
  const typeOf = new Map(session.registryBackends().map((h) => [h.name, h.type]));
  const sources: DriftSource[] = [
    ...registries.map(({ part, reading }) => ({
      ...sourceOf(part, 'registry', typeOf.get(part.backend) ?? part.backend),
      services: reading.services.length,
      instances: reading.services.reduce((n, s) => n + s.instances.length, 0),
    })),
    ...(metrics ? [{ ...sourceOf(metrics.part, 'metrics', String(session.profile.metrics!.type)), series: metrics.reading.series.length }] : []),
  ];
  return { complete: sources.every((s) => s.complete), sources, ...answer };
}

/** 3 when a source is down (its own code: 2 for a configuration error), else 1 when there is drift, else 0. */
export function driftExitCode(data: unknown): number {
  const d = data as DriftReport;
  const sources = listingExitCode({ backends: d.sources.map((s) => ({ backend: s.name, complete: s.complete, stoppedBy: s.stoppedBy, error: s.error })) });
  return sources > 0 ? sources : d.rows.length > 0 ? 1 : 0;
}

function sourceOf(part: BackendPart<unknown>, role: DriftSource['role'], type: string): DriftSource {
  return { name: part.backend, role, type, complete: part.complete, stoppedBy: part.stoppedBy, error: part.error?.message ?? null, ...(part.warnings.length > 0 ? { warnings: part.warnings } : {}) };
}

type Read<R> = { part: BackendPart<unknown>; reading: R };

export async function readRegistries(session: Session, service: string | undefined, signal: AbortSignal): Promise<Array<Read<RegistryReading>>> {
  // The listing narrowed by name (contains, case-insensitive); the exact match is the join's.
  const parts = await serviceParts(session, service === undefined ? {} : { filter: service }, () => ({ signal }));
  return Promise.all(parts.map((p) => readInstances(session, p, service, signal)));
}

/** Each listed service's instances; a failure marks the registry incomplete with that error. */
async function readInstances(session: Session, part: BackendPart<ServiceSummary>, service: string | undefined, signal: AbortSignal): Promise<Read<RegistryReading>> {
  const reading: RegistryReading = { name: part.backend, complete: part.complete, services: [] };
  const wanted = part.items.filter((s) => service === undefined || s.name.toLowerCase() === service.toLowerCase());
  if (part.error || wanted.length === 0) return { part, reading };
  let failure: OpsError | null = null;
  try {
    const registry: RegistryBackend = await session.registryBackend(part.backend);
    let next = 0;
    const worker = async () => {
      while (next < wanted.length && failure === null && !signal.aborted) {
        const s = wanted[next++]!;
        try {
          const d = await registry.getService({ scope: scopeOf(s), name: s.name }, { signal });
          reading.services.push({ name: s.name, scope: scopeOf(s), instances: d.instances });
        } catch (e) {
          // Gone between the listing and the read: it is no longer registered, which is not a failure.
          if (isOpsError(e) && e.kind === 'not-found') continue;
          failure = isOpsError(e) ? e : new OpsError('failed', String((e as Error)?.message ?? e));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, wanted.length) }, worker));
  } catch (e) {
    failure = isOpsError(e) ? e : new OpsError('failed', String((e as Error)?.message ?? e));
  }
  if (signal.aborted && failure === null) failure = new OpsError('failed', 'cancelled');
  if (failure === null) return { part, reading };
  const error: OpsError = failure;
  reading.complete = false;
  const stoppedBy: ListStop = error.kind === 'unreachable' || error.kind === 'timeout' || error.kind === 'unauthorized' ? error.kind : 'error';
  return { part: { ...part, complete: false, stoppedBy, error }, reading };
}

function scopeOf(s: ServiceSummary): Scope {
  const scope: Scope = {};
  for (const k of SCOPE_KINDS) if (s[k] !== undefined) scope[k] = s[k];
  return scope;
}

async function readMetrics(session: Session, labels: DriftLabels, signal: AbortSignal): Promise<Read<MetricsReading> | null> {
  const spec = session.profile.metrics;
  if (!spec) return null;
  const name = String(spec.name ?? spec.type);
  const [part] = await askEach([{ name, open: () => session.metrics() }], async (m, _n, stopped, warn) => {
    const answer = await m.query(labels.upQuery, undefined, undefined, signal);
    // A partial answer (a Thanos store missing) cannot prove that a target is not scraped.
    for (const w of answer.warnings) warn(`the server warns: ${w}`);
    if (answer.warnings.length > 0) stopped('error');
    return samplesOf(answer.data, labels.upQuery);
  });
  return { part: part!, reading: { name, complete: part!.complete, series: part!.items as UpSample[] } };
}

function samplesOf(data: { resultType: string; result: unknown }, expr: string): UpSample[] {
  if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
    throw new OpsError('config', `the drift query ${JSON.stringify(expr)} gave a ${data.resultType}, not an instant vector of up series`, 'set metrics.drift.upQuery to a selector of up, for example up{job!="prometheus"}');
  }
  return data.result.map((r: { metric?: Record<string, string>; value?: [number, string] }) => ({ labels: r.metric ?? {}, value: Number(r.value?.[1]) }));
}
