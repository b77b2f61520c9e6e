import { totalLoadErrors } from '../../loadgen/load-errors.js';
import type { LoadProgress, LoadResult } from '../../loadgen/load-types.js';
import type { ChartSeries } from '../../render/chart/chart-series.js';
import { actionFor } from './key-bindings.js';
import type { KeyEvent } from './keys.js';

/**
 * The console's live view of a running `bench`: opened by the run's first progress report (so a
 * refused or unreachable target never opens it), fed once a second, covering the panes and the
 * output like the pager. q/Esc stops a running load and closes it; the command then returns what
 * it measured, and that summary lands in the output area like any result.
 */
export interface BenchViewState {
  /** The command line, as the title. */
  line: string;
  /** Wall-clock ms of the first report minus its elapsed time: where the charts' time axis starts. */
  startedAt: number;
  /** Progress reports, oldest first, at most MAX_SAMPLES. */
  samples: LoadProgress[];
  /** The load ended (on its own, or stopped by Ctrl-C): the charts stay until q/Esc. */
  done: boolean;
  /**
   * The whole run's figures once it ended (its result, not the sum of reports: the last part
   * second is in no report, and a report's percentiles cover its second only).
   */
  final?: LoadProgress | null;
}

/** An hour of one-second reports; older ones scroll off the charts. */
export const MAX_SAMPLES = 3600;

export function isLoadProgress(v: unknown): v is LoadProgress {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return ['elapsedMs', 'requests', 'requestsPerSec', 'p50', 'p99', 'errors'].every((k) => typeof p[k] === 'number');
}

/** The figures of a finished load, from the command's result; null when it returned none. */
export function loadSummary(data: unknown): LoadProgress | null {
  if (typeof data !== 'object' || data === null) return null;
  const r = data as Partial<LoadResult>;
  const p = r.latency?.percentiles;
  if (typeof r.elapsedMs !== 'number' || typeof r.requests !== 'number' || typeof r.requestsPerSec !== 'number' || !r.errors || typeof p?.['50'] !== 'number' || typeof p['99'] !== 'number') return null;
  return { elapsedMs: r.elapsedMs, requests: r.requests, requestsPerSec: r.requestsPerSec, p50: p['50'], p99: p['99'], errors: totalLoadErrors(r.errors) };
}

/** The view after one more report of `line`'s load; a report of another line starts a new view. */
export function withProgress(view: BenchViewState | null | undefined, line: string, p: LoadProgress, now: number): BenchViewState {
  if (!view || view.line !== line || view.done) return { line, startedAt: now - p.elapsedMs, samples: [p], done: false };
  const samples = view.samples.length >= MAX_SAMPLES ? [...view.samples.slice(1), p] : [...view.samples, p];
  return { ...view, samples };
}

/**
 * The req/s chart's series and the latency chart's: p50 and p99 in seconds, drawn with unit `s`
 * (LATENCY_UNIT) so the chart's SI prefixes read 175µs and 9.4ms; in milliseconds a fast answer
 * read "175m ms".
 */
export function benchSeries(view: BenchViewState): { rate: ChartSeries[]; latency: ChartSeries[] } {
  const at = (p: LoadProgress) => (view.startedAt + p.elapsedMs) / 1000;
  return {
    rate: [{ label: 'req/s', points: view.samples.map((p) => [at(p), p.requestsPerSec]) }],
    latency: [
      { label: 'p50', points: view.samples.map((p) => [at(p), p.p50 / 1e6]) },
      { label: 'p99', points: view.samples.map((p) => [at(p), p.p99 / 1e6]) },
    ],
  };
}

export const LATENCY_UNIT = 's';

/** What a key does in the view: q/Esc stops a running load (its summary goes to the output) and closes. */
export function benchViewKey(ev: KeyEvent, view: BenchViewState, effects: { stop(): void; close(): void }): void {
  if (actionFor(ev, ['bench']) !== 'bench-stop') return;
  if (!view.done) effects.stop();
  effects.close();
}
