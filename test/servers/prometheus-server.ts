import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';

/**
 * A real Prometheus (Debian's package) on a free loopback port, scraping an exporter the test
 * serves itself every second. The exporter's numbers are a pure function of the scrape count, so
 * what Prometheus stores is predictable. Missing binary: the start fails (CI installs it).
 */
export interface PrometheusServer {
  url: string;
  exporterUrl: string;
  stop(): Promise<void>;
}

/** More scrape jobs besides the test exporter: each job's targets as `host:port`, and its metrics path (default /metrics). */
export interface PrometheusOptions {
  jobs?: Array<{ job: string; targets: string[]; path?: string }>;
}

export async function startPrometheus(opts: PrometheusOptions = {}): Promise<PrometheusServer> {
  try {
    execFileSync('prometheus', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('prometheus is not installed (apt-get install prometheus); the metrics tests need a real server');
  }
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-prom-'));
  // The exporter runs in its own process: tests block their event loop in spawnSync, and a
  // scrape that times out makes Prometheus mark every series stale.
  const exporterPort = await freePort();
  const exporter: ChildProcess = spawn(process.execPath, ['-e', EXPORTER, String(exporterPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    exporter.stdout!.once('data', () => resolve());
    exporter.once('exit', (c) => reject(new Error(`the test exporter exited with ${c}`)));
  });
  const port = await freePort();
  writeFileSync(
    join(dir, 'rules.yml'),
    [
      'groups:',
      '  - name: opsdeck-test',
      '    interval: 1s',
      '    rules:',
      '      - record: job:opsdeck_test_requests:rate1m',
      '        expr: sum by (job) (rate(opsdeck_test_requests_total[1m]))',
      '      - alert: QueueNotEmpty',
      '        expr: opsdeck_test_queue_depth > 0',
      '        labels: {severity: page}',
      '        annotations: {summary: "queue {{ $labels.queue }} has jobs"}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: {scrape_interval: 1s, evaluation_interval: 1s}',
      'rule_files: [rules.yml]',
      'scrape_configs:',
      '  - job_name: opsdeck-test',
      `    static_configs: [{targets: ["127.0.0.1:${exporterPort}"]}]`,
      ...(opts.jobs ?? []).flatMap((j) => [`  - job_name: ${JSON.stringify(j.job)}`, ...(j.path ? [`    metrics_path: ${JSON.stringify(j.path)}`] : []), `    static_configs: [{targets: ${JSON.stringify(j.targets)}}]`]),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  // Ready means: the server answers, and the target has been scraped a few times.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log.slice(-800)}`);
    if (Date.now() > deadline) throw new Error(`prometheus did not become ready: ${log.slice(-800)}`);
    try {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('min(count_over_time(up[1m]))')}`);
      const body = (await r.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
      if (Number(body.data?.result?.[0]?.value[1] ?? 0) >= 6) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    exporterUrl: `http://127.0.0.1:${exporterPort}/metrics`,
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      exporter.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves numbers that are a pure function of the scrape count; prints once it listens. */
const EXPORTER = `
const http = require('node:http');
let scrapes = 0;
http.createServer((req, res) => {
  if (req.url !== '/metrics') { res.writeHead(404); return res.end(); }
  scrapes++;
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end([
    '# HELP opsdeck_test_requests_total Requests served, by route.',
    '# TYPE opsdeck_test_requests_total counter',
    'opsdeck_test_requests_total{route="/api/orders",code="200"} ' + scrapes * 10,
    'opsdeck_test_requests_total{route="/api/pay",code="500"} ' + scrapes,
    '# HELP opsdeck_test_queue_depth Jobs waiting.',
    '# TYPE opsdeck_test_queue_depth gauge',
    'opsdeck_test_queue_depth{queue="emails"} 7',
    '',
  ].join('\\n'));
}).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'));
`;
