import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { eurekaRegister } from '../helpers/drift-fleet.js';
import { eurekaAppName, sharedEureka, type EurekaEndpoint } from '../servers/eureka-server.js';
import { startPrometheus, type PrometheusServer } from '../servers/prometheus-server.js';
import { freePort } from '../servers/redis-server.js';
import { startScrapeTargets, type ScrapeTargets } from '../servers/scrape-targets.js';

/**
 * `services drift` through the binary, on a profile with the embedded registry and a real Eureka
 * (the run's shared one with self-preservation on, so an instance whose lease runs out stays
 * listed), joined with a real Prometheus scraping endpoints this test serves: some answer 200
 * (up == 1), some 500 (up == 0). Every kind of drift is set up on purpose, under names of this
 * test's own: the shared Eureka holds other tests' applications too, so assertions look only at
 * this test's services (or narrow with --service).
 */

let eureka: EurekaEndpoint;
let prom: PrometheusServer;
let targets: ScrapeTargets;
let box: ReturnType<typeof sandbox>;
const ORDERS = eurekaAppName('drift-orders').toLowerCase();
const CART = eurekaAppName('drift-cart').toLowerCase();
const FINE = eurekaAppName('drift-fine').toLowerCase();
// Endpoints: [0] orders up, [1] orders failing, [2] expired Eureka instance (failing), [3] scraped but registered nowhere, [4] fine up.
let A: string, B: string, E: string, D: string, F: string;
// Registered in embedded, scraped by no job.
const C = '127.0.0.1:9';

function profile(extraRegistry = '', metricsUrl = prom.url): string {
  return [
    'profiles:',
    '  d:',
    `    registry: [{type: embedded}, {type: eureka, url: "${eureka.url}"}${extraRegistry}]`,
    `    metrics: {type: prometheus, url: "${metricsUrl}", drift: {upQuery: 'up{job!="opsdeck-test"}'}}`,
    '',
  ].join('\n');
}

const run = (...args: string[]) => opsdeckAsync(box.env, ['--profile', 'd', 'services', 'drift', ...args]);
type Row = { kind: string; service: string; instance: string | null; disagree: Array<{ source: string; says: string }> };
const mine = (rows: Row[]) => rows.filter((r) => [ORDERS, CART, FINE].includes(r.service.toLowerCase()));

beforeAll(async () => {
  [eureka, targets] = await Promise.all([sharedEureka({ selfPreservation: true, tenant: 'drift' }), startScrapeTargets([200, 500, 500, 200, 200])]);
  [A, B, E, D, F] = targets.addresses as [string, string, string, string, string];
  prom = await startPrometheus({ jobs: [{ job: ORDERS, targets: [A, B, E, D] }, { job: FINE, targets: [F] }] });
  box = sandbox();
  writeProfileFile(box.env, profile());
  for (const [service, address] of [[ORDERS, A], [ORDERS, B], [ORDERS, C], [CART, A], [FINE, F]] as const) {
    const r = await opsdeckAsync(box.env, ['--profile', 'd', 'instances', 'register', service, address, '--backend', 'embedded']);
    expect(r.code, r.stderr).toBe(0);
  }
  await eurekaRegister(eureka.url, ORDERS, A, 600);
  await eurekaRegister(eureka.url, FINE, F, 600);
  // A 2-second lease never renewed: a crashed application, kept by self-preservation.
  await eurekaRegister(eureka.url, ORDERS, E, 2);
  await new Promise((r) => setTimeout(r, 2000 + 3 * eureka.evictionIntervalMs + 500));
}, 300_000);

afterAll(async () => {
  await prom?.stop();
  targets?.stop();
  box?.cleanup();
});

describe('services drift on embedded + a real Eureka + a real Prometheus', () => {
  it('lists every kind, each row naming the sources that disagree; exit 1', async () => {
    const r = await run('-o', 'json');
    expect(r.code, r.stderr).toBe(1);
    const d = r.json();
    expect(d.complete).toBe(true);
    expect(d.unjudged).toEqual([]);
    expect(d.sources.map((s: { name: string; role: string; type: string; error: string | null }) => [s.name, s.role, s.type, s.error])).toEqual([
      ['embedded', 'registry', 'embedded', null],
      ['eureka', 'registry', 'eureka', null],
      ['prometheus', 'metrics', 'prometheus', null],
    ]);
    // Only the jobs this test configured: the exporter's job is left out by upQuery.
    expect(d.sources[2].series).toBe(5);
    expect(mine(d.rows).map((x) => [x.kind, x.service.toLowerCase(), x.instance, x.disagree.map((s) => s.source)])).toEqual([
      ['service-missing', CART, null, ['embedded', 'eureka']],
      ['not-scraped', ORDERS, C, ['embedded', 'prometheus']],
      ['not-registered', ORDERS, D, ['prometheus', 'embedded', 'eureka']],
      ['healthy-but-down', ORDERS, B, ['embedded', 'prometheus']],
      ['expired-kept', ORDERS, E, ['eureka', 'prometheus']],
    ]);
    const rows = mine(d.rows);
    expect(rows[0]!.disagree[1]).toEqual({ source: 'eureka', says: 'has no such service' });
    expect(rows[3]!.disagree[1]).toEqual({ source: 'prometheus', says: `up == 0 (job ${ORDERS})` });
    expect(rows[4]!.disagree[0]!.says).toMatch(/^still lists it; its lease ran out \d+(\.\d+)?s ago$/);
    expect(rows[4]!.disagree[1]).toEqual({ source: 'prometheus', says: `up == 0 (job ${ORDERS})` });
    // Eureka's warning about what it keeps (and whether it is most likely in self-preservation,
    // which depends on the other tests' instances) stays with its source and is printed on stderr.
    const warning = (d.sources[1].warnings as string[]).find((w) => w.includes('still listed although'));
    expect(warning).toBeDefined();
    expect(r.stderr).toContain(`opsdeck: warning: eureka: ${warning}`);
  });

  it('--service narrows to one service (case-insensitive); a service both registries agree on is exit 0', async () => {
    const one = await run('--service', ORDERS.toUpperCase(), '-o', 'json');
    expect(one.code).toBe(1);
    expect(one.json().rows.map((x: Row) => x.kind)).toEqual(['not-scraped', 'not-registered', 'healthy-but-down', 'expired-kept']);
    const fine = await run('--service', FINE, '-o', 'json');
    expect(fine.code, fine.stdout).toBe(0);
    expect(fine.json()).toMatchObject({ complete: true, rows: [], unjudged: [] });
    expect(fine.json().sources.map((s: { services?: number; series?: number }) => s.services ?? s.series)).toEqual([1, 1, 5]);
  });

  it('--ignore leaves kinds out; an unknown kind is a usage error before anything is read', async () => {
    const r = await run('--service', ORDERS, '--ignore', 'not-scraped', '--ignore', 'expired-kept', '-o', 'json');
    expect(r.code).toBe(1);
    expect(r.json().rows.map((x: Row) => x.kind)).toEqual(['not-registered', 'healthy-but-down']);
    const none = await run('--service', ORDERS, '--ignore', 'not-scraped', '--ignore', 'expired-kept', '--ignore', 'not-registered', '--ignore', 'healthy-but-down', '-o', 'json');
    expect(none.code).toBe(0);
    const bad = await run('--ignore', 'drifty');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^opsdeck: --ignore must be one of service-missing, not-scraped, not-registered, healthy-but-down, expired-kept, not "drifty"/);
  });

  it('the table: one row per disagreement with the sources and what each says', async () => {
    const r = await run('--service', ORDERS, '-o', 'table');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^KIND\s+SERVICE\s+INSTANCE\s+SOURCES\s+WHAT THEY SAY$/);
    expect(lines.find((l) => l.startsWith('healthy-but-down'))).toMatch(new RegExp(`^healthy-but-down\\s+${ORDERS}\\s+${B}\\s+embedded vs prometheus\\s+embedded: marks it passing, in traffic \\(namespace public, group DEFAULT_GROUP\\); prometheus: up == 0 \\(job ${ORDERS}\\)$`));
    const fine = await run('--service', FINE, '-o', 'table');
    expect(fine.stdout.trim()).toBe('no drift between embedded, eureka, prometheus');
  });

  it('a registry that is down: exit 3 naming it, the others still judged, and what needed it listed as unjudged', async () => {
    const dead = await freePort();
    const other = sandbox();
    try {
      other.env.OPSDECK_DATA_DIR = box.env.OPSDECK_DATA_DIR;
      writeProfileFile(other.env, profile(`, {type: eureka, name: gone, url: "http://127.0.0.1:${dead}/eureka", timeoutMs: 2000}`));
      const r = await opsdeckAsync(other.env, ['--profile', 'd', 'services', 'drift', '--service', ORDERS, '-o', 'json']);
      expect(r.code).toBe(3);
      const d = r.json();
      expect(d.complete).toBe(false);
      expect(d.sources.find((s: { name: string }) => s.name === 'gone')).toMatchObject({ role: 'registry', complete: false, stoppedBy: 'unreachable' });
      expect(r.stderr).toMatch(/opsdeck: warning: registry gone could not be read: /);
      // What the others show is still there; what would need the missing registry is not guessed.
      expect(d.rows.map((x: Row) => x.kind)).toEqual(['not-scraped', 'healthy-but-down', 'expired-kept']);
      expect(d.unjudged).toEqual([
        { kind: 'service-missing', reason: 'gone could not be read whole, so a service missing from it is not reported' },
        { kind: 'not-registered', reason: 'gone could not be read whole, so a target missing from it is not reported' },
      ]);
    } finally {
      other.cleanup();
    }
  });

  it('Prometheus down: exit 3, the registries still compared, the kinds that need metrics unjudged', async () => {
    const dead = await freePort();
    const other = sandbox();
    try {
      other.env.OPSDECK_DATA_DIR = box.env.OPSDECK_DATA_DIR;
      writeProfileFile(other.env, profile('', `http://127.0.0.1:${dead}`));
      const r = await opsdeckAsync(other.env, ['--profile', 'd', 'services', 'drift', '-o', 'json']);
      expect(r.code).toBe(3);
      const d = r.json();
      expect(d.sources[2]).toMatchObject({ name: 'prometheus', role: 'metrics', complete: false, stoppedBy: 'unreachable' });
      expect(mine(d.rows).map((x: Row) => [x.kind, x.instance])).toEqual([
        ['service-missing', null],
        ['expired-kept', E],
      ]);
      expect(d.unjudged.map((u: { kind: string }) => u.kind)).toEqual(['not-scraped', 'not-registered', 'healthy-but-down']);
      expect(r.stderr).toMatch(/opsdeck: warning: metrics backend prometheus could not be read: /);
    } finally {
      other.cleanup();
    }
  });
});
