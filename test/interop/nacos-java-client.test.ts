import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { raw, rawConfig } from '../adapters/nacos-support.js';
import type { NacosEndpoint, NacosVersion } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';
import { startNacosJavaClient, type NacosJavaClient, type NacosJavaInstance } from './nacos-client.js';

/**
 * The binary against a real Nacos and the real Java client an application uses
 * (com.alibaba.nacos:nacos-client 2.5.1 over gRPC, test/interop/nacos-client): opsdeck lists the
 * instance the client registered, with its metadata; a drain and an undrain made through opsdeck
 * reach the client's subscription; a compare-and-set publish through opsdeck reaches the client's
 * config listener, and a stale one is refused and reaches nothing. The server is read directly
 * (fetch with the admin token) where the test checks what it holds.
 */

const VERSIONS: NacosVersion[] = ['2.5.1', '3.0.3'];

beforeAll(() => {
  for (const v of VERSIONS) sharedNacos(v).catch(() => {});
});

describe.each(VERSIONS)('Nacos %s with the Java client 2.5.1', (version) => {
  let s: NacosEndpoint;
  let token: string;
  let ns: string;
  let client: NacosJavaClient;
  let box: ReturnType<typeof sandbox>;
  const GROUP = 'INTEROP';
  const SERVICE = 'orders';
  const DATA_ID = 'orders.properties';
  const META = { team: 'payments', 'build.version': '1.4.2' };

  beforeAll(async () => {
    s = await sharedNacos(version);
    token = await nacosToken(s);
    ns = await nacosNamespace(s, token, 'java-client');
    // The application's config exists before it starts, as in production.
    const created = await raw(s, token, 'POST', '/v1/cs/configs', { dataId: DATA_ID, group: GROUP, tenant: ns, content: 'checkout.v2=false', type: 'properties' });
    expect(created.text.trim()).toBe('true');
    box = sandbox();
    box.env.NACOS_TEST_PASSWORD = s.password;
    const entry = `{type: nacos, url: "${s.url}", username: "${s.username}", password: "\${NACOS_TEST_PASSWORD}"}`;
    writeProfileFile(box.env, `profiles:\n  n:\n    registry: ${entry}\n    config: ${entry}\n`);
    client = await startNacosJavaClient(s, ns);
    await client.register(SERVICE, GROUP, '127.0.0.1', 18080, META);
    await client.subscribe(SERVICE, GROUP);
    expect(await client.listen(DATA_ID, GROUP)).toBe('checkout.v2=false');
  }, 25 * 60_000);

  afterAll(async () => {
    await client?.stop();
    box?.cleanup();
  });

  const run = (...args: string[]) => opsdeckAsync(box.env, ['--profile', 'n', ...args, '--namespace', ns, '--group', GROUP, '-o', 'json']);

  /** Reads the client's pushes until one satisfies `ok`; the one that did. */
  async function pushUntil(what: string, ok: (instances: NacosJavaInstance[]) => boolean): Promise<NacosJavaInstance[]> {
    const until = Date.now() + 30_000;
    for (;;) {
      const push = await client.next('INSTANCES', Math.max(1, until - Date.now())).catch((e: Error) => {
        throw new Error(`the Java client never saw ${what}; its pushes: ${JSON.stringify(client.seen('INSTANCES'))}\n${e.message}`);
      });
      if (ok(push.instances)) return push.instances;
    }
  }

  it('lists the instance the Java client registered, with its metadata, id and ephemeral flag', async () => {
    const [pushed] = await pushUntil('its own instance', (l) => l.length === 1);
    const list = await run('services', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.json().services).toEqual([{ backend: 'nacos', namespace: ns, group: GROUP, name: SERVICE, instances: 1, healthy: 1, disabled: 0 }]);
    const show = await run('services', 'show', SERVICE);
    expect(show.code, show.stderr).toBe(0);
    const d = show.json();
    expect(d).toMatchObject({ backend: 'nacos', namespace: ns, group: GROUP, name: SERVICE });
    expect(d.instances).toHaveLength(1);
    expect(d.instances[0]).toMatchObject({ id: pushed!.instanceId, ip: '127.0.0.1', port: 18080, health: 'passing', traffic: 'enabled', ephemeral: true, weight: 1, metadata: META });
  });

  it('drain reaches the subscription: the server stops pushing the instance, opsdeck still lists it disabled; undrain brings it back', async () => {
    const drained = await run('instances', 'drain', SERVICE, '127.0.0.1:18080', '--yes');
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.json().instances[0]).toMatchObject({ traffic: 'disabled', enabled: false, metadata: META });
    // Nacos pushes only enabled instances to subscribers: a drained instance leaves the client's
    // list (an application never sees one with enabled=false), so its load balancer gets nothing.
    expect(await pushUntil('the instance drained', (l) => l.length === 0)).toEqual([]);
    expect(await client.select(SERVICE, GROUP)).toEqual([]);
    const shown = await run('services', 'show', SERVICE);
    expect(shown.json().instances[0]).toMatchObject({ traffic: 'disabled', health: 'passing', metadata: META });
    const listed = await run('services', 'list');
    expect(listed.json().services[0]).toMatchObject({ instances: 1, healthy: 1, disabled: 1 });

    const back = await run('instances', 'undrain', SERVICE, '127.0.0.1:18080', '--yes');
    expect(back.code, back.stderr).toBe(0);
    const [again] = await pushUntil('the instance undrained', (l) => l.length === 1);
    expect(again).toMatchObject({ ip: '127.0.0.1', port: 18080, enabled: true, healthy: true, metadata: META });
    expect((await client.select(SERVICE, GROUP)).map((i) => i.port)).toEqual([18080]);
  });

  it('config listeners shows the Java client, under the address it reports, with the md5 it holds', async () => {
    const got = await run('config', 'get', DATA_ID);
    expect(got.code, got.stderr).toBe(0);
    const md5 = got.json().md5;
    const l = await run('config', 'listeners', DATA_ID);
    expect(l.code, l.stderr).toBe(0);
    expect(l.json()).toMatchObject({ dataId: DATA_ID, md5 });
    expect(l.json().listeners).toContainEqual({ ip: client.clientIp, md5 });
  });

  it('set --if-match with the current md5 reaches the listener; a stale md5 is refused and reaches nothing', async () => {
    const before = (await run('config', 'get', DATA_ID)).json();
    const set = await run('config', 'set', DATA_ID, '--value', 'checkout.v2=true', '--if-match', before.md5, '--yes');
    expect(set.code, set.stderr).toBe(0);
    const change = await client.next('CONFIG');
    expect(change).toEqual({ dataId: DATA_ID, group: GROUP, content: 'checkout.v2=true' });
    const after = (await run('config', 'get', DATA_ID)).json();
    expect(after.md5).not.toBe(before.md5);

    // The md5 the operator read before the change is stale now.
    const stale = await run('config', 'set', DATA_ID, '--value', 'checkout.v2=oops', '--if-match', before.md5, '--yes');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`its md5 is now ${after.md5}`);
    expect(await rawConfig(s, token, ns, GROUP, DATA_ID)).toBe('checkout.v2=true');
    // The client's long connection gets a change within a second of a publish; give a refused
    // publish well over that to show up, had it gone through.
    await new Promise((r) => setTimeout(r, 3000));
    expect(client.seen('CONFIG')).toEqual([change]);

    // The client now holds the new md5, and the server knows it.
    const l = await run('config', 'listeners', DATA_ID);
    expect(l.json().listeners).toContainEqual({ ip: client.clientIp, md5: after.md5 });
  });
});
