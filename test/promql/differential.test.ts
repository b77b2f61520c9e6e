import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeriesSource } from '../../src/core/series-source.js';
import { sharedPrometheusOnOpenMetrics } from '../servers/prometheus-blocks.js';
import { askOurs, askPrometheus, diff } from './compare.js';
import { dataset, sampleCount, selectedLoader, type LoadedSeries } from './dataset.js';

/**
 * Differential tests: every `eval` of test/fixtures/promql/*.test runs on the real Prometheus 2.42
 * (blocks built by promtool from the same OpenMetrics text) and on our evaluator; the answers must
 * agree, errors included (both fail). `eval_unsupported` cases must fail with `not supported yet`.
 */
const data = dataset();
let url = '';
let source: SeriesSource;
let loaded: LoadedSeries;
/** How the cases went, printed at the end: a suite where both sides merely fail proves little. */
const tally = { agreed: 0, bothFailed: 0, unsupported: 0 };

beforeAll(async () => {
  url = (await sharedPrometheusOnOpenMetrics('promql-differential', () => data.openMetrics)).url;
  loaded = await selectedLoader().load(data);
  source = loaded.source;
}, 180_000);

describe('PromQL: our evaluator agrees with Prometheus 2.42', () => {
  it('has several hundred cases', () => {
    expect(data.evals.length).toBeGreaterThan(300);
  });

  it(`opsdeck's side (loader "${selectedLoader().name}") holds every sample of the dataset`, () => {
    // A sample lost on the way (parser, store, import, retention) would hide behind cases that still agree.
    expect(loaded.samples, loaded.note).toBe(sampleCount(data));
  });

  for (const c of data.evals) {
    const name = `${c.file}:${c.line} ${c.kind === 'range' ? `range ${c.start / 1000}..${c.end / 1000}/${c.step / 1000}s` : `@${c.start / 1000}s`} ${c.expr}`;
    it(name, async () => {
      const ours = askOurs(source, c);
      if (c.unsupported) {
        expect(ours.ok ? 'answered' : ours.error).toMatch(/^not supported yet: /);
        tally.unsupported++;
        return;
      }
      const prom = await askPrometheus(url, c);
      if (!prom.ok) {
        expect(ours.ok ? `answered where Prometheus failed with: ${prom.error}` : '').toBe('');
        tally.bothFailed++;
        return;
      }
      if (!ours.ok) {
        expect(`failed where Prometheus answered: ${ours.error}`).toBe('');
        return;
      }
      expect(diff(c.expr, prom.data, ours.data) ?? '').toBe('');
      tally.agreed++;
    });
  }
});

afterAll(() => {
  console.log(`PromQL differential: ${tally.agreed} answers agreed, ${tally.bothFailed} errors agreed, ${tally.unsupported} refused as not supported yet (of ${data.evals.length} cases)`);
});
