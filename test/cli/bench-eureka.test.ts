import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/loadgen/load-types.js';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { eurekaRegister } from '../helpers/drift-fleet.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-targets.js';
import { eurekaAppName, sharedEureka } from '../servers/eureka-server.js';

/**
 * `bench service` against a real Eureka: instances registered straight with the server (as a
 * client application would), each pointing at a local node HTTP server, one of them slow. The
 * per-instance rows come from what Eureka lists, and the slow instance's row shows it.
 */
let box: ReturnType<typeof sandbox>;
let targets: HttpTarget[];
let slow: HttpTarget;
const APP = eurekaAppName('bench-orders');

beforeAll(async () => {
  box = sandbox();
  const [eureka, ...started] = await Promise.all([sharedEureka(), startHttpTarget(), startHttpTarget(), startHttpTarget(40)]);
  targets = started;
  slow = started[2]!;
  writeProfileFile(box.env, `profiles:\n  e:\n    registry: {type: eureka, url: "${eureka.url}", selfPreservation: false}\n`);
  for (const t of targets) await eurekaRegister(eureka.url, APP, t.address, 600);
}, 300_000);

afterAll(async () => {
  await Promise.all((targets ?? []).map((t) => t.stop()));
  box?.cleanup();
});

describe('bench service on a real Eureka', () => {
  it('loads every UP instance Eureka lists, a row each, and the slow instance has the higher latency', async () => {
    const r = await opsdeckAsync(box.env, ['--profile', 'e', 'bench', 'service', APP.toLowerCase(), '-d', '1s', '-c', '6', '-t', '2', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const res = r.json<LoadResult>();
    const rows = new Map(res.perTarget.map((t) => [new URL(t.url).host, t]));
    expect([...rows.keys()].sort()).toEqual(targets.map((t) => t.address).sort());
    // Each row is labelled with Eureka's instance id.
    for (const t of targets) expect(rows.get(t.address)!.label).toBe(`${APP.toLowerCase()}-${t.address.split(':')[1]}`);
    for (const row of rows.values()) expect(row.requests).toBeGreaterThan(0);
    const p50 = (t: HttpTarget) => rows.get(t.address)!.latency.percentiles['50']!;
    for (const t of targets.filter((x) => x !== slow)) expect(p50(slow)).toBeGreaterThan(p50(t));
  }, 120_000);

  it('the text summary names the slow instance', async () => {
    const r = await opsdeckAsync(box.env, ['--profile', 'e', 'bench', 'service', APP.toLowerCase(), '-d', '1s', '-c', '6', '-t', '2', '-o', 'table']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`slowest: ${APP.toLowerCase()}-${slow.address.split(':')[1]}`));
  }, 120_000);
});
