// The embedded metrics store: scrape + ingest rate over real HTTP, parse rate, and bytes per sample
// in memory and on disk, each next to a baseline measured in the same run (raw 16-byte samples in
// plain arrays; parsing alone).
//   node bench/metrics-store.mjs [--targets 20] [--series 500] [--rounds 120]
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSource } from './load-source.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TARGETS = arg('targets', 20);
const SERIES = arg('series', 500);
const ROUNDS = arg('rounds', 120);

const { MetricsDb, Scraper, parseExposition } = await loadSource(
  "export { MetricsDb } from './src/engine/metrics/durable-metrics.ts'; export { Scraper } from './src/engine/metrics/scraper.ts'; export { parseExposition } from './src/engine/metrics/exposition-parser.ts';",
  'metrics-store',
);

// One page per target: counters that grow, gauges that wander, histograms; about SERIES samples.
let x = 42;
const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const state = Array.from({ length: TARGETS }, () => new Float64Array(SERIES));
function page(target) {
  const s = state[target];
  const lines = ['# TYPE http_requests_total counter', '# TYPE http_request_duration_seconds histogram', '# TYPE queue_depth gauge'];
  const les = ['0.01', '0.05', '0.1', '0.5', '1', '+Inf'];
  for (let i = 0; i < SERIES; i++) {
    const kind = i % 10;
    if (kind < 3) {
      s[i] += Math.floor(rnd() * 50);
      lines.push(`http_requests_total{handler="/api/h${i}",code="${kind === 0 ? 500 : 200}"} ${s[i]}`);
    } else if (kind < 9) {
      s[i] += Math.floor(rnd() * 20 * (kind - 2));
      lines.push(`http_request_duration_seconds_bucket{handler="/api/h${i - kind}",le="${les[kind - 3]}"} ${s[i]}`);
    } else {
      s[i] = rnd() < 0.5 ? s[i] : Math.round(rnd() * 10000) / 100;
      lines.push(`queue_depth{queue="q${i}"} ${s[i]}`);
    }
  }
  return lines.join('\n') + '\n';
}

const pages = new Map();
const server = createServer((req, res) => {
  const t = Number(req.url.split('/')[2]);
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(pages.get(t));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-bench-metrics-'));
const db = new MetricsDb(dir, { compactBytes: Number.MAX_SAFE_INTEGER });
await db.tryBecomeWriter();
let now = Date.UTC(2026, 0, 1);
const scraper = new Scraper(db, { now: () => now });
scraper.setTargets(Array.from({ length: TARGETS }, (_, t) => ({ url: `http://127.0.0.1:${port}/t/${t}`, labels: { job: 'bench', instance: `host-${t}:9100` }, origin: 'profile' })));
scraper.stop();

// Rounds: new pages, one scrape of every target (15 s apart in sample time), a flush every 4 rounds.
let scrapeMs = 0;
let parseMs = 0;
let baselineMs = 0;
const baseline = new Map();
let samples = 0;
for (let r = 0; r < ROUNDS; r++) {
  for (let t = 0; t < TARGETS; t++) pages.set(t, page(t));
  const t0 = performance.now();
  await scraper.scrapeAll();
  scrapeMs += performance.now() - t0;
  // Baselines on the same pages: parsing alone, and parse + append to plain arrays (16 bytes a sample).
  const t1 = performance.now();
  const parsed = [...pages.values()].map((p) => parseExposition(p, { format: 'text' }));
  const roundParseMs = performance.now() - t1;
  parseMs += roundParseMs;
  const t2 = performance.now();
  for (const [t, p] of parsed.entries()) {
    for (const s of p.samples) {
      const key = `${t}${JSON.stringify(s.labels)}`;
      let a = baseline.get(key);
      if (!a) baseline.set(key, (a = { t: [], v: [] }));
      a.t.push(now);
      a.v.push(s.value);
    }
  }
  baselineMs += performance.now() - t2 + roundParseMs;
  samples += parsed.reduce((n, p) => n + p.samples.length, 0);
  if (r % 4 === 3) db.flush();
  now += 15_000;
}
db.flush();
const walBytes = db.diskBytes();
const stats = db.mem.stats();
db.compact();
const snapBytes = db.diskBytes();
db.close();
server.close();
rmSync(dir, { recursive: true, force: true });

const stored = stats.samples;
const rate = (n, ms) => Math.round(n / (ms / 1000));
const fmt = (n) => n.toLocaleString('en-US');
console.log(`metrics store: ${TARGETS} targets × ~${SERIES} series × ${ROUNDS} scrapes = ${fmt(samples)} scraped samples (${fmt(stored)} stored with up and the scrape report)`);
console.log(`  scrape + ingest over HTTP   ${fmt(rate(stored, scrapeMs))} samples/s`);
console.log(`  parse only (baseline)       ${fmt(rate(samples, parseMs))} samples/s   ingest costs ${(scrapeMs / parseMs).toFixed(2)}× parsing`);
console.log(`  parse + plain arrays        ${fmt(rate(samples, baselineMs))} samples/s   (no HTTP, no compression, no index)`);
console.log(`  memory, chunks              ${(stats.chunkBytes / stored).toFixed(2)} bytes/sample   vs 16 raw: ${(16 / (stats.chunkBytes / stored)).toFixed(1)}× smaller`);
console.log(`  memory, with series cost    ${(stats.bytes / stored).toFixed(2)} bytes/sample (estimate: labels and index per series)`);
console.log(`  disk, WAL (flush every 4)   ${(walBytes / stored).toFixed(2)} bytes/sample`);
console.log(`  disk, after compaction      ${(snapBytes / stored).toFixed(2)} bytes/sample`);
