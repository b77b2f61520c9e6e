import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/loadgen/load-types.js';
import { BIN, opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-targets.js';
import { freePort } from '../servers/redis-server.js';
import { expectOneLineError } from '../helpers/one-line-error.js';

/**
 * `bench` through the real binary against local node HTTP servers: the embedded registry's
 * instances as per-instance rows (one instance deliberately slow), the profile's limits, Ctrl-C,
 * and the bad inputs, each with its exit code and one line.
 */
let box: ReturnType<typeof sandbox>;
let fast: HttpTarget, fast2: HttpTarget, slow: HttpTarget;
const SHORT = ['-d', '1s', '-c', '4', '-t', '1'];

beforeAll(async () => {
  box = sandbox();
  [fast, fast2, slow] = await Promise.all([startHttpTarget(), startHttpTarget(), startHttpTarget(40)]);
  writeProfileFile(
    box.env,
    [
      'profiles:',
      '  local: {registry: {type: embedded}}',
      '  fenced: {registry: {type: embedded}, bench: {allowedHosts: ["*.internal.example"], maxRate: 200, maxConnections: 8}}',
      '  prod: {production: true, registry: {type: embedded}}',
      '  ro: {readOnly: true, registry: {type: embedded}}',
      '',
    ].join('\n'),
  );
  for (const t of [fast, fast2, slow]) {
    const r = await opsdeckAsync(box.env, ['instances', 'register', 'orders', t.address]);
    expect(r.code, r.stderr).toBe(0);
  }
  const staged = await opsdeckAsync(box.env, ['instances', 'register', 'catalog', fast2.address, '--namespace', 'staging']);
  expect(staged.code, staged.stderr).toBe(0);
  const drained = await opsdeckAsync(box.env, ['instances', 'register', 'idle', fast.address]);
  expect(drained.code, drained.stderr).toBe(0);
  const d = await opsdeckAsync(box.env, ['instances', 'drain', 'idle', fast.address, '--yes']);
  expect(d.code, d.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await Promise.all([fast, fast2, slow].map((t) => t?.stop()));
  box?.cleanup();
});

describe('bench URL', () => {
  it('loads a URL and prints the full result as JSON, with the encoded histogram', async () => {
    const before = fast.served();
    const r = await opsdeckAsync(box.env, ['bench', fast.url, ...SHORT, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const res = r.json<LoadResult>();
    expect(res.requests).toBeGreaterThan(0);
    expect(fast.served() - before).toBeGreaterThanOrEqual(res.requests);
    expect(res.statuses['200']).toBe(res.requests);
    expect(res.latency.encoded.length).toBeGreaterThan(0);
    expect(res.interrupted).toBe(false);
    expect(res.plan.connections).toBe(4);
    // Not a terminal: no progress line on stderr.
    expect(r.stderr).toBe('');
  }, 60_000);

  it('prints a wrk-like summary, and says when latency is corrected for coordinated omission', async () => {
    const r = await opsdeckAsync(box.env, ['bench', fast.url, ...SHORT, '--rate', '100', '-o', 'table']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Latency distribution/);
    expect(r.stdout).toMatch(/99\.999%/);
    expect(r.stdout).toMatch(/Requests\/sec:/);
    expect(r.stdout).toMatch(/Status: +200 \d+/);
    expect(r.stdout).toMatch(/intended send time at 100 req\/s \(coordinated-omission correction/);
  }, 60_000);

  it('-n stops after that many responses', async () => {
    const r = await opsdeckAsync(box.env, ['bench', fast.url, '-n', '50', '-c', '2', '-t', '1', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<LoadResult>().requests).toBe(50);
  }, 60_000);
});

describe('bench service: a row per instance from the embedded registry', () => {
  it('spreads the load over the healthy instances, and the slow one has the higher latency', async () => {
    const r = await opsdeckAsync(box.env, ['bench', 'service', 'orders', ...SHORT.slice(0, 2), '-c', '6', '-t', '2', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const res = r.json<LoadResult>();
    const rows = new Map(res.perTarget.map((t) => [new URL(t.url).host, t]));
    expect([...rows.keys()].sort()).toEqual([fast.address, fast2.address, slow.address].sort());
    for (const t of rows.values()) expect(t.requests).toBeGreaterThan(0);
    const p50 = (a: string) => rows.get(a)!.latency.percentiles['50']!;
    expect(p50(slow.address)).toBeGreaterThan(p50(fast.address));
    expect(p50(slow.address)).toBeGreaterThan(p50(fast2.address));
  }, 60_000);

  it('the text summary has the instance table and names the slow instance', async () => {
    const r = await opsdeckAsync(box.env, ['bench', 'service', 'orders', '-d', '1s', '-c', '6', '-t', '2', '-o', 'table']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/TARGET\s+ADDRESS\s+REQUESTS\s+REQ\/S\s+P50\s+P99/);
    for (const t of [fast, fast2, slow]) expect(r.stdout).toContain(t.address);
    expect(r.stdout).toMatch(new RegExp(`slowest: .*${slow.address.split(':')[1]}`));
  }, 60_000);

  it('--instances narrows the instances', async () => {
    const r = await opsdeckAsync(box.env, ['bench', 'service', 'orders', '--instances', `${fast.address},${fast2.address}`, ...SHORT, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<LoadResult>().perTarget.map((t) => new URL(t.url).host).sort()).toEqual([fast.address, fast2.address].sort());
  }, 60_000);

  it('--namespace addresses the service in that namespace, as the registry commands do', async () => {
    const elsewhere = await opsdeckAsync(box.env, ['bench', 'service', 'catalog', ...SHORT]);
    expect(elsewhere.code).toBe(1);
    expectOneLineError(elsewhere, /service catalog not found in namespace public/);
    const r = await opsdeckAsync(box.env, ['bench', 'service', 'catalog', '--namespace', 'staging', ...SHORT, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<LoadResult>().perTarget.map((t) => new URL(t.url).host)).toEqual([fast2.address]);
  }, 60_000);

  it('a service with no healthy, enabled instance is one line, exit 1', async () => {
    const r = await opsdeckAsync(box.env, ['bench', 'service', 'idle', ...SHORT]);
    expect(r.code).toBe(1);
    expectOneLineError(r, /service idle has no healthy, enabled instance to load: 1 registered, none both passing and enabled \(1 drained\)/);
  }, 60_000);

  it('an unknown service is one line, exit 1', async () => {
    const r = await opsdeckAsync(box.env, ['bench', 'service', 'nope', ...SHORT]);
    expect(r.code).toBe(1);
    expectOneLineError(r, /service nope not found/);
  }, 60_000);
});

describe("the profile's bench limits", () => {
  it('a host outside allowedHosts is refused naming the setting, and --yes lets it through', async () => {
    const refused = await opsdeckAsync(box.env, ['--profile', 'fenced', 'bench', fast.url, ...SHORT, '--rate', '50']);
    expect(refused.code).toBe(2);
    expectOneLineError(refused, /127\.0\.0\.1 is not in bench\.allowedHosts of profile fenced/);
    const yes = await opsdeckAsync(box.env, ['--profile', 'fenced', 'bench', fast.url, ...SHORT, '--rate', '50', '--yes', '-o', 'json']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.json<LoadResult>().requests).toBeGreaterThan(0);
  }, 60_000);

  it('--rate over maxRate, a run without --rate under a maxRate, and -c over maxConnections are refused even with --yes', async () => {
    const rate = await opsdeckAsync(box.env, ['--profile', 'fenced', 'bench', fast.url, ...SHORT, '--rate', '201', '--yes']);
    expect(rate.code).toBe(2);
    expectOneLineError(rate, /--rate 201 is above what profile fenced allows \(bench\.maxRate: 200 req\/s\)/);
    const unpaced = await opsdeckAsync(box.env, ['--profile', 'fenced', 'bench', fast.url, ...SHORT, '--yes']);
    expect(unpaced.code).toBe(2);
    expectOneLineError(unpaced, /caps bench at 200 req\/s \(bench\.maxRate\)/);
    const conns = await opsdeckAsync(box.env, ['--profile', 'fenced', 'bench', fast.url, '-d', '1s', '-c', '9', '--rate', '50', '--yes']);
    expect(conns.code).toBe(2);
    expectOneLineError(conns, /-c 9 is more connections than profile fenced allows \(bench\.maxConnections: 8\)/);
  }, 60_000);

  it('a production profile asks first: refused when nobody can answer, run with --yes', async () => {
    const refused = await opsdeckAsync(box.env, ['--profile', 'prod', 'bench', fast.url, ...SHORT]);
    expect(refused.code).toBe(2);
    expectOneLineError(refused, /profile prod is marked production/);
    const yes = await opsdeckAsync(box.env, ['--profile', 'prod', 'bench', fast.url, ...SHORT, '--yes', '-o', 'json']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.json<LoadResult>().requests).toBeGreaterThan(0);
  }, 60_000);

  it('a read-only profile may bench: load is not a mutation', async () => {
    const r = await opsdeckAsync(box.env, ['--profile', 'ro', 'bench', fast.url, ...SHORT, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<LoadResult>().requests).toBeGreaterThan(0);
  }, 60_000);

  it('a bench key the profile file misspells is a config error at its line', async () => {
    const env = { ...box.env, OPSDECK_CONFIG: join(box.dir, 'bad.yaml') };
    writeFileSync(env.OPSDECK_CONFIG, 'profiles:\n  x:\n    bench: {maxRates: 5}\n');
    const r = await opsdeckAsync(env, ['--profile', 'x', 'bench', fast.url, ...SHORT]);
    expect(r.code).toBe(2);
    expectOneLineError(r, /bad\.yaml:3:\d+: profile x: bench: unknown key "maxRates".*did you mean maxRate\?/);
  }, 60_000);
});

describe('bad input: one line, an exit code, never a stack trace', () => {
  it.each([
    ['not a URL', ['bench', 'localhost:8080/x'], 2, /the URL "localhost:8080\/x" is not an http:\/\/ or https:\/\/ URL/],
    ['another scheme', ['bench', 'ftp://127.0.0.1/'], 2, /is not an http:\/\/ or https:\/\/ URL/],
    ['a missing body file', ['bench', 'http://127.0.0.1:1/', '--body', '@/nonexistent/body.json'], 2, /cannot read the body file \/nonexistent\/body\.json: it does not exist/],
    ['a bad header', ['bench', 'http://127.0.0.1:1/', '-H', 'no colon'], 2, /-H takes "Name: value", not "no colon"/],
  ])('%s', async (_what, args, code, pattern) => {
    const r = await opsdeckAsync(box.env, [...args, '-d', '1s']);
    expect(r.code).toBe(code);
    expectOneLineError(r, pattern);
  }, 60_000);

  it('a target that refuses connections is exit 3, at once', async () => {
    const port = await freePort();
    const r = await opsdeckAsync(box.env, ['bench', `http://127.0.0.1:${port}/`, '-d', '30s']);
    expect(r.code).toBe(3);
    expectOneLineError(r, new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`));
  }, 20_000);
});

describe('bench compare', () => {
  it('compares two saved runs per percentile, in text and JSON', async () => {
    const a = join(box.dir, 'a.json');
    const b = join(box.dir, 'b.json');
    const ra = await opsdeckAsync(box.env, ['bench', fast.url, ...SHORT, '-o', 'json']);
    const rb = await opsdeckAsync(box.env, ['bench', slow.url, ...SHORT, '-o', 'json']);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    writeFileSync(a, ra.stdout);
    writeFileSync(b, rb.stdout);
    const json = await opsdeckAsync(box.env, ['bench', 'compare', a, b, '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const c = json.json();
    const runA = ra.json<LoadResult>();
    const runB = rb.json<LoadResult>();
    const p99 = c.latency.find((p: { percentile: string }) => p.percentile === '99');
    expect(p99).toMatchObject({ a: runA.latency.percentiles['99'], b: runB.latency.percentiles['99'] });
    // The slow server answers after 40 ms: B's median is the higher.
    expect(c.latency.find((p: { percentile: string }) => p.percentile === '50').delta).toBeGreaterThan(0);
    const text = await opsdeckAsync(box.env, ['bench', 'compare', a, b, '-o', 'table']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^\s+A\s+B\s+CHANGE$/m);
    expect(text.stdout).toMatch(/^p99\.9\s+\S+\s+\S+\s+[+-]\d+\.\d%$/m);
    expect(text.stdout).toMatch(/^req\/s\s/m);
  }, 60_000);

  it('a missing or foreign file is one line, exit 2', async () => {
    const missing = await opsdeckAsync(box.env, ['bench', 'compare', join(box.dir, 'nope.json'), join(box.dir, 'nope2.json')]);
    expect(missing.code).toBe(2);
    expectOneLineError(missing, /cannot read .*nope\.json: it does not exist/);
    const foreign = join(box.dir, 'foreign.json');
    writeFileSync(foreign, '{"hello": 1}');
    const r = await opsdeckAsync(box.env, ['bench', 'compare', foreign, foreign]);
    expect(r.code).toBe(2);
    expectOneLineError(r, /foreign\.json is not a bench result/);
  }, 60_000);
});

describe('Ctrl-C', () => {
  it('stops the load and prints what was measured so far, exit 130', async () => {
    const before = fast.served();
    const child = spawn(process.execPath, [BIN, 'bench', fast.url, '-d', '60s', '-c', '2', '-t', '1', '-o', 'json'], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the server has answered some of the load.
    while (fast.served() - before < 20) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    const res = JSON.parse(stdout) as LoadResult;
    expect(res.interrupted).toBe(true);
    expect(res.requests).toBeGreaterThanOrEqual(1);
    expect(res.elapsedMs).toBeLessThan(60_000);
  }, 60_000);
});
