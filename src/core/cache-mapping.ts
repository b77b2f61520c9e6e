import { didYouMean } from './did-you-mean.js';

/**
 * How a cache library's Prometheus series become the fleet view's fields: data, written in the
 * profile's `caches:` block, with the defaults below for Micrometer (Caffeine), bigcache and
 * groupcache exporters. Pure: the profile loader hands the parsed YAML here.
 */

/** The fields a mapping fills from series. Counters are read as increases over the window. */
export interface CacheMetricNames {
  /** Counter of lookups that hit (groupcache: cache hits). */
  hits: string;
  /** Counter of lookups that missed; absent when `requests` counts every lookup. */
  misses?: string;
  /** Counter of every lookup (groupcache: gets); absent: hits + misses. */
  requests?: string;
  evictions?: string;
  /** Gauge of the current size (entries or bytes, as `sizeUnit` says). */
  size?: string;
  /** Gauge of the bound the size is held to; `bounds` gives it per cache when nothing exports it. */
  bound?: string;
  /** Counter of lookups served by loads from peers (groupcache). */
  peerLoads?: string;
}

export interface CacheMapping {
  /** What rows read by it are called (the KIND column). */
  kind: string;
  metrics: CacheMetricNames;
  /** The label naming the cache, and the one naming the instance. */
  cacheLabel: string;
  instanceLabel: string;
  /** More labels that keep rows apart (Micrometer's cacheManager tag, which Prometheus names cache_manager; the job). */
  keepLabels: string[];
  /** Label matchers every selector gets, to narrow the mapping to some jobs: `job="api"`. */
  selector: string | null;
  sizeUnit: 'entries' | 'bytes';
  /** Bounds per cache name, for libraries that export no bound (Micrometer does not). */
  bounds: Record<string, number>;
  /** The kind's other counters, shown as per-second rates under their names (`puts` → `putsPerSec`). */
  extra: Record<string, string>;
}

/** The thresholds of the flags (cache-flags.ts); the profile's `caches.flags` overrides any of them. */
export interface CacheFlagRules {
  /** The hit ratio fell by at least this much (0.05: five points) against the hour before. */
  ratioDrop: number;
  /** Lookups the window (and the hour before) must hold before a drop is judged. */
  minRequests: number;
  /** A cache is at its bound from this fill on. */
  atBound: number;
  /** Evicting hard: at least this many evictions per lookup. */
  evictHard: number;
  /** A Redis with noeviction is near full from this fill on. */
  nearFull: number;
}

export const DEFAULT_FLAG_RULES: CacheFlagRules = { ratioDrop: 0.05, minRequests: 100, atBound: 0.95, evictHard: 0.1, nearFull: 0.9 };

/** The profile's `caches:` block, read. */
export interface CacheFleetSpec {
  sources: CacheMapping[];
  flags: CacheFlagRules;
}

/**
 * Micrometer's cache binders (CaffeineCacheMetrics through Spring Boot, and the JCache, Guava and
 * Ehcache ones) as the Prometheus registry names them. Micrometer exports no bound: give it in `bounds`.
 */
const MICROMETER: CacheMapping = {
  kind: 'micrometer',
  metrics: {
    hits: 'cache_gets_total{result="hit"}',
    misses: 'cache_gets_total{result="miss"}',
    evictions: 'cache_evictions_total',
    size: 'cache_size',
  },
  cacheLabel: 'cache',
  instanceLabel: 'instance',
  keepLabels: ['cache_manager', 'job'],
  selector: null,
  sizeUnit: 'entries',
  bounds: {},
  extra: { puts: 'cache_puts_total', evictionWeight: 'cache_eviction_weight_total' },
};

/**
 * bigcache's `Stats()` (Hits, Misses, DelHits, DelMisses, Collisions) with `Len()` and `Capacity()`,
 * as an exporter would name them with a `cache` label. bigcache counts no evictions.
 */
const BIGCACHE: CacheMapping = {
  kind: 'bigcache',
  metrics: {
    hits: 'bigcache_hits_total',
    misses: 'bigcache_misses_total',
    size: 'bigcache_capacity_bytes',
    bound: 'bigcache_max_bytes',
  },
  cacheLabel: 'cache',
  instanceLabel: 'instance',
  keepLabels: ['job'],
  selector: null,
  sizeUnit: 'bytes',
  bounds: {},
  extra: { delHits: 'bigcache_del_hits_total', delMisses: 'bigcache_del_misses_total', collisions: 'bigcache_collisions_total' },
};

/**
 * groupcache's `Group.Stats` (Gets, CacheHits, PeerLoads, PeerErrors, Loads, LoadsDeduped,
 * LocalLoads) and its main cache's `CacheStats` (Bytes, Evictions), labelled by `group`, as
 * groupcache exporters name them. The bound is the group's cacheBytes, which the exporter may not know.
 */
const GROUPCACHE: CacheMapping = {
  kind: 'groupcache',
  metrics: {
    hits: 'groupcache_cache_hits_total',
    requests: 'groupcache_gets_total',
    evictions: 'groupcache_cache_evictions_total{type="main"}',
    size: 'groupcache_cache_bytes{type="main"}',
    peerLoads: 'groupcache_peer_loads_total',
  },
  cacheLabel: 'group',
  instanceLabel: 'instance',
  keepLabels: ['job'],
  selector: null,
  sizeUnit: 'bytes',
  bounds: {},
  extra: {
    peerErrors: 'groupcache_peer_errors_total',
    loads: 'groupcache_loads_total',
    loadsDeduped: 'groupcache_loads_deduped_total',
    localLoads: 'groupcache_local_loads_total',
  },
};

export const DEFAULT_MAPPINGS: Readonly<Record<string, CacheMapping>> = { micrometer: MICROMETER, bigcache: BIGCACHE, groupcache: GROUPCACHE };

/** With no `caches:` block, a profile with metrics reads Micrometer's series. */
export const DEFAULT_FLEET: CacheFleetSpec = { sources: [MICROMETER], flags: DEFAULT_FLAG_RULES };

/** A problem in the `caches:` block: where (below `caches`) and what. */
export class CacheSpecError extends Error {
  constructor(
    readonly path: Array<string | number>,
    readonly detail: string,
    readonly hint: string,
    /** Whether the problem is the key itself (an unknown one) or its value. */
    readonly on: 'key' | 'value' = 'value',
  ) {
    super(detail);
  }
}

const SELECTOR = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_FIELDS = ['hits', 'misses', 'requests', 'evictions', 'size', 'bound', 'peerLoads'] as const;
const SOURCE_KEYS = ['kind', 'from', 'metrics', 'cacheLabel', 'instanceLabel', 'keepLabels', 'selector', 'sizeUnit', 'bounds', 'extra'];
/** `did you mean bounds? ` when a key is a typo of a known one. */
function nearly(k: string, known: readonly string[]): string {
  const near = didYouMean(k, known);
  return near === undefined ? '' : `did you mean ${near}? `;
}
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the profile's `caches:` block: `{sources: [...], flags: {...}}`. A source names a `kind`;
 * when the kind is one of the defaults (or `from` names one) its fields start from that default
 * and the source overrides what it gives. Throws CacheSpecError at the first problem.
 */
export function readCacheFleet(raw: unknown): CacheFleetSpec {
  if (!isMap(raw)) throw new CacheSpecError([], 'caches must be a mapping with "sources" and/or "flags"', 'README "Caches" shows the format');
  for (const k of Object.keys(raw)) if (k !== 'sources' && k !== 'flags') throw new CacheSpecError([k], `unknown key "${k}"`, 'caches takes: sources, flags', 'key');
  const sources = raw.sources === undefined ? DEFAULT_FLEET.sources : readSources(raw.sources);
  return { sources, flags: readFlags(raw.flags) };
}

function readSources(v: unknown): CacheMapping[] {
  if (!Array.isArray(v)) throw new CacheSpecError(['sources'], 'sources must be a list', 'for example: sources: [{kind: micrometer}, {kind: groupcache}]');
  return v.map((s, i) => readSource(s, ['sources', i]));
}

function readSource(v: unknown, at: Array<string | number>): CacheMapping {
  if (!isMap(v)) throw new CacheSpecError(at, 'a source must be a mapping like {kind: micrometer}', 'README "Caches" shows the fields');
  for (const k of Object.keys(v)) if (!SOURCE_KEYS.includes(k)) throw new CacheSpecError([...at, k], `unknown key "${k}"`, `${nearly(k, SOURCE_KEYS)}a source takes: ${SOURCE_KEYS.join(', ')}`, 'key');
  const kind = text(v.kind, [...at, 'kind']);
  const from = v.from === undefined ? kind : text(v.from, [...at, 'from']);
  const base = DEFAULT_MAPPINGS[from];
  if (v.from !== undefined && !base) throw new CacheSpecError([...at, 'from'], `no default mapping "${from}"`, `use one of: ${Object.keys(DEFAULT_MAPPINGS).join(', ')}`);
  const metrics = readMetrics(v.metrics, [...at, 'metrics'], base?.metrics);
  const label = (key: string, dflt: string | undefined) => {
    const got = v[key] === undefined ? dflt : text(v[key], [...at, key]);
    if (got === undefined) throw new CacheSpecError([...at, key], `${key} is needed for a kind with no defaults`, 'name the label that carries it');
    if (!LABEL.test(got)) throw new CacheSpecError([...at, key], `${key} "${got}" is not a label name`, 'a label name is letters, digits and _');
    return got;
  };
  const keep = v.keepLabels === undefined ? (base?.keepLabels ?? []) : stringList(v.keepLabels, [...at, 'keepLabels']);
  keep.forEach((l, i) => {
    if (!LABEL.test(l)) throw new CacheSpecError([...at, 'keepLabels', i], `"${l}" is not a label name`, 'a label name is letters, digits and _');
  });
  const selector = v.selector === undefined ? (base?.selector ?? null) : text(v.selector, [...at, 'selector']);
  if (selector !== null && /[{}]/.test(selector)) throw new CacheSpecError([...at, 'selector'], 'selector holds label matchers without braces', 'for example: selector: job="api"');
  const sizeUnit = v.sizeUnit === undefined ? (base?.sizeUnit ?? 'entries') : v.sizeUnit;
  if (sizeUnit !== 'entries' && sizeUnit !== 'bytes') throw new CacheSpecError([...at, 'sizeUnit'], 'sizeUnit must be entries or bytes', 'entries counts items; bytes is memory');
  return {
    kind,
    metrics,
    cacheLabel: label('cacheLabel', base?.cacheLabel),
    instanceLabel: label('instanceLabel', base?.instanceLabel),
    keepLabels: keep,
    selector,
    sizeUnit,
    bounds: readBounds(v.bounds, [...at, 'bounds']),
    extra: v.extra === undefined ? { ...(base?.extra ?? {}) } : readSelectors(v.extra, [...at, 'extra']),
  };
}

function readMetrics(v: unknown, at: Array<string | number>, base: CacheMetricNames | undefined): CacheMetricNames {
  const given = v === undefined ? {} : v;
  if (!isMap(given)) throw new CacheSpecError(at, 'metrics must be a mapping of field: series selector', `the fields: ${METRIC_FIELDS.join(', ')}`);
  for (const k of Object.keys(given)) {
    if (!(METRIC_FIELDS as readonly string[]).includes(k)) throw new CacheSpecError([...at, k], `unknown field "${k}"`, `${nearly(k, METRIC_FIELDS)}the fields: ${METRIC_FIELDS.join(', ')}`, 'key');
  }
  const out: Record<string, string> = { ...(base ?? {}) };
  for (const [k, s] of Object.entries(given)) {
    // null takes a default field away (a build whose exporter lacks it).
    if (s === null) delete out[k];
    else out[k] = selectorText(s, [...at, k]);
  }
  if (out.hits === undefined) throw new CacheSpecError(at, 'metrics needs "hits"', 'and "misses" or "requests", so a hit ratio can be computed');
  if (out.misses === undefined && out.requests === undefined) throw new CacheSpecError(at, 'metrics needs "misses" or "requests"', 'requests counts every lookup; misses those that missed');
  return out as unknown as CacheMetricNames;
}

function readSelectors(v: unknown, at: Array<string | number>): Record<string, string> {
  if (!isMap(v)) throw new CacheSpecError(at, 'must be a mapping of name: series selector', 'for example: puts: cache_puts_total');
  return Object.fromEntries(Object.entries(v).map(([k, s]) => [k, selectorText(s, [...at, k])]));
}

function selectorText(v: unknown, at: Array<string | number>): string {
  const s = text(v, at);
  if (!SELECTOR.test(s)) throw new CacheSpecError(at, `"${s}" is not a series selector`, 'write a metric name with optional matchers: cache_gets_total{result="hit"}');
  return s;
}

function readBounds(v: unknown, at: Array<string | number>): Record<string, number> {
  if (v === undefined) return {};
  if (!isMap(v)) throw new CacheSpecError(at, 'bounds must be a mapping of cache name: bound', 'for example: bounds: {books: 10000}');
  for (const [k, n] of Object.entries(v)) {
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new CacheSpecError([...at, k], `the bound of ${k} must be a number above 0`, 'entries or bytes, as sizeUnit says');
  }
  return v as Record<string, number>;
}

function readFlags(v: unknown): CacheFlagRules {
  if (v === undefined) return DEFAULT_FLAG_RULES;
  if (!isMap(v)) throw new CacheSpecError(['flags'], 'flags must be a mapping', `it takes: ${Object.keys(DEFAULT_FLAG_RULES).join(', ')}`);
  const out = { ...DEFAULT_FLAG_RULES };
  for (const [k, n] of Object.entries(v)) {
    if (!(k in DEFAULT_FLAG_RULES)) throw new CacheSpecError(['flags', k], `unknown flag rule "${k}"`, `flags takes: ${Object.keys(DEFAULT_FLAG_RULES).join(', ')}`, 'key');
    const whole = k === 'minRequests';
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || (!whole && n > 1)) {
      throw new CacheSpecError(['flags', k], `${k} must be ${whole ? 'a number of lookups' : 'a fraction from 0 to 1'}`, `the default is ${DEFAULT_FLAG_RULES[k as keyof CacheFlagRules]}`);
    }
    out[k as keyof CacheFlagRules] = n;
  }
  return out;
}

function text(v: unknown, at: Array<string | number>): string {
  if (typeof v !== 'string' || v.trim() === '') throw new CacheSpecError(at, 'must be non-empty text', 'quote it if YAML reads it as something else');
  return v;
}

function stringList(v: unknown, at: Array<string | number>): string[] {
  if (!Array.isArray(v)) throw new CacheSpecError(at, 'must be a list of label names', 'for example: [cacheManager, job]');
  return v.map((x, i) => text(x, [...at, i]));
}
