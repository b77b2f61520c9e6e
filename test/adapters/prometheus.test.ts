import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server.js';

let prom: PrometheusServer;
let box: ReturnType<typeof sandbox>;
const run = (...args: string[]) => opsdeck(box.env, ['--profile', 'p', ...args]);

/** What the Prometheus HTTP API itself says, to compare opsdeck's output with. */
async function api(path: string, params: Record<string, string | string[]> = {}): Promise<any> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  const r = await fetch(`${prom.url}/api/v1/${path}?${q}`);
  return ((await r.json()) as { data: unknown }).data;
}

beforeAll(async () => {
  prom = await startPrometheus();
  box = sandbox();
  const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), `profiles:\n  p:\n    metrics: {type: prometheus, url: "${prom.url}"}\n  down:\n    metrics: {type: prometheus, url: "http://127.0.0.1:1", timeoutMs: 2000}\n`);
}, 60_000);
afterAll(async () => {
  box?.cleanup();
  await prom?.stop();
});

describe('metrics against a real Prometheus', () => {
  it('query returns exactly the data object the API returns, at a fixed time', async () => {
    const t = String(Math.floor(Date.now() / 1000) - 2);
    const r = run('metrics', 'query', 'opsdeck_test_requests_total', '--time', t, '-o', 'json');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual(await api('query', { query: 'opsdeck_test_requests_total', time: t }));
    expect(r.json().resultType).toBe('vector');
    expect(r.json().result).toHaveLength(2);
  });

  it('range returns the API matrix for the aligned start, end and step', async () => {
    const end = Math.floor(Date.now() / 1000) - 2;
    const r = run('metrics', 'range', 'opsdeck_test_queue_depth', '--start', String(end - 20), '--end', String(end), '--step', '2s', '-o', 'json');
    expect(r.code).toBe(0);
    const alignedStart = Math.floor((end - 20) / 2) * 2;
    const alignedEnd = Math.floor(end / 2) * 2;
    expect(r.json()).toEqual(await api('query_range', { query: 'opsdeck_test_queue_depth', start: String(alignedStart), end: String(alignedEnd), step: '2' }));
    for (const [ts] of r.json().result[0].values) expect(ts % 2).toBe(0);
  });

  it('a step that would exceed 11,000 points is raised, with a warning', () => {
    const r = run('metrics', 'range', 'up', '--since', '30d', '--step', '1s', '-o', 'json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^opsdeck: warning: --step raised to \d+m\d+s: a smaller one would exceed 11,000 points per series$/m);
  });

  it('labels, label values, series and metadata match the API', async () => {
    expect(run('metrics', 'labels', '-o', 'json').json()).toEqual(await api('labels'));
    expect(run('metrics', 'labels', 'route', '-o', 'json').json()).toEqual(['/api/orders', '/api/pay']);
    expect(run('metrics', 'series', 'opsdeck_test_requests_total{code="500"}', '-o', 'json').json()).toEqual(await api('series', { 'match[]': 'opsdeck_test_requests_total{code="500"}' }));
    const meta = run('metrics', 'metadata', 'opsdeck_test_queue_depth', '-o', 'json').json();
    expect(meta).toEqual(await api('metadata', { metric: 'opsdeck_test_queue_depth' }));
    expect(meta.opsdeck_test_queue_depth[0]).toMatchObject({ type: 'gauge', help: 'Jobs waiting.' });
  });

  it('targets, rules and alerts come back as the API reports them', async () => {
    const targets = run('metrics', 'targets', '-o', 'json').json();
    expect(targets.activeTargets).toHaveLength(1);
    expect(targets.activeTargets[0]).toMatchObject({ health: 'up', scrapeUrl: prom.exporterUrl, labels: { job: 'opsdeck-test' } });
    const rules = run('metrics', 'rules', '-o', 'json').json();
    expect(rules.groups.map((g: { name: string }) => g.name)).toEqual(['opsdeck-test']);
    expect(rules.groups[0].rules.map((x: { name: string }) => x.name)).toEqual(['job:opsdeck_test_requests:rate1m', 'QueueNotEmpty']);
    const deadline = Date.now() + 20_000;
    let alerts = run('metrics', 'alerts', '-o', 'json').json();
    while (alerts.alerts.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      alerts = run('metrics', 'alerts', '-o', 'json').json();
    }
    expect(alerts.alerts[0]).toMatchObject({ labels: { alertname: 'QueueNotEmpty', queue: 'emails', severity: 'page' }, annotations: { summary: 'queue emails has jobs' } });
  }, 30_000);

  it('a long query goes as POST and still works', () => {
    const long = `opsdeck_test_queue_depth${' + 0 * opsdeck_test_queue_depth'.repeat(120)}`;
    expect(long.length).toBeGreaterThan(2000);
    const r = run('metrics', 'query', long, '--time', String(Math.floor(Date.now() / 1000) - 2), '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().result[0]?.value[1], r.stdout).toBe('7');
  });

  it('bad PromQL is a usage error (exit 2) with the server message; a dead server is exit 3', () => {
    // Well-formed but wrongly typed: only the server can reject it (syntax errors stop before sending).
    const bad = run('metrics', 'query', 'rate(up)', '-o', 'json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^opsdeck: the server rejected the query: .*parse error/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const down = opsdeck(box.env, ['--profile', 'down', 'metrics', 'query', 'up']);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^opsdeck: Prometheus at http:\/\/127\.0\.0\.1:1 is unreachable/);
  });

  it('status reports the Prometheus version', () => {
    const s = run('status', '-o', 'json').json();
    expect(s).toEqual([expect.objectContaining({ subsystem: 'metrics', backend: 'prometheus', reachable: true, version: expect.stringMatching(/^2\.\d+/) })]);
  });
});

describe('metrics range as a chart', () => {
  it('draws the range as a chart with axis, time labels and a legend, within the terminal width', () => {
    const r = opsdeck({ ...box.env, COLUMNS: '90' }, ['--profile', 'p', 'metrics', 'range', 'rate(opsdeck_test_requests_total[10s])', '--since', '2m', '-o', 'table']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.some((l) => /┤/.test(l))).toBe(true);
    expect(lines.some((l) => /└[┬─]+/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/● \{code="200"/);
    expect(r.stdout).toMatch(/cur \S+ +min \S+ +max \S+/);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(100);
  });
});

describe('metrics watch', () => {
  it('prints one NDJSON sample per query per round, each round at one instant, and stops after --count', () => {
    const r = opsdeck(box.env, ['--profile', 'p', 'metrics', 'watch', 'opsdeck_test_queue_depth', 'count(up)', '--interval', '500ms', '--count', '2', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l: { expr: string }) => l.expr)).toEqual(['opsdeck_test_queue_depth', 'count(up)', 'opsdeck_test_queue_depth', 'count(up)']);
    expect(lines[0].at).toBe(lines[1].at);
    expect(lines[2].at).not.toBe(lines[0].at);
    expect(lines[0].result[0].value[1]).toBe('7');
    expect(lines[1].result[0].value[1]).toBe('1');
  });

  it('--timeout ends an endless watch; a bad expression is exit 2', () => {
    const r = opsdeck(box.env, ['--profile', 'p', 'metrics', 'watch', 'up', '--interval', '300ms', '--timeout', '1s', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(1);
    expect(opsdeck(box.env, ['--profile', 'p', 'metrics', 'watch', 'sum(', '--count', '1']).code).toBe(2);
  });
});
