import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGlobals } from '../../src/commands/global-options.js';
import { SessionPool } from '../../src/frontends/session-pool.js';
import { lineRunner } from '../../src/frontends/tui/line-runner.js';
import { levelOf, type LoadedView, type Plan } from '../../src/frontends/tui/pane-levels.js';
import { PLAIN } from '../../src/render/style.js';
import { Session } from '../../src/session/session.js';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { startEurekaClientApp, type EurekaClientApp } from '../interop/eureka-client.js';
import { eurekaAppName, sharedEureka, type EurekaEndpoint } from '../servers/eureka-server.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/**
 * The binary against a real Eureka server and a real Spring Cloud Eureka client application
 * (test/interop/eureka-client): what opsdeck shows of the application's own registration, and
 * that a drain, an undrain and a metadata change made through opsdeck reach the application (its
 * remote status, its health endpoint, what its DiscoveryClient hands a load balancer). The server
 * is read directly (fetch) to check what it holds; the console's panes and dialog are driven on
 * the same profile.
 */

let server: EurekaEndpoint;
let client: EurekaClientApp;
let box: ReturnType<typeof sandbox>;
const APP = eurekaAppName('cli');
const ID = `${APP.toLowerCase()}-1`;

beforeAll(async () => {
  server = await sharedEureka();
  client = await startEurekaClientApp(server, { app: APP, instanceId: ID, metadata: { team: 'ops' }, leaseDurationSeconds: 5 });
  box = sandbox();
  // The test server runs without self-preservation; the profile says so, as a user's would.
  writeProfileFile(box.env, `profiles:\n  e:\n    registry: {type: eureka, url: "${server.url}", selfPreservation: false}\n`);
}, 240_000);

afterAll(async () => {
  await client?.stop();
  box?.cleanup();
});

const run = (...args: string[]) => opsdeckAsync(box.env, ['--profile', 'e', ...args]);

/** The instance as the server holds it right now, read without opsdeck. */
async function raw(path = `/apps/${APP}/${ID}`): Promise<any> {
  const r = await fetch(`${server.url}${path}`, { headers: { accept: 'application/json' } });
  return r.status === 200 ? r.json() : null;
}

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('opsdeck CLI on Eureka with a live Spring Cloud client', () => {
  it("services list and show: the application's own registration, with URLs, metadata, and lease times as the registry holds them (not Eureka's cached listing)", async () => {
    // Eureka's listing of the application is cached and renewals do not refresh it: once cached, its
    // lease looks expired within two lease durations, although the client renews every second.
    const listed = await raw(`/apps/${APP}`);
    expect(listed.application.instance).toHaveLength(1);
    await until('the cached listing of a renewing instance', () => raw(`/apps/${APP}`), (b) => b.application.instance[0].leaseInfo.lastRenewalTimestamp + 5000 < Date.now(), 20_000);
    expect((await raw()).instance.leaseInfo.lastRenewalTimestamp + 5000).toBeGreaterThan(Date.now());

    const list = await run('services', 'list', '--filter', APP.toLowerCase(), '-o', 'json');
    expect(list.code).toBe(0);
    expect(list.json().services).toEqual([{ backend: 'eureka', name: APP, instances: 1, healthy: 1, disabled: 0 }]);

    const show = await run('services', 'show', APP.toLowerCase(), '-o', 'json');
    expect(show.code).toBe(0);
    const d = show.json();
    expect(d).toMatchObject({ backend: 'eureka', name: APP, warnings: [] });
    const i = d.instances[0];
    expect(i).toMatchObject({
      id: ID, ip: '127.0.0.1', port: client.port, health: 'passing', traffic: 'enabled', status: 'UP', statusOverride: null, weight: null, ephemeral: true,
      metadata: { team: 'ops', 'management.port': String(client.port) },
      urls: { home: `http://127.0.0.1:${client.port}/`, status: `http://127.0.0.1:${client.port}/actuator/info`, health: `http://127.0.0.1:${client.port}/actuator/health` },
      lease: { durationMs: 5000 },
    });
    // The client renews every second: its last heartbeat is recent, its lease ends within one duration of it.
    expect(Date.now() - Date.parse(i.lastHeartbeat)).toBeLessThan(4000);
    expect(Date.parse(i.lease.expiresAt) - Date.parse(i.lastHeartbeat)).toBe(2 * 5000);

    const table = await run('services', 'show', APP, '-o', 'table');
    expect(table.stdout).toMatch(new RegExp(`INSTANCE\\s+ADDRESS\\s+HEALTH\\s+TRAFFIC\\s+STATUS\\s+EPHEMERAL\\s+LEASE LEFT\\s+METADATA\\n${ID}\\s+127\\.0\\.0\\.1:${client.port}\\s+passing\\s+enabled\\s+UP\\s+yes\\s+\\d`));
  }, 60_000);

  it('drain reaches the application (remote status, health 503, DiscoveryClient drops it) and heartbeats do not lift it; the console shows it drained; undrain brings it all back', async () => {
    const drained = await run('instances', 'drain', APP, `127.0.0.1:${client.port}`, '-o', 'json');
    expect(drained.code).toBe(0);
    expect(drained.json().instances[0]).toMatchObject({ id: ID, status: 'OUT_OF_SERVICE', statusOverride: 'OUT_OF_SERVICE', traffic: 'disabled', enabled: false });
    expect((await raw()).instance).toMatchObject({ status: 'OUT_OF_SERVICE', overriddenStatus: 'OUT_OF_SERVICE' });

    const self = await until('the client seeing its drain', () => client.self(), (s) => s.remoteStatus === 'OUT_OF_SERVICE');
    // The application itself still says UP: the override is the server's, which is what clients obey.
    expect(self.localStatus).toBe('UP');
    expect((await until('health', () => client.health(), (h) => h.status === 503)).body.status).toBe('OUT_OF_SERVICE');
    const seen = await until('the DiscoveryClient', () => client.seen(APP), (s) => s.discoveryClient.length === 0);
    expect(seen.registry.map((r) => [r.instanceId, r.status])).toEqual([[ID, 'OUT_OF_SERVICE']]);

    // Two seconds of heartbeats later the override still holds.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await raw()).instance.status).toBe('OUT_OF_SERVICE');
    expect((await run('services', 'list', '--filter', APP, '-o', 'json')).json().services[0]).toMatchObject({ instances: 1, disabled: 1 });

    // The console's panes, on the same profile.
    const session = new Session({ name: 'e', readOnly: false, production: false, registry: [{ type: 'eureka', url: server.url, selfPreservation: false }], config: [], locks: [], source: 'test' }, join(box.dir, 'data'), 'test');
    try {
      const top = loaded(await levelOf('services', { level: 'top' }).load(consoleReads(session), Date.now()));
      expect(top.columns).toEqual(['SERVICE', 'INSTANCES', 'HEALTHY', 'DRAINED']);
      const row = top.rows.find((r) => r.cells[0] === APP)!;
      expect(row.cells).toEqual([APP, '1', '0/1', '1']);
      const drill = levelOf('services', { level: 'top' }).enter!(row) as Extract<Plan, { kind: 'drill' }>;
      const inst = loaded(await levelOf('services', { level: drill.level }).load(consoleReads(session), Date.now()));
      expect(inst.columns).toEqual(['INSTANCE', 'ADDRESS', 'HEALTH', 'TRAFFIC', 'STATUS', 'EPHEMERAL', 'LEASE LEFT', 'METADATA']);
      expect([inst.rows[0]!.cells[0], inst.rows[0]!.cells[3], inst.rows[0]!.cells[4], inst.rows[0]!.tone]).toEqual([ID, 'drained', 'OUT_OF_SERVICE (override)', 'dim']);
    } finally {
      await session.dispose();
    }

    const back = await run('instances', 'undrain', APP, ID, '-o', 'json');
    expect(back.code).toBe(0);
    expect(back.json().instances[0]).toMatchObject({ status: 'UP', statusOverride: null, traffic: 'enabled', health: 'passing' });
    expect((await raw()).instance).toMatchObject({ status: 'UP', overriddenStatus: 'UNKNOWN' });
    await until('the client seeing its undrain', () => client.self(), (s) => s.remoteStatus === 'UP');
    await until('health', () => client.health(), (h) => h.status === 200);
    expect((await until('the DiscoveryClient', () => client.seen(APP), (s) => s.discoveryClient.length === 1)).discoveryClient[0]!.instanceId).toBe(ID);
    // Undraining what is not drained changes nothing.
    expect((await run('instances', 'undrain', APP, ID, '-o', 'json')).json().instances[0]).toMatchObject({ status: 'UP', statusOverride: null });
  }, 90_000);

  it("metadata: a set merges and reaches the client's registry copy; keys are removed, the client's own included, and a drain survives it", async () => {
    const set = await run('instances', 'meta', APP, ID, '--set', 'canary=true', '--set', 'owner=team a', '-o', 'json');
    expect(set.code).toBe(0);
    expect(set.json().instances[0].metadata).toMatchObject({ team: 'ops', canary: 'true', owner: 'team a' });
    expect((await raw()).instance.metadata).toMatchObject({ team: 'ops', canary: 'true', owner: 'team a' });
    await until("the client's registry copy", () => client.self(), (s) => s.fetched?.metadata.canary === 'true');

    expect((await run('instances', 'drain', APP, ID)).code).toBe(0);
    const removed = await run('instances', 'meta', APP, ID, '--remove', 'canary', '--remove', 'team', '-o', 'json');
    expect(removed.code).toBe(0);
    expect(removed.json().instances[0]).toMatchObject({ status: 'OUT_OF_SERVICE', statusOverride: 'OUT_OF_SERVICE' });
    const held = (await raw()).instance;
    expect(held.metadata).toEqual({ owner: 'team a', 'management.port': String(client.port) });
    expect(held.status).toBe('OUT_OF_SERVICE');
    await until("the client's registry copy", () => client.self(), (s) => s.fetched !== null && !('canary' in s.fetched.metadata));
    // The client keeps renewing the re-registered instance: its heartbeats are accepted (it is not registered again).
    await new Promise((r) => setTimeout(r, 2000));
    expect((await raw()).instance.metadata).not.toHaveProperty('team');
    expect((await run('instances', 'undrain', APP, ID)).code).toBe(0);
  }, 60_000);

  it('deregister asks first and warns that a live client comes back; the console dialog says the same; when it does come back, exit 1 says so', async () => {
    const unasked = await run('instances', 'deregister', APP, ID);
    expect(unasked.code).toBe(2);

    // The console asks with the command's message; declining changes nothing.
    const env = { ...box.env };
    const pool = new SessionPool('test', env);
    const asked: string[] = [];
    try {
      const line = lineRunner({
        pool, globals: { ...readGlobals({}), profile: 'e' }, env, version: 'test', profileName: 'e', style: PLAIN, width: () => 120,
        log: () => 1, amendLog: () => undefined, ask: async (message) => (asked.push(message), false), notice: () => undefined, openMetrics: () => undefined,
      });
      const declined = await line(`instances deregister ${APP} ${ID} --yes`, new AbortController().signal);
      expect(declined.exitCode).toBe(1);
    } finally {
      await pool.dispose();
    }
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(new RegExp(`^Deregister ${ID} \\(127\\.0\\.0\\.1:${client.port}\\) from ${APP} \\(eureka, profile e\\)\\? Its lease was renewed \\S+ ago, so its application looks alive: a running Eureka client registers the instance again at its next heartbeat\\. Drain it instead, or stop the application\\.$`));
    expect(await raw()).not.toBeNull();

    const done = await run('instances', 'deregister', APP, ID, '--yes');
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(new RegExp(`removed instance ${ID} of ${APP}, but its application registered it again \\S+ later: a running Eureka client registers itself at its next heartbeat \\(hint: stop the application \\(a graceful stop deregisters it\\), or drain it instead: opsdeck instances drain ${APP} ${ID}\\)`));
    expect(await raw()).not.toBeNull();
  }, 60_000);

  it('what Eureka cannot do is refused before anything is sent: weights, scope flags, persistent or weighted registrations', async () => {
    const weight = await run('instances', 'weight', APP, ID, '2');
    expect([weight.code, weight.stderr.trim()]).toEqual([2, 'opsdeck: backend eureka cannot set weights (hint: use a profile (or --backend) whose backend supports it)']);
    const ns = await run('services', 'show', APP, '--namespace', 'dev');
    expect([ns.code, ns.stderr.trim()]).toEqual([2, 'opsdeck: registry backend eureka has no namespaces (hint: eureka addresses things by name alone: drop --namespace)']);
    const persistent = await run('instances', 'register', APP, '10.77.0.1:8080');
    expect([persistent.code, persistent.stderr.trim()]).toEqual([2, 'opsdeck: Eureka keeps an instance only while its lease is renewed, so it cannot hold a persistent one (hint: register with --ephemeral --ttl 90s and renew it with "opsdeck instances heartbeat")']);
    const weighted = await run('instances', 'register', APP, '10.77.0.1:8080', '--ephemeral', '--weight', '3');
    expect([weighted.code, weighted.stderr.trim()]).toEqual([2, 'opsdeck: Eureka has no instance weights (hint: drop --weight)']);
    expect(await raw(`/apps/${APP}/10.77.0.1:8080`)).toBeNull();
  });

  it('register and heartbeat an instance opsdeck keeps alive; registering its address again updates it; deregistering it sticks', async () => {
    const app = eurekaAppName('cli-reg');
    const reg = await run('instances', 'register', app.toLowerCase(), '10.77.0.2:8080', '--ephemeral', '--ttl', '20s', '--meta', 'role=sidecar', '--cluster', 'z2', '-o', 'json');
    expect(reg.code).toBe(0);
    expect(reg.json()).toMatchObject({ backend: 'eureka', name: app, instances: [{ id: '10.77.0.2:8080', ip: '10.77.0.2', port: 8080, status: 'UP', cluster: 'z2', metadata: { role: 'sidecar', zone: 'z2' }, lease: { durationMs: 20_000 } }] });
    const held = (await raw(`/apps/${app}/10.77.0.2:8080`)).instance;
    expect(held).toMatchObject({ app, ipAddr: '10.77.0.2', vipAddress: app.toLowerCase(), port: { $: 8080, '@enabled': 'true' }, leaseInfo: { durationInSecs: 20, renewalIntervalInSecs: 6 } });
    const beat = await run('instances', 'heartbeat', app, '10.77.0.2:8080', '-o', 'json');
    expect(beat.code).toBe(0);
    // A heartbeat moves the stored renewal time to the heartbeat plus the lease (facts §4).
    expect((await raw(`/apps/${app}/10.77.0.2:8080`)).instance.leaseInfo.lastRenewalTimestamp).toBeGreaterThan(Date.now() + 15_000);

    const again = await run('instances', 'register', app, '10.77.0.2:8080', '--ephemeral', '--ttl', '20s', '--meta', 'role=proxy', '-o', 'json');
    expect(again.json().instances.map((i: { id: string; metadata: object }) => [i.id, i.metadata])).toEqual([['10.77.0.2:8080', { role: 'proxy' }]]);

    const gone = await run('instances', 'deregister', app, '10.77.0.2:8080', '--yes', '-o', 'json');
    expect(gone.code).toBe(0);
    expect(gone.json()).toMatchObject({ backend: 'eureka', id: '10.77.0.2:8080', deregistered: true });
    expect(await raw(`/apps/${app}/10.77.0.2:8080`)).toBeNull();
    const late = await run('instances', 'heartbeat', app, '10.77.0.2:8080');
    expect(late.code).toBe(1);
  });
});

function loaded(v: LoadedView) {
  return Array.isArray(v) ? { rows: v, columns: [] as string[], warnings: undefined } : v;
}
