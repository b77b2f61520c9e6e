import { OpsError } from '../../core/errors.js';
import type { QueryData } from '../../core/metrics.js';
import type { LabelMatcher } from '../../core/series-source.js';
import { evaluateInstant, evaluateRange, NotSupportedError, parsePromql, PromqlError } from '../../promql/index.js';
import type { MetricsDb } from './durable-metrics.js';
import type { TargetHealth } from './scraper.js';

/**
 * The answers of Prometheus' HTTP API over the embedded store, in the API's `data` shapes. The
 * MetricsBackend (in-process) and the HTTP server both call these, so `metrics query` and curl
 * against `metrics collect --listen` give the same answers. Times are Unix seconds, as in the API.
 */

/** Query errors as the Prometheus adapter words them: the user's query is a usage error (exit 2). */
export function queryError(e: unknown): never {
  if (e instanceof NotSupportedError) throw new OpsError('unsupported', `the embedded evaluator: ${e.message}`, 'run this query on a Prometheus (metrics: {type: prometheus, …}), or rewrite it');
  if (e instanceof PromqlError) throw new OpsError('usage', `the query was rejected: ${e.message}`, 'fix the PromQL (or the time range and step)');
  throw e;
}

export function instantQuery(db: MetricsDb, expr: string, timeSec: number): QueryData {
  db.refresh();
  try {
    return evaluateInstant(expr, Math.round(timeSec * 1000), db.mem);
  } catch (e) {
    return queryError(e);
  }
}

export function rangeQuery(db: MetricsDb, expr: string, startSec: number, endSec: number, stepSec: number): QueryData {
  db.refresh();
  try {
    return evaluateRange(expr, Math.round(startSec * 1000), Math.round(endSec * 1000), Math.round(stepSec * 1000), db.mem);
  } catch (e) {
    return queryError(e);
  }
}

const bounds = (start?: number, end?: number): [number, number] => [start === undefined ? -Infinity : start * 1000, end === undefined ? Infinity : end * 1000];

export function labelNames(db: MetricsDb, start?: number, end?: number): string[] {
  db.refresh();
  return db.mem.labelNames(...bounds(start, end));
}

export function labelValues(db: MetricsDb, name: string, start?: number, end?: number): string[] {
  db.refresh();
  return db.mem.labelValues(name, ...bounds(start, end));
}

/** /api/v1/series: the label sets of series matching any of the selectors. */
export function seriesOf(db: MetricsDb, selectors: string[], start?: number, end?: number): Array<Record<string, string>> {
  if (selectors.length === 0) throw new OpsError('usage', 'no match[] parameter provided', 'give at least one series selector, for example up');
  db.refresh();
  const [mint, maxt] = bounds(start, end);
  const found = new Map<string, Record<string, string>>();
  for (const sel of selectors) {
    for (const s of db.mem.matching(selectorMatchers(sel))) {
      if (s.lastT < mint || s.minT > maxt) continue;
      found.set(s.key, { ...s.labels });
    }
  }
  return [...found.values()];
}

function selectorMatchers(text: string): LabelMatcher[] {
  let ast;
  try {
    ast = parsePromql(text);
  } catch (e) {
    return queryError(e);
  }
  if (ast.kind !== 'vector') throw new OpsError('usage', `${JSON.stringify(text)} is not a series selector`, 'give a selector such as up{job="api"}');
  return ast.matchers;
}

export function metadataOf(db: MetricsDb, metric?: string): Record<string, Array<{ type: string; help: string; unit: string }>> {
  db.refresh();
  const out: Record<string, Array<{ type: string; help: string; unit: string }>> = {};
  for (const [family, m] of db.mem.metadata) {
    if (metric !== undefined && family !== metric) continue;
    out[family] = [{ type: m.type === 'untyped' ? 'unknown' : m.type, help: m.help, unit: m.unit }];
  }
  return out;
}

/** /api/v1/targets from the collector's health list. */
export function targetsData(health: TargetHealth[]): { activeTargets: unknown[]; droppedTargets: unknown[] } {
  return {
    activeTargets: health.map((h) => ({
      discoveredLabels: { __address__: safeHost(h.url), __scheme__: h.url.split(':')[0], __metrics_path__: safePath(h.url), job: h.labels.job ?? '' },
      labels: h.labels,
      scrapePool: h.labels.job ?? '',
      scrapeUrl: h.url,
      globalUrl: h.url,
      lastError: h.lastError,
      lastScrape: h.lastScrape ?? '0001-01-01T00:00:00Z',
      lastScrapeDuration: h.lastScrapeDuration ?? 0,
      health: h.health,
      scrapeInterval: `${Math.round(h.intervalMs / 1000)}s`,
      scrapeTimeout: `${Math.round(Math.min(h.intervalMs, 10_000) / 1000)}s`,
    })),
    droppedTargets: [],
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/metrics';
  }
}
