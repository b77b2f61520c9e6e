import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, opsdeck, opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';

/**
 * The embedded metrics backend through the real binary, with no Prometheus anywhere: one process
 * imports or collects, others query what it flushed to the data dir.
 */
let box: ReturnType<typeof sandbox>;

/** Retries f until it stops throwing or ms pass; the last error is the failure. */
async function retrying<T>(f: () => T | Promise<T>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
let target: Server;
let targetUrl = '';
let hits = 0;

beforeAll(async () => {
  box = sandbox();
  target = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`# TYPE jobs_done counter\njobs_done_total ${hits * 10}\n`);
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const port = (target.address() as AddressInfo).port;
  targetUrl = `http://127.0.0.1:${port}/metrics`;
  writeProfileFile(
    box.env,
    [
      'profiles:',
      '  local:',
      '    registry: {type: embedded}',
      '    config: {type: embedded}',
      '    locks: [{type: embedded}]',
      `    metrics: {type: embedded, scrapeInterval: 1s, flushInterval: 1s, scrape: [{url: "${targetUrl}", labels: {job: worker}}]}`,
      'defaultProfile: local',
    ].join('\n') + '\n',
  );
});
afterAll(async () => {
  box?.cleanup();
  await new Promise((r) => target?.close(r));
});

describe('metrics import, then query in another process', () => {
  it('answers PromQL over an imported OpenMetrics dump, and refuses a missing or broken file with the line', () => {
    const t0 = Math.floor(Date.now() / 1000) - 120;
    const dump = join(box.dir, 'dump.om');
    const lines = ['# TYPE lat histogram'];
    for (let i = 0; i <= 8; i++) {
      lines.push(`lat_bucket{le="0.1"} ${i * 5} ${t0 + i * 15}`, `lat_bucket{le="1"} ${i * 9} ${t0 + i * 15}`, `lat_bucket{le="+Inf"} ${i * 10} ${t0 + i * 15}`, `lat_count ${i * 10} ${t0 + i * 15}`, `lat_sum ${i * 3} ${t0 + i * 15}`);
    }
    writeFileSync(dump, lines.join('\n') + '\n# EOF\n');
    const imp = opsdeck(box.env, ['metrics', 'import', dump, '-o', 'json']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.json()).toMatchObject({ format: 'openmetrics', samples: 45, series: 5, rejected: 0 });

    const q = opsdeck(box.env, ['metrics', 'query', 'histogram_quantile(0.5, rate(lat_bucket[1m]))', '--time', String(t0 + 120), '-o', 'json']);
    expect(q.code, q.stderr).toBe(0);
    const v = q.json().result[0].value;
    // Half of the requests are under 0.1 s: the median sits at the top of the first bucket.
    expect(Number(v[1])).toBeCloseTo(0.1, 9);
    const stats = opsdeck(box.env, ['metrics', 'tsdb', '-o', 'json']).json();
    expect(stats).toMatchObject({ series: 5, samples: 45, collecting: false });
    expect(stats.diskBytes).toBeGreaterThan(0);

    const bad = opsdeck(box.env, ['metrics', 'import', join(box.dir, 'nope.txt')]);
    expect(bad.code).toBe(2);
    const broken = join(box.dir, 'broken.txt');
    writeFileSync(broken, 'ok 1\nbad{a="\\q"} 1\n');
    const b = opsdeck(box.env, ['metrics', 'import', broken]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('broken.txt: line 2: bad escape "\\q"');
  });
});

describe('metrics collect', () => {
  let collector: ChildProcess;
  let out = '';

  it('scrapes while it runs; other processes query what it flushed and see its targets; import is refused meanwhile; Ctrl-C stops it cleanly', async () => {
    collector = spawn(process.execPath, [BIN, 'metrics', 'collect', '--listen', '127.0.0.1:0', '-o', 'json'], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    collector.stdout!.on('data', (d) => (out += d));
    let err = '';
    collector.stderr!.on('data', (d) => (err += d));
    const started = await retrying(() => {
      const line = out.split('\n').find((l) => l.includes('"collecting"'));
      if (!line) throw new Error(`not collecting yet: ${out} ${err}`);
      return JSON.parse(line) as { api: string; targets: number };
    }, 20_000);
    expect(started.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.targets).toBe(2); // the worker and opsdeck itself

    const up = await retrying(async () => {
      const r = await opsdeckAsync(box.env, ['metrics', 'query', 'up{job="worker"}', '-o', 'json']);
      if (r.code !== 0 || r.json().result.length === 0) throw new Error(r.stdout + r.stderr);
      return r.json().result[0];
    }, 20_000);
    expect(up.value[1]).toBe('1');
    const self = await opsdeckAsync(box.env, ['metrics', 'query', 'process_resident_memory_bytes{job="opsdeck"}', '-o', 'json']);
    expect(Number(self.json().result[0]?.value[1])).toBeGreaterThan(1e6);

    const targets = await opsdeckAsync(box.env, ['metrics', 'targets', '-o', 'json']);
    expect(targets.code, targets.stderr).toBe(0);
    const worker = targets.json().activeTargets.find((t: { labels: Record<string, string> }) => t.labels.job === 'worker');
    expect(worker).toMatchObject({ scrapeUrl: targetUrl, labels: { job: 'worker', instance: new URL(targetUrl).host } });

    // The API wants the token; `metrics token` is the one place it is printed.
    // Never spawnSync here: a blocked test process cannot answer the collector's scrapes.
    const token = (await opsdeckAsync(box.env, ['metrics', 'token', '-o', 'json'])).json().token as string;
    expect((await fetch(`${started.api}/api/v1/query?query=up`)).status).toBe(401);
    const viaApi = await fetch(`${started.api}/api/v1/query?query=${encodeURIComponent('jobs_done_total')}`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await viaApi.json()) as { data: { result: unknown[] } }).data.result).toHaveLength(1);

    const imp = await opsdeckAsync(box.env, ['metrics', 'import', join(box.dir, 'dump.om')]);
    expect(imp.code).not.toBe(0);
    expect(imp.stderr).toContain('another opsdeck process is collecting metrics into');

    collector.kill('SIGINT');
    const code = await new Promise<number | null>((r) => collector.on('close', r));
    // 130 as for any command Ctrl-C ends; it still flushed and said so.
    expect(code, err).toBe(130);
    expect(out).toContain('"stopped"');
    // What it collected stays for later processes.
    const after = opsdeck(box.env, ['metrics', 'query', 'count_over_time(up{job="worker"}[10m])', '-o', 'json']);
    expect(Number(after.json().result[0].value[1])).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
