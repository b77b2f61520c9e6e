import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { levelOf, type Plan } from '../../src/frontends/tui/pane-levels.js';
import { Session } from '../../src/session/session.js';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { eurekaAppName, sharedEureka, type EurekaEndpoint } from '../servers/eureka-server.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/**
 * Self-preservation on a real Eureka that has it on (Eureka's default, with the start-up wait cut
 * to 0, docs/dev/eureka-facts.md §6): instances that stop renewing stay listed after their leases
 * run out, and opsdeck says so (the banner in services list, the warning in services show, the
 * console pane) from the leases alone. The server's own dashboard (HTML, which opsdeck does not
 * read) is the check: it says lease expiration is off and gives the threshold opsdeck estimates.
 */

let sp: EurekaEndpoint;
let box: ReturnType<typeof sandbox>;
const APP = eurekaAppName('sp');

async function register(server: EurekaEndpoint, app: string, id: string): Promise<void> {
  const instance = {
    instanceId: id, hostName: '127.0.0.1', app, ipAddr: '127.0.0.1', status: 'UP',
    port: { $: 9000, '@enabled': 'true' },
    dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
    // A 2-second lease that is never renewed: a crashed application.
    leaseInfo: { renewalIntervalInSecs: 1, durationInSecs: 2 },
  };
  const r = await fetch(`${server.url}/apps/${app}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instance }) });
  expect(r.status).toBe(204);
}

/** What the dashboard says (the only place Eureka shows it): lease expiration, and the renewal threshold. */
async function dashboard(server: EurekaEndpoint): Promise<{ expiration: boolean; threshold: number }> {
  const html = await (await fetch(`${server.baseUrl}/`)).text();
  const cell = (label: string) => new RegExp(`<td>${label}</td>\\s*<td>([^<]*)</td>`).exec(html)?.[1]?.trim();
  return { expiration: cell('Lease expiration enabled') === 'true', threshold: Number(cell('Renews threshold')) };
}

beforeAll(async () => {
  sp = await sharedEureka({ selfPreservation: true });
  box = sandbox();
  writeProfileFile(box.env, `profiles:\n  sp:\n    registry: {type: eureka, url: "${sp.url}"}\n`);
  await register(sp, APP, 'sp-1');
  await register(sp, APP, 'sp-2');
  // Past the leases and three eviction runs: a server without self-preservation would have evicted both.
  await new Promise((r) => setTimeout(r, 2000 + 3 * sp.evictionIntervalMs + 500));
}, 240_000);

afterAll(() => box?.cleanup());

describe('self-preservation on a real Eureka', () => {
  it('services list: the banner with the threshold the server uses, and the expired instances it keeps, in JSON and in the table', async () => {
    // The dashboard is read before and after, so the comparison holds even while other tests change the registry.
    let before = await dashboard(sp);
    let list = await opsdeckAsync(box.env, ['--profile', 'sp', 'services', 'list', '-o', 'json']);
    let after = await dashboard(sp);
    for (let tries = 1; tries < 5 && before.threshold !== after.threshold; tries++) {
      before = after;
      list = await opsdeckAsync(box.env, ['--profile', 'sp', 'services', 'list', '-o', 'json']);
      after = await dashboard(sp);
    }
    expect(list.code).toBe(0);
    const listing = list.json();
    expect(listing).toMatchObject({ complete: true, stoppedBy: 'done' });
    expect(listing.services.find((s: { name: string }) => s.name === APP)).toEqual({ backend: 'eureka', name: APP, instances: 2, healthy: 0, disabled: 0 });
    const [banner] = listing.backends[0].warnings as string[];
    const m = /^self-preservation is most likely on: about (\d+) lease renewals a minute against Eureka's threshold of (\d+) for (\d+) instances?, so Eureka expires no leases and keeps instances that stopped renewing; (\d+) instances? (?:are|is) still listed although (?:their leases|its lease) ran out: (.*) \(an estimate from the leases/.exec(banner!);
    expect(m, banner).not.toBeNull();
    // The server agrees that it expires nothing, and on the threshold.
    expect(before.expiration).toBe(false);
    expect(before.threshold).toBe(after.threshold);
    expect(Number(m![2])).toBe(before.threshold);
    expect(Number(m![1])).toBeLessThanOrEqual(Number(m![2]));
    expect(m![5]).toContain(`${APP}/sp-`);
    expect(list.stderr).toContain(`opsdeck: warning: eureka: ${banner}`);

    const table = await opsdeckAsync(box.env, ['--profile', 'sp', 'services', 'list', '--filter', APP, '-o', 'table']);
    expect(table.stdout).toMatch(new RegExp(`${APP}\\s+2\\s+0/2\\s+0\\n`));
    expect(table.stdout).toContain('eureka: self-preservation is most likely on');
  });

  it('services show: the expired instances are critical, their leases say how long ago they ran out, and the warning names them', async () => {
    const show = await opsdeckAsync(box.env, ['--profile', 'sp', 'services', 'show', APP, '-o', 'json']);
    expect(show.code).toBe(0);
    const d = show.json();
    expect(d.instances.map((i: { id: string; status: string; health: string }) => [i.id, i.status, i.health]).sort()).toEqual([
      ['sp-1', 'UP', 'critical'],
      ['sp-2', 'UP', 'critical'],
    ]);
    for (const i of d.instances) expect(Date.parse(i.lease.expiresAt)).toBeLessThan(Date.now());
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(/^2 instances are still listed although their leases ran out, and clients are still handed them until Eureka evicts them: sp-\d \(\S+ ago\), sp-\d \(\S+ ago\); Eureka keeps them while it is in self-preservation \(services list shows whether it most likely is\)$/);
    const table = await opsdeckAsync(box.env, ['--profile', 'sp', 'services', 'show', APP, '-o', 'table']);
    expect(table.stdout).toMatch(/sp-1\s+127\.0\.0\.1:9000\s+critical\s+enabled\s+UP\s+yes\s+expired \S+ ago/);
    // Warnings go to stderr (and the JSON), once, as for every command that returns a service.
    expect(table.stderr).toMatch(/^opsdeck: warning: .*2 instances are still listed although their leases ran out/m);
  });

  it('the console: the services pane carries the banner, the instances pane the warning', async () => {
    const session = new Session({ name: 'sp', readOnly: false, production: false, registry: [{ type: 'eureka', url: sp.url }], config: [], locks: [], source: 'test' }, join(box.dir, 'data'), 'test');
    try {
      const level = levelOf('services', { level: 'top' });
      const top = await level.load(consoleReads(session), Date.now());
      if (Array.isArray(top)) throw new Error('the services pane gives columns');
      expect(top.warnings).toEqual([expect.stringMatching(new RegExp(`^eureka: self-preservation is most likely on: .*${APP}/sp-`))]);
      const drill = level.enter!(top.rows.find((r) => r.cells[0] === APP)!) as Extract<Plan, { kind: 'drill' }>;
      const inst = await levelOf('services', { level: drill.level }).load(consoleReads(session), Date.now());
      if (Array.isArray(inst)) throw new Error('the instances pane gives columns');
      expect(inst.rows.map((r) => [r.cells[0], r.cells[2], r.tone]).sort()).toEqual([
        ['sp-1', 'critical', 'bad'],
        ['sp-2', 'critical', 'bad'],
      ]);
      expect(inst.rows[0]!.cells[inst.columns.indexOf('LEASE LEFT')]).toMatch(/^expired \S+ ago$/);
      expect(inst.warnings).toEqual([expect.stringMatching(/^eureka: 2 instances are still listed although their leases ran out/)]);
    } finally {
      await session.dispose();
    }
  });

});
