import type { MetricsBackend } from '../../core/metrics.js';

/** What PromQL completion reads: label names and values, metadata and series (the `metrics` commands' answers). */
export type PromqlSource = Pick<MetricsBackend, 'labels' | 'metadata' | 'series'>;
import { prepareOperands } from './promql-complete.js';
import type { PromqlCompletionData } from './types.js';

/** Bounds on what is kept, whatever the server sends. */
export const PROMQL_CACHE_LIMITS = {
  metricNames: 50_000,
  /** Above this many metric names /metadata is not asked for (it would be one very large answer). */
  metadataUpTo: 10_000,
  helpChars: 200,
  labelNames: 5_000,
  valuesPerLabel: 5_000,
  seriesPerMetric: 10_000,
  /** Metrics whose series, and labels whose global values, are kept at once (least recently used go first). */
  keys: 200,
};

/** How far back series are looked up for a metric's labels and values. */
const LOOKBACK_S = 12 * 3600;

interface Slot<T> {
  at: number;
  value: T | undefined;
  loading: boolean;
}

/**
 * PromQL completion data from a metrics backend, loaded in the background and read synchronously.
 * Nothing is fetched until completion first asks; then each list is kept for `ttlMs` and reloaded
 * in the background when older, the old list still answering meanwhile. A failed load leaves what
 * was there and is retried after `retryMs`. Label values of one metric come from its series (one
 * request gives every label's values), fetched when the cursor first needs them.
 */
export class PromqlCache implements PromqlCompletionData {
  private names: Slot<string[]> = empty();
  private meta: Slot<Map<string, { type: string; help: string }>> = empty();
  private labels: Slot<string[]> = empty();
  private readonly perMetric = new Map<string, Slot<Map<string, string[]>>>();
  private readonly perLabel = new Map<string, Slot<string[]>>();

  constructor(
    private readonly backend: () => Promise<PromqlSource>,
    private readonly ttlMs = 5 * 60_000,
    private readonly retryMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  pending(): boolean {
    const first = (slot: Slot<unknown>) => slot.loading && slot.value === undefined;
    return first(this.names) || first(this.labels) || [...this.perMetric.values()].some(first) || [...this.perLabel.values()].some(first);
  }

  metricNames(): readonly string[] {
    this.names = this.ensure(this.names, async (b) => {
      const fresh = cap((await b.labels('__name__')).data, PROMQL_CACHE_LIMITS.metricNames);
      // An unchanged list keeps its identity, so its search index is not rebuilt.
      const old = this.names.value;
      if (old && old.length === fresh.length && old.every((v, i) => v === fresh[i])) return old;
      // Index the new list between keystrokes rather than on the next one that needs it.
      setImmediate(() => prepareOperands(fresh));
      return fresh;
    });
    const count = this.names.value?.length;
    // Metadata once names are known, and not for very large servers (one huge answer).
    if (count !== undefined && count <= PROMQL_CACHE_LIMITS.metadataUpTo) this.meta = this.ensure(this.meta, async (b) => metadataMap((await b.metadata()).data));
    return this.names.value ?? [];
  }

  metricInfo(name: string): { type: string; help: string } | undefined {
    const map = this.meta.value;
    if (!map) return undefined;
    const hit = map.get(name);
    if (hit) return hit;
    // Histogram and summary series and OpenMetrics counters carry a suffix their family lacks.
    const base = /^(.*)_(total|count|sum|bucket|created)$/.exec(name)?.[1];
    return base === undefined ? undefined : map.get(base);
  }

  labelNames(metric?: string): readonly string[] {
    if (metric !== undefined) {
      const own = this.metricSlot(metric).value;
      if (own) return [...own.keys()];
    }
    this.labels = this.ensure(this.labels, async (b) => cap((await b.labels()).data, PROMQL_CACHE_LIMITS.labelNames));
    return this.labels.value ?? [];
  }

  labelValues(label: string, metric?: string): readonly string[] | undefined {
    if (metric !== undefined) {
      const own = this.metricSlot(metric).value;
      return own ? (own.get(label) ?? []) : undefined;
    }
    const slot = this.ensure(this.perLabel.get(label) ?? empty<string[]>(), async (b) => cap((await b.labels(label)).data, PROMQL_CACHE_LIMITS.valuesPerLabel));
    remember(this.perLabel, label, slot);
    return slot.value;
  }

  private metricSlot(metric: string): Slot<Map<string, string[]>> {
    const slot = this.ensure(this.perMetric.get(metric) ?? empty<Map<string, string[]>>(), async (b) => {
      const end = Math.floor(this.now() / 1000);
      const series = (await b.series([`{__name__=${JSON.stringify(metric)}}`], end - LOOKBACK_S, end)).data;
      return valuesByLabel(Array.isArray(series) ? series.slice(0, PROMQL_CACHE_LIMITS.seriesPerMetric) : []);
    });
    remember(this.perMetric, metric, slot);
    return slot;
  }

  /**
   * Starts a background load when the slot is empty or stale and none is running; returns the
   * slot object the load will replace. Never awaits.
   */
  private ensure<T>(slot: Slot<T>, load: (b: PromqlSource) => Promise<T | undefined>): Slot<T> {
    const age = this.now() - slot.at;
    const due = slot.value === undefined && slot.at === 0 ? true : age > (slot.value === undefined ? this.retryMs : this.ttlMs);
    if (slot.loading || !due) return slot;
    slot.loading = true;
    void (async () => {
      try {
        const value = await load(await this.backend());
        if (value !== undefined) slot.value = value;
      } catch {
        // Completion is best effort: keep what there was and try again after retryMs.
      } finally {
        slot.at = this.now();
        slot.loading = false;
      }
    })();
    return slot;
  }
}

function empty<T>(): Slot<T> {
  return { at: 0, value: undefined, loading: false };
}

/** Keeps `slot` as the most recently used entry of `map`, dropping the oldest beyond the bound. */
function remember<T>(map: Map<string, Slot<T>>, key: string, slot: Slot<T>): void {
  map.delete(key);
  map.set(key, slot);
  while (map.size > PROMQL_CACHE_LIMITS.keys) map.delete(map.keys().next().value!);
}

function cap(list: unknown, max: number): string[] {
  if (!Array.isArray(list)) return [];
  return list.filter((v): v is string => typeof v === 'string').slice(0, max);
}

function metadataMap(data: unknown): Map<string, { type: string; help: string }> {
  const map = new Map<string, { type: string; help: string }>();
  if (typeof data !== 'object' || data === null) return map;
  for (const [name, entries] of Object.entries(data as Record<string, unknown>)) {
    if (map.size >= PROMQL_CACHE_LIMITS.metricNames) break;
    const first = Array.isArray(entries) ? (entries[0] as { type?: unknown; help?: unknown } | undefined) : undefined;
    if (!first) continue;
    const help = typeof first.help === 'string' ? first.help.replace(/\s+/g, ' ').slice(0, PROMQL_CACHE_LIMITS.helpChars) : '';
    map.set(name, { type: typeof first.type === 'string' ? first.type : '', help });
  }
  return map;
}

function valuesByLabel(series: unknown[]): Map<string, string[]> {
  const sets = new Map<string, Set<string>>();
  for (const s of series) {
    if (typeof s !== 'object' || s === null) continue;
    for (const [label, value] of Object.entries(s as Record<string, unknown>)) {
      if (label === '__name__' || typeof value !== 'string') continue;
      let set = sets.get(label);
      if (!set) sets.set(label, (set = new Set()));
      if (set.size < PROMQL_CACHE_LIMITS.valuesPerLabel) set.add(value);
    }
  }
  return new Map([...sets].map(([label, set]) => [label, [...set].sort()]));
}
