// The PromQL evaluator against the real Prometheus 2.42 on the same 1 million samples, in the same
// run: 1,000 series × 1,000 samples (15 s apart, ~4 h), turned into TSDB blocks by promtool for
// Prometheus and held in a MemorySeriesSource for ours. Each range query runs warm several times
// on both; the median wall time is printed with the ratio ours / Prometheus (target ≤ 2×).
// Prometheus' time includes its HTTP round trip and JSON encoding; ours includes building the
// same JSON-ready answer (not serialising it). Its own inner eval time (stats=all) is printed too.
// Run: node bench/promql-eval.mjs   (needs prometheus and promtool: apt-get install prometheus)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSource } from './load-source.mjs';
import { median } from './targets.mjs';

const { evaluateRange, MemorySeriesSource, startPrometheusOnOpenMetrics } = await loadSource(
  "export { evaluateRange, MemorySeriesSource } from './src/promql/index.ts';\nexport { startPrometheusOnOpenMetrics } from './test/servers/prometheus-on-data.ts';\n",
  'promql-eval',
);

const SERIES = 1000;
const SAMPLES = 1000;
const INTERVAL = 15_000;
const JOBS = 10;

const series = [];
for (let s = 0; s < SERIES; s++) {
  const t = new Float64Array(SAMPLES);
  const v = new Float64Array(SAMPLES);
  let value = 0;
  for (let i = 0; i < SAMPLES; i++) {
    t[i] = i * INTERVAL;
    // Counters with a reset now and then, increments that vary per series.
    value = (i + s) % 397 === 0 ? 0 : value + ((s * 7 + i * 13) % 17);
    v[i] = value;
  }
  series.push({ labels: { __name__: 'bench_requests_total', job: `job${s % JOBS}`, instance: `host${s}:9100` }, t, v });
}

const lines = [];
for (const s of series) {
  const head = `bench_requests_total{instance="${s.labels.instance}",job="${s.labels.job}"}`;
  for (let i = 0; i < SAMPLES; i++) lines.push(`${head} ${s.v[i]} ${s.t[i] / 1000}`);
}
lines.push('# EOF', '');

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-promql-'));
const began = Date.now();
const prom = await startPrometheusOnOpenMetrics(lines.join('\n'), dir);
console.log(`Prometheus ready on ${SERIES * SAMPLES} samples in ${((Date.now() - began) / 1000).toFixed(1)} s (promtool blocks + start)`);
const source = new MemorySeriesSource(series);

const end = (SAMPLES - 1) * INTERVAL;
const QUERIES = [
  { expr: 'sum by (job) (rate(bench_requests_total[5m]))', step: 60_000 },
  { expr: 'rate(bench_requests_total[5m])', step: 60_000 },
  { expr: 'max_over_time(bench_requests_total[10m])', step: 60_000 },
  { expr: 'topk(5, bench_requests_total) / on(instance) group_left sum by (instance) (bench_requests_total)', step: 300_000 },
  { expr: 'bench_requests_total > 4000', step: 60_000 },
];
const RUNS = 5;

async function promOnce(q) {
  const params = new URLSearchParams({ query: q.expr, start: '0', end: String(end / 1000), step: String(q.step / 1000), stats: 'all' });
  const t0 = performance.now();
  const r = await fetch(`${prom.url}/api/v1/query_range`, { method: 'POST', body: params });
  const body = await r.json();
  const ms = performance.now() - t0;
  if (body.status !== 'success') throw new Error(`Prometheus failed: ${body.error}`);
  return { ms, inner: body.data.stats?.timings?.evalTotalTime * 1000, points: body.data.result.reduce((n, s) => n + s.values.length, 0) };
}

function oursOnce(q) {
  const t0 = performance.now();
  const data = evaluateRange(q.expr, 0, end, q.step, source);
  return { ms: performance.now() - t0, points: data.result.reduce((n, s) => n + s.values.length, 0) };
}

try {
  console.log(`query (range 0..${end / 1000}s)`.padEnd(100) + 'Prometheus ms  (eval ms)   ours ms   ratio');
  for (const q of QUERIES) {
    await promOnce(q);
    oursOnce(q);
    const p = [];
    const inner = [];
    const o = [];
    let points = [0, 0];
    for (let i = 0; i < RUNS; i++) {
      const a = await promOnce(q);
      const b = oursOnce(q);
      p.push(a.ms);
      inner.push(a.inner);
      o.push(b.ms);
      points = [a.points, b.points];
    }
    if (points[0] !== points[1]) console.log(`  ! point counts differ: Prometheus ${points[0]}, ours ${points[1]}`);
    const ratio = median(o) / median(p);
    console.log(`${q.expr} step ${q.step / 1000}s`.padEnd(100) + `${median(p).toFixed(1).padStart(13)}  (${median(inner).toFixed(1).padStart(7)})  ${median(o).toFixed(1).padStart(8)}  ${ratio.toFixed(2).padStart(5)}x`);
  }
} finally {
  await prom.stop();
  rmSync(dir, { recursive: true, force: true });
}
