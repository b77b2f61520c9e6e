import { beforeAll, expect, it } from 'vitest';
import type { SeriesSource } from '../../src/core/series-source.js';
import { sharedPrometheusOnOpenMetrics } from '../servers/prometheus-blocks.js';
import { askOurs, askPrometheus, diff, type Query } from './compare.js';
import { dataset, selectedLoader } from './dataset.js';
import { ExprGenerator, mulberry32 } from './expr-generator.js';

/**
 * Fuzz: random valid expressions (seeded; OPSDECK_PROMQL_FUZZ_SEED picks another run) on the same
 * Prometheus and data as the differential tests. Each must evaluate without crashing or fail with
 * `not supported yet`; where Prometheus answers, ours must answer the same, and where it fails,
 * ours must fail too.
 */
const COUNT = 300;
const SEED = Number(process.env.OPSDECK_PROMQL_FUZZ_SEED ?? 17);
const data = dataset();
let url = '';
let source: SeriesSource;

beforeAll(async () => {
  url = (await sharedPrometheusOnOpenMetrics('promql-differential', () => data.openMetrics)).url;
  source = (await selectedLoader().load(data)).source;
}, 180_000);

it(`${COUNT} random expressions (seed ${SEED}) agree with Prometheus or are refused as not supported`, async () => {
  const rnd = mulberry32(SEED);
  const gen = new ExprGenerator(rnd);
  const problems: string[] = [];
  const tally = { agreed: 0, bothFailed: 0, unsupported: 0 };
  for (let i = 0; i < COUNT; i++) {
    const expr = gen.vector(1 + Math.floor(rnd() * 3));
    // In range queries Prometheus feeds topk/bottomk each step's series in map order, so which of
    // several equal values wins is chance there; instant queries keep the order and are compared.
    const instant = rnd() < 0.6 || /topk|bottomk/.test(expr);
    const t = Math.round(rnd() * 60) * 30_000;
    const q: Query = instant ? { expr, kind: 'instant', start: t, end: t, step: 0 } : { expr, kind: 'range', start: t, end: t + 20 * 60_000, step: [15_000, 60_000, 90_000][i % 3]! };
    let ours;
    try {
      ours = askOurs(source, q);
    } catch (e) {
      problems.push(`#${i} ${expr}: crashed: ${(e as Error).stack}`);
      continue;
    }
    if (!ours.ok && ours.unsupported) {
      tally.unsupported++;
      continue;
    }
    const prom = await askPrometheus(url, q);
    if (!prom.ok && !ours.ok) tally.bothFailed++;
    else if (!prom.ok) problems.push(`#${i} ${q.kind}@${q.start / 1000} ${expr}: Prometheus failed (${prom.error}), ours answered`);
    else if (!ours.ok) problems.push(`#${i} ${q.kind}@${q.start / 1000} ${expr}: ours failed (${ours.error}), Prometheus answered`);
    else {
      const d = diff(expr, prom.data, ours.data);
      if (d) problems.push(`#${i} ${q.kind}@${q.start / 1000} ${expr}: ${d}`);
      else tally.agreed++;
    }
  }
  console.log(`PromQL fuzz (seed ${SEED}): ${tally.agreed} answers agreed, ${tally.bothFailed} errors agreed, ${tally.unsupported} not supported, ${problems.length} problems`);
  expect(problems).toEqual([]);
  // Most expressions must get an answer, or the test would prove little.
  expect(tally.agreed).toBeGreaterThan(COUNT / 2);
}, 300_000);
