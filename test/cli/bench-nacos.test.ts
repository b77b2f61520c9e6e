import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResult } from '../../src/loadgen/load-types.js';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { eventually } from '../helpers/eventually.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-targets.js';
import type { NacosEndpoint } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';

/**
 * `bench service` against a real Nacos 2.5.1 (auth on, the run's shared server), in a namespace of
 * its own: instances registered straight with Nacos's HTTP API (as a client application would), each
 * pointing at a local node HTTP server, one of them slow. The rows come from what Nacos lists; the
 * slow instance's row shows the higher latency.
 */
const VERSION = '2.5.1';
const G = 'BENCH_GROUP';
const SERVICE = 'bench-orders';
let s: NacosEndpoint;
let ns: string;
let box: ReturnType<typeof sandbox>;
let targets: HttpTarget[];
let slow: HttpTarget;

/** Registers a persistent instance (no heartbeats needed; Nacos health-checks its TCP port). */
async function nacosRegister(token: string, address: string): Promise<void> {
  const [ip, port] = address.split(':') as [string, string];
  const form = { ip, port, serviceName: SERVICE, groupName: G, namespaceId: ns, ephemeral: 'false', healthy: 'true', enabled: 'true', weight: '1' };
  const r = await fetch(`${s.url}/v1/ns/instance`, { method: 'POST', headers: { accessToken: token }, body: new URLSearchParams(form) });
  const text = await r.text();
  if (r.status !== 200 || text.trim() !== 'ok') throw new Error(`registering ${address} with Nacos failed: HTTP ${r.status} ${text.slice(0, 300)}`);
}

beforeAll(async () => {
  const [nacos, ...started] = await Promise.all([sharedNacos(VERSION), startHttpTarget(), startHttpTarget(), startHttpTarget(40)]);
  s = nacos;
  targets = started;
  slow = started[2]!;
  const token = await nacosToken(s);
  ns = await nacosNamespace(s, token, 'bench');
  box = sandbox();
  box.env.NACOS_TEST_PASSWORD = s.password;
  writeProfileFile(box.env, `profiles:\n  n:\n    registry: {type: nacos, url: "${s.url}", username: ${s.username}, password: "\${NACOS_TEST_PASSWORD}"}\n`);
  for (const t of targets) await nacosRegister(token, t.address);
  // Nacos answers a registration before its listing shows it; a bench right after it found none.
  const listed = await eventually(
    async () => {
      const q = new URLSearchParams({ serviceName: SERVICE, groupName: G, namespaceId: ns, healthyOnly: 'true' });
      const r = await fetch(`${s.url}/v1/ns/instance/list?${q}`, { headers: { accessToken: token } });
      return r.ok ? ((await r.json()) as { hosts?: unknown[] }).hosts?.length ?? 0 : 0;
    },
    (n) => n === targets.length,
    60_000,
  );
  if (listed !== targets.length) throw new Error(`Nacos lists ${listed} of the ${targets.length} registered instances after 60 s`);
}, 25 * 60_000);

afterAll(async () => {
  await Promise.all((targets ?? []).map((t) => t.stop()));
  box?.cleanup();
});

const bench = (...more: string[]) =>
  opsdeckAsync(box.env, ['--profile', 'n', 'bench', 'service', SERVICE, '--namespace', ns, '--group', G, '-d', '1s', '-c', '6', '-t', '2', ...more]);

describe(`bench service on a real Nacos ${VERSION}`, () => {
  it('loads every healthy instance Nacos lists, a row each, and the slow instance has the higher latency', async () => {
    const r = await bench('-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const res = r.json<LoadResult>();
    const rows = new Map(res.perTarget.map((t) => [new URL(t.url).host, t]));
    expect([...rows.keys()].sort()).toEqual(targets.map((t) => t.address).sort());
    // Each row is labelled with Nacos's instance id (ip#port#cluster#group@@service).
    for (const t of targets) expect(rows.get(t.address)!.label).toContain(`${t.address.replace(':', '#')}#`);
    for (const row of rows.values()) expect(row.requests).toBeGreaterThan(0);
    for (const t of targets) expect(t.served()).toBeGreaterThan(0);
    const p50 = (t: HttpTarget) => rows.get(t.address)!.latency.percentiles['50']!;
    for (const t of targets.filter((x) => x !== slow)) expect(p50(slow)).toBeGreaterThan(p50(t));
  }, 300_000);

  it('--instances narrows the load to the named instances', async () => {
    const r = await bench('--instances', targets[0]!.address, '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<LoadResult>().perTarget.map((t) => new URL(t.url).host)).toEqual([targets[0]!.address]);
  }, 300_000);

  it('the text summary names the slow instance', async () => {
    const r = await bench('-o', 'table');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`slowest: \\S*${slow.address.replace(':', '#').replace(/\./g, '\\.')}#`));
  }, 300_000);
});
