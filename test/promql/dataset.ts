import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SeriesSource } from '../../src/core/series-source.js';
import { MemorySeriesSource } from '../../src/promql/index.js';
import { importLoader } from './import-loader.js';
import { readScript, toOpenMetrics, type ScriptEval, type ScriptSeries } from '../helpers/promql-script.js';

/**
 * The differential tests' data: every `load` block of every fixture file in one dataset, so one
 * Prometheus serves the whole run. Files keep to their own metric names; a series defined twice
 * is an error. Queries that reach across files still compare fairly: both sides hold the union.
 */
export const FIXTURES = resolve(__dirname, '../fixtures/promql');

export interface Dataset {
  series: ScriptSeries[];
  evals: ScriptEval[];
  openMetrics: string;
}

let cached: Dataset | undefined;

export function dataset(): Dataset {
  if (cached) return cached;
  const series: ScriptSeries[] = [];
  const evals: ScriptEval[] = [];
  const seen = new Map<string, string>();
  for (const f of readdirSync(FIXTURES).filter((n) => n.endsWith('.test')).sort()) {
    const script = readScript(join(FIXTURES, f), f);
    for (const s of script.series) {
      const key = JSON.stringify(Object.entries(s.labels).sort());
      if (seen.has(key)) throw new Error(`${f}: series ${key} is already loaded by ${seen.get(key)}`);
      seen.set(key, f);
      series.push(s);
    }
    evals.push(...script.evals);
  }
  // OpenMetrics wants each metric family in one piece.
  const byName = [...series].sort((a, b) => (a.labels.__name__! < b.labels.__name__! ? -1 : a.labels.__name__! > b.labels.__name__! ? 1 : 0));
  cached = { series, evals, openMetrics: toOpenMetrics(byName) };
  return cached;
}

/**
 * How the samples reach opsdeck's side. `import` (the default) runs the real binary's
 * `metrics import` on the same OpenMetrics text Prometheus gets and reads the data dir's store;
 * `memory` feeds the evaluator the parsed samples directly. OPSDECK_PROMQL_LOADER picks one.
 */
export interface LoadedSeries {
  source: SeriesSource;
  /** How many samples the source holds: the whole dataset, or the path lost some. */
  samples: number;
  note?: string;
}

export interface SeriesLoader {
  name: string;
  load(data: Dataset): Promise<LoadedSeries>;
}

export function sampleCount(data: Dataset): number {
  return data.series.reduce((n, s) => n + s.t.length, 0);
}

export const memoryLoader: SeriesLoader = {
  name: 'memory',
  load: async (data) => ({ source: new MemorySeriesSource(data.series), samples: sampleCount(data) }),
};

const LOADERS: Record<string, SeriesLoader> = { memory: memoryLoader, import: importLoader };

export function registerLoader(loader: SeriesLoader): void {
  LOADERS[loader.name] = loader;
}

export function selectedLoader(): SeriesLoader {
  const name = process.env.OPSDECK_PROMQL_LOADER ?? 'import';
  const l = LOADERS[name];
  if (!l) throw new Error(`unknown OPSDECK_PROMQL_LOADER "${name}" (known: ${Object.keys(LOADERS).join(', ')})`);
  return l;
}
