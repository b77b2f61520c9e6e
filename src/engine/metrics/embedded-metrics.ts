import type { MetricsAnswer, MetricsBackend, MetricsStoreOps, StoreStats } from '../../core/metrics.js';
import type { ScrapeTargetSpec } from '../../core/metrics-targets.js';
import { collect, targetHealth } from './collector.js';
import { metricsDbFor } from './durable-metrics.js';
import { importDump } from './import-dump.js';
import { apiToken } from './metrics-http.js';
import { instantQuery, labelNames, labelValues, metadataOf, rangeQuery, seriesOf, targetsData } from './metrics-api.js';

/** What the embedded metrics backend needs from its profile entry (adapters/embedded/options.ts). */
export interface EmbeddedMetricsSettings {
  name: string;
  dataDir: string;
  version: string;
  scrape: Array<{ url: string; interval?: number | undefined; labels?: Record<string, string> | undefined }>;
  scrapeIntervalMs: number;
  retentionMs: number;
  retentionBytes: number;
  flushIntervalMs: number;
}

/**
 * The metrics subsystem of the embedded backend: queries are evaluated in-process by the PromQL
 * evaluator over the store of the data dir; a process that is not the collector catches up from
 * disk before each answer.
 */
export function embeddedMetrics(s: EmbeddedMetricsSettings): MetricsBackend & { store: MetricsStoreOps } {
  const db = metricsDbFor(s.dataDir, { retention: { timeMs: s.retentionMs, bytes: s.retentionBytes } });
  const ok = <T>(data: T): MetricsAnswer<T> => ({ data, warnings: [] });
  const profileTargets: ScrapeTargetSpec[] = s.scrape.map((t) => {
    const u = new URL(t.url);
    return { url: t.url, labels: { job: 'scrape', instance: u.host, ...t.labels }, ...(t.interval === undefined ? {} : { intervalMs: t.interval }), origin: 'profile' };
  });
  const store: MetricsStoreOps = {
    collect: (o) => collect(db, { profileTargets, scrapeIntervalMs: s.scrapeIntervalMs, flushIntervalMs: s.flushIntervalMs, version: s.version }, o),
    importText: async (text, source) => importDump(db, text, source),
    apiToken: async () => apiToken(s.dataDir),
    async stats(): Promise<StoreStats> {
      db.refresh();
      const st = db.mem.stats();
      let minT = Infinity;
      for (const x of db.mem.series()) minT = Math.min(minT, x.minT);
      const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null);
      return {
        dataDir: s.dataDir,
        collecting: db.isWriter,
        series: st.series,
        samples: st.samples,
        memoryBytes: st.bytes,
        chunkBytes: st.chunkBytes,
        diskBytes: db.diskBytes(),
        bytesPerSample: st.samples > 0 ? Math.round((st.chunkBytes / st.samples) * 100) / 100 : null,
        minTime: iso(minT),
        maxTime: iso(db.mem.maxT),
        retention: { time: `${Math.round(s.retentionMs / 3600_000)}h`, bytes: s.retentionBytes },
        problems: [...db.problems],
      };
    },
  };
  return {
    name: s.name,
    query: async (expr, time) => ok(instantQuery(db, expr, time ?? Date.now() / 1000)),
    queryRange: async (q) => ok(rangeQuery(db, q.expr, q.start, q.end, q.step)),
    targets: async () => ok(targetsData(targetHealth(db))),
    alerts: async () => ok({ alerts: [] }),
    rules: async () => ok({ groups: [] }),
    labels: async (name) => ok(name === undefined ? labelNames(db) : labelValues(db, name)),
    series: async (matchers, start, end) => ok(seriesOf(db, matchers, start, end)),
    metadata: async (metric) => ok(metadataOf(db, metric)),
    store,
  };
}
