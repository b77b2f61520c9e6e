import { describe, expect, it } from 'vitest';
import { pickInstances } from '../../src/commands/bench/bench-service.js';
import { loadPlan, readHeaders, targetUrl } from '../../src/commands/bench/load-plan.js';
import { hostAllowed, checkLoadSafety } from '../../src/commands/bench/load-safety.js';
import { progressLine } from '../../src/commands/bench/run-bench.js';
import { LOAD_OPTIONS } from '../../src/commands/bench/load-options.js';
import { readOptions } from '../../src/commands/define-command.js';
import { OpsError } from '../../src/core/errors.js';
import type { InstanceView } from '../../src/core/registry.js';
import { LatencyStats } from '../../src/loadgen/latency-stats.js';
import type { LoadPlan, LoadResult, TargetResult } from '../../src/loadgen/load-types.js';
import { compareResults } from '../../src/loadgen/compare-results.js';
import { comparisonView, formatMicros, loadResultView } from '../../src/render/bench-views.js';
import { PLAIN, type Style } from '../../src/render/style.js';
import { BUILTIN_LOCAL, type Profile } from '../../src/session/profile-types.js';

/** A style that marks red text, so a test can see what was painted. */
const MARK: Style = { ...PLAIN, red: (t) => `<red>${t}</red>` };

function target(label: string, latenciesUs: number[]): TargetResult {
  const s = new LatencyStats();
  for (const v of latenciesUs) s.record(v);
  return { label, url: `http://${label}/`, requests: latenciesUs.length, bytes: latenciesUs.length * 100, statuses: { '200': latenciesUs.length }, errors: { connect: 0, read: 0, write: 0, timeout: 0, other: 0 }, latency: s.snapshot() };
}

function result(rows: TargetResult[], over: Partial<LoadResult> = {}): LoadResult {
  const all = LatencyStats.merge([]);
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  return {
    startedAt: '2026-12-07T00:00:00.000Z', elapsedMs: 2000, requests, bytes: requests * 100, requestsPerSec: requests / 2, statuses: { '200': requests },
    errors: { connect: 0, read: 0, write: 0, timeout: 0, other: 0 }, latency: rows.length === 1 ? rows[0]!.latency : all.snapshot(), perTarget: rows, rate: null,
    correctedForCoordinatedOmission: false, interrupted: false,
    plan: { connections: 4, workers: 1, durationMs: 2000, requests: null, method: 'GET', keepAlive: true, pipelining: 1 }, ...over,
  };
}

const spread = (base: number) => Array.from({ length: 200 }, (_, i) => base + (i % 10) * 10);

describe('the bench summary', () => {
  it('paints the slow instance of a service and names it; a single URL has no instance table', () => {
    const r = result([target('10.0.0.1:80', spread(1000)), target('10.0.0.2:80', spread(1100)), target('10.0.0.3:80', spread(40_000))]);
    const text = loadResultView(r, MARK);
    expect(text).toMatch(/<red>10\.0\.0\.3:80\s*<\/red>/);
    expect(text).not.toMatch(/<red>10\.0\.0\.1/);
    expect(text).toMatch(/slowest: 10\.0\.0\.3:80 \(p50 40\.\d\dms, p99 40\.\d\dms\)/);
    expect(loadResultView(result([target('a:80', spread(1000))]), MARK)).not.toMatch(/TARGET|slowest/);
  });

  it('an instance slow on every request is named even when a noisy tail evens out the p99s', () => {
    // 5% of each one's requests stall 150 ms (a busy machine), so the p99s match; c is 60 ms slower on the rest.
    const withStall = (base: number) => [...spread(base).slice(10), ...Array<number>(10).fill(150_000)];
    const text = loadResultView(result([target('a:80', withStall(1000)), target('b:80', withStall(1100)), target('c:80', withStall(60_000))]), MARK);
    expect(text).toMatch(/slowest: c:80 \(p50 6\d\.\d\dms/);
    expect(text).toMatch(/<red>c:80\s*<\/red>/);
  });

  it('instances alike have no slowest', () => {
    const text = loadResultView(result([target('a:80', spread(1000)), target('b:80', spread(1050))]), MARK);
    expect(text).toMatch(/TARGET/);
    expect(text).not.toMatch(/slowest/);
  });

  it('says how latency was measured, and marks an interrupted run', () => {
    const corrected = loadResultView(result([target('a:80', spread(1000))], { rate: 500, correctedForCoordinatedOmission: true, interrupted: true, elapsedMs: 1234 }), PLAIN);
    expect(corrected).toMatch(/intended send time at 500 req\/s \(coordinated-omission correction/);
    expect(corrected).toMatch(/interrupted after 1\.23s/);
    expect(loadResultView(result([target('a:80', spread(1000))]), PLAIN)).toMatch(/give --rate for the corrected figure/);
  });

  it('prints latency in wrk units', () => {
    expect([formatMicros(812), formatMicros(1210), formatMicros(2_300_000)]).toEqual(['812.00us', '1.21ms', '2.30s']);
  });

  it('compare paints a latency rise red and a req/s rise green, and lists the caveats', () => {
    const a = result([target('a:80', spread(1000))]);
    const b = result([target('a:80', spread(3000))], { requestsPerSec: 400, rate: 300, correctedForCoordinatedOmission: true });
    const text = comparisonView({ a: 'a.json', b: 'b.json', ...compareResults(a, b) }, { ...MARK, green: (t) => `<green>${t}</green>` });
    expect(text).toMatch(/^p50 .*<red>\s*\+\d+\.\d%<\/red>$/m);
    expect(text).toMatch(/^req\/s .*<green>\s*\+\d+\.\d%<\/green>$/m);
    expect(text).toMatch(/note: only B measured latency from intended send times/);
  });

  it('the progress line carries the figures', () => {
    expect(progressLine({ elapsedMs: 3000, requests: 900, requestsPerSec: 301.4, p50: 1500, p99: 9000, errors: 2 }, { durationMs: 10_000 })).toBe('bench 3.0s/10s · 900 requests · 301 req/s · p50 1.50ms · p99 9.00ms · 2 errors');
  });
});

describe('the plan from the flags', () => {
  const opts = (raw: Record<string, string | string[]>) => readOptions(LOAD_OPTIONS, raw);
  const ctx = { readFile: async () => 'file body' };

  it('-n alone runs by count; -d with it bounds the time too; keep-alive unless --no-keepalive', async () => {
    const byCount = await loadPlan(ctx, opts({ requests: '100' }), new Set(['requests']), [{ url: 'http://x/' }]);
    expect(byCount).toMatchObject({ requests: 100, keepAlive: true, method: 'GET', connections: 10, workers: 2, timeoutMs: 2000 });
    expect(byCount.durationMs).toBeUndefined();
    const both = await loadPlan(ctx, opts({ requests: '100', duration: '5s' }), new Set(['requests', 'duration']), [{ url: 'http://x/' }]);
    expect(both).toMatchObject({ requests: 100, durationMs: 5000 });
    const raw = opts({ method: 'post', body: '@b.json', connections: '1', threads: '4' });
    const plan = await loadPlan(ctx, { ...raw, 'no-keepalive': true }, new Set(), [{ url: 'http://x/' }]);
    expect(plan).toMatchObject({ method: 'POST', keepAlive: false, workers: 1, durationMs: 10_000 });
    expect(new TextDecoder().decode(plan.body)).toBe('file body');
  });

  it('every target needs a connection', async () => {
    await expect(loadPlan(ctx, opts({ connections: '1' }), new Set(), [{ url: 'http://a/' }, { url: 'http://b/' }])).rejects.toThrow(/-c 1 is fewer connections than the 2 targets/);
  });

  it('headers are "Name: value"', () => {
    expect(readHeaders(['Accept: application/json', 'X-A:b:c'])).toEqual({ Accept: 'application/json', 'X-A': 'b:c' });
    expect(() => readHeaders([': x'])).toThrow(/-H takes "Name: value"/);
  });

  it('a URL is http or https with a host', () => {
    expect(targetUrl('http://[::1]:8080/x').port).toBe('8080');
    expect(() => targetUrl('file:///etc/passwd')).toThrow(/not an http/);
  });
});

describe('safety', () => {
  it('allowedHosts: exact names, *.domain, and *', () => {
    expect(hostAllowed('api.staging.example.com', ['*.staging.example.com'])).toBe(true);
    expect(hostAllowed('staging.example.com.evil.io', ['*.staging.example.com'])).toBe(false);
    expect(hostAllowed('[::1]', ['::1'])).toBe(true);
    expect(hostAllowed('10.0.0.1', ['*'])).toBe(true);
    expect(hostAllowed('10.0.0.1', ['localhost'])).toBe(false);
  });

  const plan = (over: Partial<LoadPlan> = {}): LoadPlan => ({ targets: [{ url: 'http://127.0.0.1:1/' }], method: 'GET', headers: {}, connections: 10, workers: 1, timeoutMs: 1000, keepAlive: true, ...over });
  const asked: string[] = [];
  const ctx = (profile: Partial<Profile>, answer: boolean | null) => ({
    session: { profile: { ...BUILTIN_LOCAL, ...profile } },
    confirm: async (req: { message: string }) => {
      asked.push(req.message);
      // As execute's confirm: nobody to ask is a usage error, a no is "cancelled".
      if (answer === null) throw new OpsError('usage', 'nobody can answer');
      if (!answer) throw new OpsError('failed', 'cancelled; nothing was changed');
    },
  });

  it('loopback on an ordinary profile asks nothing; production asks; an answered no is a cancel', async () => {
    asked.length = 0;
    await checkLoadSafety(ctx({}, null), plan());
    expect(asked).toEqual([]);
    await checkLoadSafety(ctx({ production: true, name: 'prod' }, true), plan());
    expect(asked[0]).toMatch(/profile prod is marked production/);
    await expect(checkLoadSafety(ctx({ production: true, name: 'prod' }, false), plan())).rejects.toThrow(/cancelled/);
  });

  it('a host outside allowedHosts asks, and nobody answering is a refusal naming the setting', async () => {
    await expect(checkLoadSafety(ctx({ name: 'st', bench: { allowedHosts: ['*.internal'] } }, null), plan({ targets: [{ url: 'http://db.example.com/' }] }))).rejects.toThrow(
      /refusing to send load: db\.example\.com is not in bench\.allowedHosts of profile st \(\*\.internal\)/,
    );
  });
});

describe('the instances a service bench loads', () => {
  const inst = (id: string, health: InstanceView['health'], traffic: InstanceView['traffic']): InstanceView => ({
    id, ip: '10.0.0.1', port: Number(id.slice(1)), health, traffic, status: null, statusOverride: null, weight: null, ephemeral: null, cluster: null, metadata: {}, tags: [], urls: {}, lastHeartbeat: null, lease: null, healthy: health === 'passing', enabled: traffic === 'enabled',
  });
  const all = [inst('i1', 'passing', 'enabled'), inst('i2', 'critical', 'enabled'), inst('i3', 'passing', 'disabled'), inst('i4', 'passing', 'enabled')];

  it('the healthy, enabled ones; --instances narrows them by id or address', () => {
    expect(pickInstances('orders', all, undefined).map((i) => i.id)).toEqual(['i1', 'i4']);
    expect(pickInstances('orders', all, 'i4,10.0.0.1:1').map((i) => i.id)).toEqual(['i4', 'i1']);
  });

  it('an unhealthy or drained instance named is refused, and none usable says what there is', () => {
    expect(() => pickInstances('orders', all, 'i3')).toThrow(/instance i3 of orders is drained/);
    expect(() => pickInstances('orders', all, 'i9')).toThrow(/service orders has no instance i9/);
    expect(() => pickInstances('orders', [all[1]!, all[2]!], undefined)).toThrow(/2 registered, none both passing and enabled \(1 critical, 1 drained\)/);
    expect(() => pickInstances('orders', [], undefined)).toThrow(/no instances registered/);
  });
});
