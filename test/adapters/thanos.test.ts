import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/prometheus/index.js';
import { parsePromOptions } from '../../src/adapters/prometheus/options.js';
import { OpsError } from '../../src/core/errors.js';
import type { MetricsBackend } from '../../src/core/metrics.js';
import { opsdeckAsync, sandbox } from '../helpers/cli.js';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server.js';

/*
 * Thanos cannot run here, so a small HTTP server answers with the fixtures of
 * test/fixtures/thanos (see its README for where each shape comes from). The server checks the
 * Thanos parameters of every request against what the profile and the flags ask for, and answers
 * a mismatch with an error, so a parameter that is not sent (or sent where Thanos ignores it)
 * fails the test. The CLI runs as a child process; it must be spawned asynchronously because
 * the fixture server lives in this process.
 */

const FIXTURES = resolve(__dirname, '../fixtures/thanos');
const fixture = (file: string): string => readFileSync(join(FIXTURES, file), 'utf8');
const data = (file: string): any => JSON.parse(fixture(file)).data;

type Params = Record<string, string[]>;
const THANOS_KEYS = ['dedup', 'partial_response', 'replicaLabels[]', 'max_source_resolution'] as const;

/** What Thanos' handlers read (pkg/api/query/v1.go): labels only partial_response, series no resolution. */
const READS: Record<string, readonly string[]> = {
  query: THANOS_KEYS,
  query_range: THANOS_KEYS,
  series: ['dedup', 'partial_response', 'replicaLabels[]'],
  labels: ['partial_response'],
};

/** The profile's knobs, picked by the x-fixture header the profile sends. */
const PROFILE_PARAMS: Record<string, Params> = {
  full: { dedup: ['true'], partial_response: ['true'], 'replicaLabels[]': ['replica'], max_source_resolution: ['auto'] },
  bare: {},
};

interface Scenario {
  fixture: string;
  status?: number;
  /** Per-command flags the test passes for this expression, overriding the profile's. */
  params?: Params;
}

const SCENARIOS: Record<string, Scenario> = {
  up: { fixture: 'query-dedup.json' },
  'up{job="prometheus"}': { fixture: 'query-no-dedup.json', params: { dedup: ['false'], 'replicaLabels[]': ['rack', 'replica'], max_source_resolution: ['0s'] } },
  'rate(http_requests_total[5m])': { fixture: 'query-range.json' },
  'sum by (cluster) (rate(http_requests_total[5m]))': { fixture: 'query-partial.json' },
  'sum by (job) (rate(http_requests_total[5m]))': { fixture: 'error-store-unavailable.json', status: 422, params: { partial_response: ['false'] } },
  // Passes opsdeck's own PromQL syntax check, so the server is the one to reject it.
  '{job=~".*"}': { fixture: 'error-bad-data.json', status: 400 },
};

interface Seen {
  method: string;
  path: string;
  params: Params;
}

interface FixtureServer {
  url: string;
  seen: Seen[];
  mismatches: string[];
  /** How many /stores requests to fail with 503 before answering again (a flaky probe). */
  failStores: number;
  close(): Promise<void>;
}

async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  let body = '';
  for await (const chunk of req) body += chunk;
  const params: Params = {};
  const add = (k: string, v: string) => (params[k] ??= []).push(v);
  url.searchParams.forEach((v, k) => add(k, v));
  if (req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) new URLSearchParams(body).forEach((v, k) => add(k, v));
  return params;
}

/**
 * `thanos` answers like Thanos Query; `prometheus` like a plain Prometheus (404 on /stores, and
 * it insists on receiving no Thanos parameter at all).
 */
async function startFixtureServer(kind: 'thanos' | 'prometheus'): Promise<FixtureServer> {
  const seen: Seen[] = [];
  const mismatches: string[] = [];
  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const params = await readParams(req, url);
    seen.push({ method: req.method ?? '', path: url.pathname, params });
    const endpoint = url.pathname.replace(/^\/api\/v1\//, '');
    if (endpoint === 'stores' && self.failStores > 0) {
      self.failStores--;
      return send(res, 503, JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'fixture server: failing /stores on purpose' }));
    }
    if (endpoint === 'stores') return kind === 'thanos' ? send(res, 200, fixture('stores.json')) : send(res, 404, fixture('prometheus-stores-404.txt'), 'text/plain; charset=utf-8');
    if (endpoint === 'status/buildinfo') return send(res, 200, fixture('buildinfo.json'));
    const scenario = endpoint === 'query' || endpoint === 'query_range' ? SCENARIOS[params.query?.[0] ?? ''] : undefined;
    const file = endpoint === 'series' ? 'series.json' : endpoint === 'labels' ? 'labels.json' : scenario?.fixture;
    const problems: string[] = [];
    if (!file || !READS[endpoint]) problems.push(`no fixture for ${endpoint} ${JSON.stringify(params.query ?? [])}`);
    if (endpoint === 'query_range') for (const k of ['start', 'end', 'step']) if (params[k]?.length !== 1) problems.push(`query_range without ${k}`);
    // The assertion: exactly the Thanos parameters this endpoint reads, with the expected values.
    const profile = String(req.headers['x-fixture'] ?? 'bare');
    const wanted: Params = kind === 'prometheus' ? {} : { ...PROFILE_PARAMS[profile], ...scenario?.params };
    for (const key of THANOS_KEYS) {
      const want = READS[endpoint]?.includes(key) ? wanted[key] : undefined;
      const got = params[key];
      if (JSON.stringify(got ?? null) !== JSON.stringify(want ?? null)) problems.push(`${endpoint} ${key}: expected ${want?.join(',') ?? '(absent)'}, got ${got?.join(',') ?? '(absent)'}`);
    }
    if (problems.length > 0) {
      mismatches.push(...problems);
      return send(res, 500, JSON.stringify({ status: 'error', errorType: 'internal', error: `fixture server: ${problems.join('; ')}` }));
    }
    send(res, scenario?.status ?? 200, fixture(file!));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const self: FixtureServer = {
    url: `http://127.0.0.1:${port}`,
    seen,
    mismatches,
    failStores: 0,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return self;
}

let thanos: FixtureServer;
let plain: FixtureServer;
let deadUrl: string;
let box: ReturnType<typeof sandbox>;
const run = (profile: string, ...args: string[]) => opsdeckAsync(box.env, ['--profile', profile, ...args]);
const KNOBS = 'dedup: true, partialResponse: true, replicaLabels: [replica], maxSourceResolution: auto';

beforeAll(async () => {
  thanos = await startFixtureServer('thanos');
  plain = await startFixtureServer('prometheus');
  // A port that was just free and now has nobody listening: "server down".
  const gone = await startFixtureServer('thanos');
  deadUrl = gone.url;
  await gone.close();
  box = sandbox();
  const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'profiles:',
      `  thanos: {metrics: {type: thanos, url: "${thanos.url}", headers: {x-fixture: full}, ${KNOBS}}}`,
      `  bare: {metrics: {type: thanos, url: "${thanos.url}", headers: {x-fixture: bare}}}`,
      `  detect: {metrics: {type: prometheus, url: "${thanos.url}", headers: {x-fixture: full}, ${KNOBS}}}`,
      `  promonly: {metrics: {type: prometheus, url: "${thanos.url}", headers: {x-fixture: bare}}}`,
      `  plain: {metrics: {type: prometheus, url: "${plain.url}"}}`,
      `  plainknobs: {metrics: {type: prometheus, url: "${plain.url}", dedup: false}}`,
      `  down: {metrics: {type: thanos, url: "${deadUrl}", timeoutMs: 2000}}`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  box?.cleanup();
  await thanos?.close();
  await plain?.close();
});

beforeEach(() => {
  for (const s of [thanos, plain]) {
    s.seen.length = 0;
    s.mismatches.length = 0;
    s.failStores = 0;
  }
});

const paths = (s: FixtureServer) => s.seen.map((x) => x.path.replace('/api/v1/', ''));

describe('metrics stores', () => {
  it('lists the store API endpoints grouped by type, with time range, labels, last check and last error', async () => {
    const r = await run('thanos', 'metrics', 'stores', '-o', 'table');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('4 endpoints: 1 rule, 2 sidecar, 1 store · 1 failing');
    expect(lines[1]).toMatch(/^TYPE +NAME +LABELS +MIN TIME +MAX TIME +LAST CHECK +ERROR$/);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(['rule', 'sidecar', 'sidecar', 'store']);
    const sidecar = lines.find((l) => l.includes('10.0.1.6:10901'))!;
    expect(sidecar).toMatch(/\{cluster="eu-1",replica="b"\} +2026-11-25T00:00:00Z +\+∞ +\S+ ago +-$/);
    const store = lines.find((l) => l.startsWith('store'))!;
    expect(store).toContain('{cluster="eu-1",replica="a"} {cluster="eu-1",replica="b"}');
    expect(store).toMatch(/2025-11-16T00:00:00Z +2026-11-24T22:00:00Z/);
    expect(lines.find((l) => l.startsWith('rule'))).toMatch(/rpc error: code = Unavailable/);
    expect(paths(thanos)).toEqual(['stores']);
  });

  it('-o json returns the server\'s grouping as is', async () => {
    const r = await run('thanos', 'metrics', 'stores', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual(data('stores.json'));
    expect(Object.keys(r.json())).toEqual(['rule', 'sidecar', 'store']);
  });

  it('on a plain Prometheus it says that this is not Thanos (unsupported, exit 1) with a hint', async () => {
    const r = await run('plain', 'metrics', 'stores');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`opsdeck: ${plain.url} is a plain Prometheus, not Thanos Query: it has no store endpoints to list (hint: point the metrics profile at Thanos Query to list its stores)`);
    expect(r.stdout).toBe('');
  });
});

describe('Thanos query parameters', () => {
  it('a thanos profile sends dedup, partial_response, replicaLabels[] and max_source_resolution with query, without probing /stores', async () => {
    const r = await run('thanos', 'metrics', 'query', 'up', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(thanos.mismatches).toEqual([]);
    expect(r.json()).toEqual(data('query-dedup.json'));
    expect(r.json().result.every((s: { metric: Record<string, string> }) => !('replica' in s.metric))).toBe(true);
    expect(paths(thanos)).toEqual(['query']);
    expect(thanos.seen[0]!.params['replicaLabels[]']).toEqual(['replica']);
  });

  it('per-command flags override the profile: --dedup false, --replica-label (repeated), --max-source-resolution', async () => {
    const r = await run('thanos', 'metrics', 'query', 'up{job="prometheus"}', '--dedup', 'false', '--replica-label', 'rack', '--replica-label', 'replica', '--max-source-resolution', '0s', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(thanos.mismatches).toEqual([]);
    expect(r.json()).toEqual(data('query-no-dedup.json'));
    expect(r.json().result.map((s: { metric: { replica: string } }) => s.metric.replica)).toEqual(['a', 'b']);
  });

  it('range sends the same parameters and returns the matrix; the chart draws it', async () => {
    const args = ['metrics', 'range', 'rate(http_requests_total[5m])', '--start', '1795620600', '--end', '1795621200', '--step', '5m'];
    const r = await run('thanos', ...args, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(thanos.mismatches).toEqual([]);
    expect(r.json()).toEqual(data('query-range.json'));
    expect(thanos.seen[0]!.params).toMatchObject({ start: ['1795620600'], end: ['1795621200'], step: ['300'] });
    const chart = await run('thanos', ...args, '-o', 'table');
    expect(chart.code, chart.stderr).toBe(0);
    expect(chart.stdout).toMatch(/● \{cluster="eu-1",code="500",job="checkout"\}/);
  });

  it('series gets dedup, replicaLabels[] and partial_response; labels only partial_response', async () => {
    const series = await run('thanos', 'metrics', 'series', 'up', '-o', 'json');
    expect(series.code, series.stderr).toBe(0);
    expect(series.json()).toEqual(data('series.json'));
    const labels = await run('thanos', 'metrics', 'labels', '-o', 'json');
    expect(labels.code, labels.stderr).toBe(0);
    expect(labels.json()).toEqual(data('labels.json'));
    expect(thanos.mismatches).toEqual([]);
    expect(thanos.seen.find((s) => s.path.endsWith('/labels'))!.params).toEqual({ partial_response: ['true'] });
  });

  it('a thanos profile without knobs sends none (Thanos then applies its own flags)', async () => {
    const r = await run('bare', 'metrics', 'query', 'up', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(thanos.mismatches).toEqual([]);
    expect(thanos.seen[0]!.params).toEqual({ query: ['up'] });
  });

  it('status names the backend thanos and shows the Thanos version', async () => {
    const r = await run('thanos', 'status', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual([expect.objectContaining({ subsystem: 'metrics', backend: 'thanos', reachable: true, version: '0.40.1' })]);
  });
});

describe('partial responses and warnings', () => {
  const expr = 'sum by (cluster) (rate(http_requests_total[5m]))';
  const warnings = JSON.parse(fixture('query-partial.json')).warnings as string[];

  it('text output: the result, and every store failure as a warning line on stderr', async () => {
    const r = await run('thanos', 'metrics', 'query', expr, '-o', 'table');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\{cluster="eu-1"\} +84\.35/);
    expect(r.stderr.trimEnd().split('\n')).toEqual(warnings.map((w) => `opsdeck: warning: the server warns: ${w}`));
  });

  it('-o json: the warnings sit next to resultType and result, and stderr still says so', async () => {
    const r = await run('thanos', 'metrics', 'query', expr, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({ ...data('query-partial.json'), warnings });
    expect(r.stderr).toContain('10.0.1.6:10901');
  });

  it('watch NDJSON samples carry the warnings of their round', async () => {
    const r = await run('thanos', 'metrics', 'watch', expr, '--count', '1', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const [sample, ...rest] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rest).toEqual([]);
    expect(sample).toMatchObject({ expr, resultType: 'vector', warnings });
    expect(thanos.mismatches).toEqual([]);
  });

  it('--partial-response false makes a store failure an error instead (execution, exit 1)', async () => {
    const r = await run('thanos', 'metrics', 'query', 'sum by (job) (rate(http_requests_total[5m]))', '--partial-response', 'false');
    expect(thanos.mismatches).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^opsdeck: the server failed the request \(execution\): expanding series: proxy Series\(\): fetch series for .*connection refused/);
  });
});

describe('errors', () => {
  it('bad_data is a usage error (exit 2) with the server message', async () => {
    const r = await run('thanos', 'metrics', 'query', '{job=~".*"}');
    expect(thanos.mismatches).toEqual([]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('opsdeck: the server rejected the query: 1:1: parse error: vector selector must contain at least one non-empty matcher (hint: fix the PromQL (or the time range and step))');
    expect(paths(thanos)).toEqual(['query']);
  });

  it('a server that is down is exit 3, for queries and for stores', async () => {
    for (const args of [['metrics', 'query', 'up'], ['metrics', 'stores']]) {
      const r = await run('down', ...args);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(new RegExp(`^opsdeck: Thanos Query at ${deadUrl.replace(/\./g, '\\.')} is unreachable`));
    }
  });

  it('bad flag values are usage errors before anything is sent', async () => {
    const r = await run('thanos', 'metrics', 'query', 'up', '--max-source-resolution', 'soon');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-source-resolution must be auto or a duration such as 0s, 5m or 1h, not "soon"/);
    const d = await run('thanos', 'metrics', 'query', 'up', '--dedup', 'maybe');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/maybe/);
    expect(thanos.seen).toEqual([]);
  });
});

describe('detecting Thanos on a prometheus profile', () => {
  it('probes /api/v1/stores once, then sends the knobs with every query of the run', async () => {
    const r = await run('detect', 'metrics', 'watch', 'up', '--count', '2', '--interval', '200ms', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(thanos.mismatches).toEqual([]);
    expect(paths(thanos)).toEqual(['stores', 'query', 'query']);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).result)).toEqual([data('query-dedup.json').result, data('query-dedup.json').result]);
  });

  it('lists stores on a detected Thanos', async () => {
    const r = await run('detect', 'metrics', 'stores', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual(data('stores.json'));
  });

  it('does not probe when nothing Thanos-specific is asked for', async () => {
    const r = await run('promonly', 'metrics', 'query', 'up', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(paths(thanos)).toEqual(['query']);
  });

  it('refuses Thanos knobs for a plain Prometheus instead of silently dropping them', async () => {
    const fromProfile = await run('plainknobs', 'metrics', 'query', 'up');
    expect(fromProfile.code).toBe(2);
    expect(fromProfile.stderr.trim()).toBe(
      `opsdeck: dedup: Thanos options, but ${plain.url} is a plain Prometheus (it has no /api/v1/stores) (hint: remove dedup/partialResponse/replicaLabels/maxSourceResolution from the metrics profile, or point url at Thanos Query)`,
    );
    const fromFlags = await run('plain', 'metrics', 'query', 'up', '--dedup', 'false', '--replica-label', 'replica');
    expect(fromFlags.code).toBe(2);
    expect(fromFlags.stderr).toMatch(/^opsdeck: dedup, replicaLabels\[\]: Thanos options, but .* \(hint: drop the Thanos flags for this server\)/);
    expect(plain.mismatches).toEqual([]);
    expect(paths(plain)).toEqual(['stores', 'stores']);
  });
});

describe('the adapter in-process', () => {
  async function backend(options: Record<string, unknown>, type = 'prometheus'): Promise<MetricsBackend> {
    return (await connect(options, { dataDir: '/nonexistent', version: 'test', name: type, type })).metrics!;
  }

  it('caches the detection for the adapter\'s life, and sends the knobs where Thanos reads them', async () => {
    const m = await backend({ url: thanos.url, headers: { 'x-fixture': 'full' }, dedup: true, partialResponse: true, replicaLabels: ['replica'], maxSourceResolution: 'auto' });
    await m.query('up');
    await m.query('up{job="prometheus"}', undefined, { dedup: false, replicaLabels: ['rack', 'replica'], maxSourceResolution: '0s' });
    await m.labels();
    await m.series(['up']);
    expect(thanos.mismatches).toEqual([]);
    expect(paths(thanos)).toEqual(['stores', 'query', 'query', 'labels', 'series']);
  });

  it('reads the plain Prometheus answer on /stores as "not Thanos", once', async () => {
    const m = await backend({ url: plain.url, maxSourceResolution: '5m' });
    for (let i = 0; i < 2; i++) await expect(m.query('up')).rejects.toMatchObject({ kind: 'config', message: expect.stringContaining('max_source_resolution: Thanos options') });
    await expect(m.stores!()).rejects.toMatchObject({ kind: 'unsupported' });
    expect(paths(plain)).toEqual(['stores', 'stores']);
  });

  it('a probe that fails for another reason is not cached: the next call probes again', async () => {
    const m = await backend({ url: thanos.url, headers: { 'x-fixture': 'full' }, dedup: true, partialResponse: true, replicaLabels: ['replica'], maxSourceResolution: 'auto' });
    thanos.failStores = 1;
    await expect(m.query('up')).rejects.toMatchObject({ kind: 'backend', message: expect.stringContaining('failing /stores on purpose') });
    expect((await m.query('up')).data).toEqual(data('query-dedup.json'));
    expect(paths(thanos)).toEqual(['stores', 'stores', 'query']);
    expect(thanos.mismatches).toEqual([]);
  });

  it('validates the profile keys with clear config errors', () => {
    const bad = (o: Record<string, unknown>): OpsError => {
      try {
        parsePromOptions({ url: 'http://thanos:9090', ...o }, 'm', 'thanos');
      } catch (e) {
        return e as OpsError;
      }
      throw new Error(`accepted ${JSON.stringify(o)}`);
    };
    expect(bad({ dedup: 'yes' })).toMatchObject({ kind: 'config', message: 'thanos: dedup must be true or false, not "yes"' });
    expect(bad({ partialResponse: 1 })).toMatchObject({ kind: 'config', message: 'thanos: partialResponse must be true or false, not 1' });
    expect(bad({ replicaLabels: 'replica' })).toMatchObject({ kind: 'config', message: 'thanos: replicaLabels must be a list (not empty), not "replica"' });
    expect(bad({ replicaLabels: [] })).toMatchObject({ kind: 'config' });
    expect(bad({ maxSourceResolution: '5 minutes' })).toMatchObject({ kind: 'config', message: expect.stringContaining('must be auto or a duration') });
    expect(bad({ maxSourceResolution: -1 })).toMatchObject({ kind: 'config' });
    // The HTTP API's snake_case spellings, copied into profiles by habit, point at the profile key.
    expect(bad({ partial_response: true })).toMatchObject({ kind: 'config', message: 'thanos: unknown option partial_response', hint: expect.stringMatching(/^did you mean partialResponse\? /) });
    expect(bad({ 'replicaLabels[]': ['r'] })).toMatchObject({ hint: expect.stringMatching(/^did you mean replicaLabels\? /) });
    const ok = parsePromOptions({ url: 'http://thanos:9090', dedup: false, replicaLabels: ['replica', ' prometheus_replica '], maxSourceResolution: 300 }, 'm', 'thanos');
    expect(ok.type).toBe('thanos');
    expect(ok.thanos).toEqual({ dedup: false, replicaLabels: ['replica', 'prometheus_replica'], maxSourceResolution: '300s' });
    expect(parsePromOptions({ url: 'http://p:9090' }, 'm').type).toBe('prometheus');
  });
});

describe('against a real Prometheus', () => {
  let prom: PrometheusServer;
  beforeAll(async () => {
    prom = await startPrometheus();
    appendFileSync(join(box.env.XDG_CONFIG_HOME!, 'opsdeck', 'config.yaml'), `  real: {metrics: {type: prometheus, url: "${prom.url}"}}\n  realknobs: {metrics: {type: prometheus, url: "${prom.url}", partialResponse: false}}\n`);
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it('a real Prometheus answers /api/v1/stores as the fixture says', async () => {
    const r = await fetch(`${prom.url}/api/v1/stores`);
    expect(r.status).toBe(404);
    expect(await r.text()).toBe(fixture('prometheus-stores-404.txt'));
  });

  it('metrics stores says it is not Thanos; Thanos knobs are refused; plain queries still work', async () => {
    const stores = await run('real', 'metrics', 'stores');
    expect(stores.code).toBe(1);
    expect(stores.stderr).toMatch(/is a plain Prometheus, not Thanos Query/);
    const knobs = await run('realknobs', 'metrics', 'query', 'up');
    expect(knobs.code).toBe(2);
    expect(knobs.stderr).toMatch(/^opsdeck: partial_response: Thanos options, but/);
    const q = await run('real', 'metrics', 'query', 'count(up)', '-o', 'json');
    expect(q.code, q.stderr).toBe(0);
    expect(q.json().result[0].value[1]).toBe('1');
  });
});
