import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ScrapeTargetSpec } from '../../core/metrics-targets.js';
import { isStaleNaN, staleNaN } from '../../core/series-source.js';
import type { MetricsDb } from './durable-metrics.js';
import { detectFormat, parseExposition, type Exposition } from './exposition-parser.js';
import type { MemSeries } from './series-store.js';

/**
 * Scrapes targets on their intervals into a MetricsDb, the way Prometheus does: target labels
 * (`job`, `instance`, the configured ones) win over scraped ones, which are kept as `exported_…`;
 * each scrape also writes `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
 * `scrape_samples_post_metric_relabeling` and `scrape_series_added`; a series that disappears
 * from a target, or every series of a target that fails or is removed, gets a staleness marker.
 */

export const DEFAULT_INTERVAL_MS = 15_000;
const MAX_BODY = 32 * 1024 * 1024;
const ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface TargetHealth {
  url: string;
  labels: Record<string, string>;
  origin: ScrapeTargetSpec['origin'];
  health: 'up' | 'down' | 'unknown';
  lastScrape: string | null;
  lastScrapeDuration: number | null;
  lastError: string;
  intervalMs: number;
}

/** A body that the scraper got some other way than HTTP (opsdeck's own process metrics). */
export type LocalSource = () => string;

interface Target {
  spec: ScrapeTargetSpec;
  key: string;
  intervalMs: number;
  timer: NodeJS.Timeout | null;
  running: boolean;
  /** Series written by the last successful scrape, for staleness. */
  seen: Set<MemSeries>;
  /** The last scrape's series by line text (see scrape). */
  cache: Map<string, MemSeries>;
  health: TargetHealth['health'];
  lastScrape: number | null;
  lastDuration: number | null;
  lastError: string;
  local?: LocalSource;
}

export interface ScraperOptions {
  now?: () => number;
  defaultIntervalMs?: number;
  /** Called after every scrape (the collector counts them). */
  onScrape?(samples: number): void;
}

export class Scraper {
  private readonly targets = new Map<string, Target>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly db: MetricsDb, private readonly opts: ScraperOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Replaces the target list: new targets start, removed ones stop and their series go stale. */
  setTargets(specs: ScrapeTargetSpec[], locals: ReadonlyMap<string, LocalSource> = new Map()): void {
    const wanted = new Map<string, ScrapeTargetSpec>();
    for (const s of specs) wanted.set(targetKey(s), s);
    for (const [key, t] of this.targets) {
      if (wanted.has(key)) continue;
      this.stopTarget(t);
      this.targets.delete(key);
      this.markStale(t, [...t.seen, ...this.reportSeries(t)], this.now());
    }
    for (const [key, spec] of wanted) {
      if (this.targets.has(key)) continue;
      const t: Target = {
        spec,
        key,
        intervalMs: spec.intervalMs ?? this.opts.defaultIntervalMs ?? DEFAULT_INTERVAL_MS,
        timer: null,
        running: false,
        seen: new Set(),
        cache: new Map(),
        health: 'unknown',
        lastScrape: null,
        lastDuration: null,
        lastError: '',
        ...(locals.has(spec.url) ? { local: locals.get(spec.url)! } : {}),
      };
      this.targets.set(key, t);
      if (!this.stopped) this.schedule(t, firstDelay(key, t.intervalMs));
    }
  }

  health(): TargetHealth[] {
    return [...this.targets.values()].map((t) => ({
      url: t.spec.url,
      labels: t.spec.labels,
      origin: t.spec.origin,
      health: t.health,
      lastScrape: t.lastScrape === null ? null : new Date(t.lastScrape).toISOString(),
      lastScrapeDuration: t.lastDuration,
      lastError: t.lastError,
      intervalMs: t.intervalMs,
    }));
  }

  /** Scrapes every target once now (tests, and the first round of `metrics collect`). */
  async scrapeAll(): Promise<void> {
    await Promise.all([...this.targets.values()].map((t) => this.scrape(t)));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.targets.values()) this.stopTarget(t);
  }

  private stopTarget(t: Target): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
  }

  private schedule(t: Target, delay: number): void {
    t.timer = setTimeout(() => {
      void this.scrape(t).finally(() => {
        if (!this.stopped && this.targets.get(t.key) === t) this.schedule(t, t.intervalMs);
      });
    }, delay);
    t.timer.unref?.();
  }

  private async scrape(t: Target): Promise<void> {
    if (t.running) return;
    t.running = true;
    const start = this.now();
    let exposition: Exposition | null = null;
    try {
      const timeoutMs = Math.min(t.intervalMs, 10_000);
      if (t.local) exposition = parseExposition(t.local(), { format: 'text' });
      else {
        const body = await fetchBody(t.spec.url, timeoutMs);
        exposition = parseExposition(body.text, { format: detectFormat(body.text, body.contentType) });
      }
      t.lastError = '';
    } catch (e) {
      t.lastError = (e as Error).message;
    } finally {
      t.running = false;
    }
    if (this.targets.get(t.key) !== t) return;
    const duration = (this.now() - start) / 1000;
    t.lastScrape = start;
    t.lastDuration = duration;
    let scraped = 0;
    let added = 0;
    const seen = new Set<MemSeries>();
    if (exposition) {
      t.health = 'up';
      scraped = exposition.samples.length;
      for (const [family, meta] of exposition.metadata) this.db.setMetadata(family, meta);
      // The series of a line is looked up by the line's own text first: building and sorting the
      // label set again for every sample of every scrape is most of the ingest cost otherwise.
      const cache = new Map<string, MemSeries>();
      for (const s of exposition.samples) {
        let series = t.cache.get(s.series);
        if (!series || series.dropped) {
          const before = this.db.mem.seriesCount;
          series = this.db.mem.getOrCreate(withTargetLabels(s.labels, t.spec.labels));
          if (this.db.mem.seriesCount > before) added++;
        }
        cache.set(s.series, series);
        this.db.mem.appendTo(series, s.timestampMs ?? start, s.value);
        // Samples with their own timestamps are the exporter's business: Prometheus does not mark them stale.
        if (s.timestampMs === undefined) seen.add(series);
      }
      this.markStale(t, [...t.seen].filter((s) => !seen.has(s)), start);
      t.seen = seen;
      t.cache = cache;
    } else {
      t.health = 'down';
      this.markStale(t, [...t.seen], start);
      t.seen = new Set();
      t.cache = new Map();
    }
    const report: Array<[string, number]> = [
      ['up', exposition ? 1 : 0],
      ['scrape_duration_seconds', duration],
      ['scrape_samples_scraped', scraped],
      ['scrape_samples_post_metric_relabeling', scraped],
      ['scrape_series_added', added],
    ];
    for (const [name, value] of report) this.db.mem.append({ ...t.spec.labels, __name__: name }, start, value);
    this.opts.onScrape?.(scraped);
  }

  private reportSeries(t: Target): MemSeries[] {
    return ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'].map((name) => this.db.mem.getOrCreate({ ...t.spec.labels, __name__: name }));
  }

  private markStale(_t: Target, series: MemSeries[], at: number): void {
    for (const s of series) {
      // The marker needs a time after the series' last sample; a marker is pointless after one.
      if (s.lastT >= at || isStaleNaN(s.lastV)) continue;
      this.db.mem.appendTo(s, at, staleNaN());
    }
  }
}

/** Target labels win; a scraped label they would overwrite is kept as exported_<name> (honor_labels: false). */
function withTargetLabels(scraped: Record<string, string>, target: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...scraped };
  for (const [k, v] of Object.entries(target)) {
    if (out[k] !== undefined && out[k] !== v) out[`exported_${k}`] = out[k]!;
    out[k] = v;
  }
  return out;
}

function targetKey(s: ScrapeTargetSpec): string {
  return `${s.url} ${JSON.stringify(Object.entries(s.labels).sort())} ${s.intervalMs ?? ''}`;
}

/** Spreads first scrapes over the interval (by a hash of the target), as Prometheus does. */
function firstDelay(key: string, intervalMs: number): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return Math.min(h % Math.max(1, intervalMs), 1000);
}

function fetchBody(url: string, timeoutMs: number): Promise<{ text: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new Error(`invalid URL ${url}`));
      return;
    }
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { method: 'GET', headers: { accept: ACCEPT, 'user-agent': 'opsdeck-scraper', 'x-prometheus-scrape-timeout-seconds': String(timeoutMs / 1000) }, timeout: timeoutMs }, (res) => {
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
        res.resume();
        reject(new Error(`server returned HTTP status ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          req.destroy(new Error(`body size exceeds the limit of ${MAX_BODY} bytes`));
          return;
        }
        parts.push(c);
      });
      res.on('end', () => resolve({ text: Buffer.concat(parts).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`context deadline exceeded (no answer within ${timeoutMs} ms)`)));
    req.on('error', reject);
    req.end();
  });
}
