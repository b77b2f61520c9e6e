import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectOptions, CollectSummary } from '../../core/metrics.js';
import type { ScrapeTargetSpec } from '../../core/metrics-targets.js';
import type { MetricsDb } from './durable-metrics.js';
import { apiToken, serveMetricsApi } from './metrics-http.js';
import { processMetricsText } from './process-metrics.js';
import { Scraper, type TargetHealth } from './scraper.js';

/**
 * One collecting process: the data dir's writer, scraping the profile's targets, the registries'
 * instances that carry metrics metadata, and opsdeck itself; flushing every flushInterval, and
 * writing the targets' health to `metrics/targets.json` so `metrics targets` in another process
 * can show it. Runs until the signal aborts, then flushes and gives up the writer role.
 */

export interface CollectorSettings {
  profileTargets: ScrapeTargetSpec[];
  scrapeIntervalMs: number;
  flushIntervalMs: number;
  discoverEveryMs?: number;
  version: string;
}

const SELF_URL = 'opsdeck://self/metrics';
const running = new Map<MetricsDb, Scraper>();

/** The health of the targets this process scrapes, or what the collecting process last wrote. */
export function targetHealth(db: MetricsDb): TargetHealth[] {
  const local = running.get(db);
  if (local) return local.health();
  try {
    return JSON.parse(readFileSync(join(db.dir, 'targets.json'), 'utf8')) as TargetHealth[];
  } catch {
    return [];
  }
}

export async function collect(db: MetricsDb, s: CollectorSettings, o: CollectOptions): Promise<CollectSummary> {
  await db.requireWriter('collection');
  const summary: CollectSummary = { scrapes: 0, samples: 0, flushes: 0 };
  const scraper = new Scraper(db, {
    defaultIntervalMs: s.scrapeIntervalMs,
    onScrape: (n) => {
      summary.scrapes++;
      summary.samples += n;
    },
  });
  running.set(db, scraper);
  const self: ScrapeTargetSpec = { url: SELF_URL, labels: { job: 'opsdeck', instance: 'self' }, origin: 'self' };
  const locals = new Map([[SELF_URL, () => processMetricsText(db)]]);
  let discovered: ScrapeTargetSpec[] = [];
  const apply = () => scraper.setTargets([self, ...s.profileTargets, ...discovered], locals);
  apply();
  const discover = async () => {
    if (!o.discover) return;
    try {
      discovered = await o.discover();
      apply();
    } catch {
      // A registry that is down keeps the targets found last time; their scrapes tell the rest.
    }
  };
  await discover();
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => unknown) => {
    const t = setInterval(() => void Promise.resolve().then(fn).catch(() => undefined), ms);
    timers.push(t);
  };
  const writeTargets = () => {
    const file = join(db.dir, 'targets.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(scraper.health()));
    renameSync(`${file}.tmp`, file);
  };
  const flush = () => {
    db.flush();
    summary.flushes++;
    writeTargets();
  };
  every(s.flushIntervalMs, flush);
  // Registries are asked again every two scrape intervals, between 5 s and 30 s: new instances show up soon, and a big registry is not read too often.
  if (o.discover) every(s.discoverEveryMs ?? Math.min(30_000, Math.max(5_000, 2 * s.scrapeIntervalMs)), discover);
  let http: Awaited<ReturnType<typeof serveMetricsApi>> | null = null;
  try {
    if (o.listen) http = await serveMetricsApi(db, { host: o.listen.host, port: o.listen.port, token: o.listen.auth ? apiToken(db.dataDir) : null, targets: () => scraper.health(), version: s.version });
    writeTargets();
    o.onReady?.({ targets: scraper.health().length, url: http?.url ?? null });
    await new Promise<void>((resolve) => {
      if (o.signal.aborted) resolve();
      else o.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    for (const t of timers) clearInterval(t);
    scraper.stop();
    running.delete(db);
    if (http) await new Promise((r) => http!.server.close(r));
    try {
      flush();
    } finally {
      db.close();
    }
  }
  return summary;
}
