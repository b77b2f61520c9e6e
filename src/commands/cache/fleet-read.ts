import type { CacheStats } from '../../core/cache.js';
import type { CacheFleet, CacheRow, CacheSourceStatus } from '../../core/cache-fleet.js';
import { DEFAULT_FLEET, type CacheFleetSpec } from '../../core/cache-mapping.js';
import { byCacheThenInstance, cacheQueries, rowsFromAnswers, windowLabel, type VectorSample } from '../../core/cache-queries.js';
import { redisRow } from '../../core/cache-redis-row.js';
import { OpsError } from '../../core/errors.js';
import type { MetricsBackend } from '../../core/metrics.js';
import { redactText } from '../../core/redact.js';
import type { Session } from '../../session/session.js';
import { addToProfile } from '../../session/profile-types.js';
import { askEach, coverageOf, type BackendPart } from '../listing.js';

/** What the fleet view reads: the window for Prometheus, how long to watch Redis, one cache or all. */
export interface FleetAsk {
  windowMs: number;
  sampleMs: number;
  /** Only this cache (its rows, and only its series are queried). */
  cache?: string;
  signal?: AbortSignal;
  warn?(message: string): void;
}

/** The profile's `caches:` block, or the defaults (Micrometer's names). */
export function fleetSpec(session: Session): CacheFleetSpec {
  return session.profile.caches ?? DEFAULT_FLEET;
}

/**
 * Reads every cache of the profile: each mapping's series from its metrics backend, and its Redis
 * through INFO, each source on its own, so one that is down is that source's incomplete part (its
 * error, and exit 3 for unreachable) while the others' rows still show. Nothing configured that
 * has caches is a configuration error naming what to add.
 */
export async function readFleet(session: Session, ask: FleetAsk): Promise<CacheFleet> {
  const spec = fleetSpec(session);
  const windowSeconds = ask.windowMs / 1000;
  const window = windowLabel(windowSeconds);
  const profile = session.profile;
  const redisSpec = profile.cache?.type === 'redis' ? profile.cache : undefined;
  if (!profile.metrics && !redisSpec) {
    throw new OpsError('config', `profile ${profile.name} has no metrics backend and no Redis cache, so there are no caches to read`, addToProfile(profile, '"metrics:" (a Prometheus that scrapes the services) or "cache: {type: redis, ...}"'));
  }
  const metricsParts = profile.metrics
    ? askEach([{ name: profile.metrics.name ?? profile.metrics.type, open: () => session.metrics() }], async (backend, name, _stopped, warn) => {
        const rows = await Promise.all(spec.sources.map((m) => mappingRows(backend, name, m, spec, windowSeconds, window, ask, warn)));
        return rows.flat();
      })
    : Promise.resolve([] as Array<BackendPart<CacheRow>>);
  const redisParts = redisSpec
    ? askEach([{ name: redisSpec.name ?? 'redis', open: () => session.cache() }], async (cache, name) => {
        if (ask.cache !== undefined && ask.cache !== name) return [];
        const first = await cache.stats();
        await sleep(ask.sampleMs, ask.signal);
        const second: CacheStats = await cache.stats();
        return [redisRow(name, redisInstance(redisSpec, name), first, second, ask.sampleMs / 1000, windowLabel(ask.sampleMs / 1000), spec.flags)];
      })
    : Promise.resolve([] as Array<BackendPart<CacheRow>>);
  const [m, r] = await Promise.all([metricsParts, redisParts]);
  for (const p of [...m, ...r]) for (const w of p.warnings) ask.warn?.(`${p.backend}: ${w}`);
  const coverage = coverageOf([...m, ...r]);
  const backends: CacheSourceStatus[] = coverage.backends.map((b, i) => ({
    backend: b.backend,
    subsystem: i < m.length ? 'metrics' : 'cache',
    complete: b.complete,
    stoppedBy: b.stoppedBy,
    error: b.error,
  }));
  const caches = [...m, ...r].flatMap((p) => p.items).sort(byCacheThenInstance);
  return { complete: coverage.complete, stoppedBy: coverage.stoppedBy, backends, window, caches };
}

async function mappingRows(
  backend: MetricsBackend,
  source: string,
  m: CacheFleetSpec['sources'][number],
  spec: CacheFleetSpec,
  windowSeconds: number,
  window: string,
  ask: FleetAsk,
  warn: (message: string) => void,
): Promise<CacheRow[]> {
  const queries = cacheQueries(m, windowSeconds, ask.cache);
  const answers = await Promise.all(
    queries.map(async (q) => {
      const a = await backend.query(q.expr, undefined, undefined, ask.signal);
      for (const w of a.warnings) warn(`the server warns: ${w}`);
      return a.data.resultType === 'vector' && Array.isArray(a.data.result) ? (a.data.result as VectorSample[]) : [];
    }),
  );
  return rowsFromAnswers(m, spec.flags, { source, window, windowSeconds }, queries, answers);
}

/** `host:port` of the Redis URL (credentials never shown); the backend's name when it cannot be read. */
function redisInstance(spec: Record<string, unknown>, name: string): string {
  const url = typeof spec.url === 'string' ? spec.url : Array.isArray(spec.urls) && typeof spec.urls[0] === 'string' ? spec.urls[0] : null;
  if (url === null || url.includes('${')) return name;
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return redactText(url);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new OpsError('failed', 'cancelled', 'run it again'));
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(t);
      reject(new OpsError('failed', 'the cache listing was cancelled', 'run it again'));
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
