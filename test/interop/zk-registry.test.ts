import type { Client } from 'node-zookeeper-client';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, data } from '../adapters/zookeeper-support.js';
import { opsdeckAsync, sandbox } from '../helpers/cli.js';
import { rawZkClient, sharedZooKeeper } from '../servers/zookeeper-server.js';
import { eventually } from '../conformance/registry-suite.js';
import { writeProfiles } from './support.js';
import { DUBBO_REGISTERED_IP, startZkRegistrants, type ZkRegistrants } from './zk-registrants.js';

/**
 * The opsdeck binary against real applications registered in a real ZooKeeper 3.8: one JVM
 * (test/interop/zk-registrants) with Spring Cloud Zookeeper discovery, a Dubbo 3.3.4 provider
 * (interface and application level) and a plain curator-x-discovery registrant. opsdeck must list
 * each with its layout, and its drains must be what the applications themselves follow: Spring
 * Cloud LoadBalancer drops an OUT_OF_SERVICE instance, Curator's ServiceProvider drops a disabled
 * one, and Dubbo applies an override rule by registering again with disabled=true.
 */

const APP = 'shop';
const DUBBO_APP = 'shop-dubbo';
const GREETING = 'opsdeck.interop.zk.GreetingService';
const ECHO = 'opsdeck.interop.zk.Api$Echo';

let zk: Awaited<ReturnType<typeof sharedZooKeeper>>;
let raw: Client;
let app: ZkRegistrants;
let box: ReturnType<typeof sandbox>;

const run = async (...args: string[]) => {
  const r = await opsdeckAsync(box.env, ['--profile', 'z', ...args]);
  return r;
};
const json = async (...args: string[]) => {
  const r = await run(...args, '-o', 'json');
  expect(r.code, r.stderr).toBe(0);
  return r.json();
};
const providers = async (iface: string) => (await children(raw, `/dubbo/${encodeURIComponent(iface)}/providers`)).map(decodeURIComponent);

beforeAll(async () => {
  // The run's shared ZooKeeper: the default roots (/services, /dubbo, /config, /curator-services) are this file's alone.
  zk = await sharedZooKeeper();
  app = await startZkRegistrants({ zookeeper: zk.connect, app: APP, metadata: { zone: 'z1' }, dubbo: { application: DUBBO_APP }, curator: { basePath: '/curator-services', service: 'billing', id: 'billing-1' } });
  raw = await rawZkClient(zk.connect);
  box = sandbox();
  writeProfiles(box.env, { z: { registry: [{ type: 'zookeeper', name: 'zk', connect: zk.connect, curatorBasePaths: ['/curator-services'] }], config: [{ type: 'zookeeper', name: 'zkc', connect: zk.connect }] } });
}, 400_000);

afterAll(async () => {
  await app?.stop();
  raw?.close();
  box?.cleanup();
});

describe('opsdeck and the applications registered in ZooKeeper', () => {
  it('lists every registrant with the layout its data shows, the two layouts of /services apart', async () => {
    const { services } = await json('services', 'list');
    const rows = Object.fromEntries(services.map((s: { name: string }) => [s.name, s]));
    expect(rows[APP]).toMatchObject({ backend: 'zk', prefix: '/services', layout: 'spring-cloud', instances: 1, healthy: 1, disabled: 0 });
    expect(rows[DUBBO_APP]).toMatchObject({ prefix: '/services', layout: 'dubbo-app', instances: 1 });
    expect(rows[GREETING]).toMatchObject({ prefix: '/dubbo', layout: 'dubbo-interface', instances: 1 });
    expect(rows[ECHO]).toMatchObject({ prefix: '/dubbo', layout: 'dubbo-interface', instances: 1 });
    expect(rows.billing).toMatchObject({ prefix: '/curator-services', layout: 'curator', instances: 1 });
    // The table says the layout too.
    const table = await run('services', 'list', '-o', 'table');
    expect(table.stdout).toMatch(/LAYOUT/);
    expect(table.stdout).toMatch(/shop-dubbo\s+dubbo-app/);
  }, 60_000);

  it('shows the Spring Cloud instance by its node name, ephemeral, with its session timeout as the lease', async () => {
    const self = await app.get('/self');
    const d = await json('services', 'show', APP);
    expect(d).toMatchObject({ prefix: '/services', layout: 'spring-cloud' });
    expect(d.instances).toHaveLength(1);
    expect(d.instances[0]).toMatchObject({ id: self.instanceId, ip: '127.0.0.1', port: app.port, ephemeral: true, health: 'passing', traffic: 'enabled', status: 'UP', metadata: { zone: 'z1' } });
    expect(d.instances[0].lease).toEqual({ durationMs: 4000, expiresAt: null });
  }, 60_000);

  it("drains the Spring Cloud instance the Spring way: Spring Cloud LoadBalancer stops choosing it; undrain brings it back", async () => {
    const self = await app.get('/self');
    const path = `/services/${APP}/${self.instanceId}`;
    expect(await app.get(`/lb/${APP}`)).toHaveLength(1);
    const drained = await json('instances', 'drain', APP, self.instanceId);
    expect(drained.instances[0]).toMatchObject({ traffic: 'disabled', status: 'OUT_OF_SERVICE' });
    expect(JSON.parse((await data(raw, path))!.toString()).payload.metadata).toEqual({ zone: 'z1', instance_status: 'OUT_OF_SERVICE' });
    await eventually(15_000, async () => expect(await app.get(`/lb/${APP}`)).toEqual([]));
    const seen = await app.get(`/seen/${APP}`);
    expect(seen[0].metadata.instance_status).toBe('OUT_OF_SERVICE');
    // By the IP:PORT alias.
    await json('instances', 'undrain', APP, `127.0.0.1:${app.port}`);
    await eventually(15_000, async () => expect(await app.get(`/lb/${APP}`)).toHaveLength(1));
  }, 60_000);

  it("drains the Curator registrant with Curator's own enabled flag, which its ServiceProvider honours", async () => {
    await json('instances', 'drain', 'billing', 'billing-1');
    await eventually(15_000, async () => expect((await app.get('/curator')).provider).toEqual([]));
    expect((await app.get('/curator')).seen['billing-1'].enabled).toBe(false);
    await json('instances', 'undrain', 'billing', 'billing-1');
    await eventually(15_000, async () => expect((await app.get('/curator')).provider).toEqual(['billing-1']));
  }, 60_000);

  it('drains a Dubbo provider with an override rule that Dubbo applies: it registers again with disabled=true', async () => {
    const address = `${DUBBO_REGISTERED_IP}:${app.dubboPort}`;
    const rulePath = `/dubbo/config/dubbo/${ECHO}::.configurators`;
    const drained = await run('instances', 'drain', ECHO, address, '-o', 'json');
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stderr).toMatch(/Dubbo applies the rule/);
    expect(parse((await data(raw, rulePath))!.toString())).toEqual({
      configVersion: 'v2.7',
      scope: 'service',
      key: ECHO,
      enabled: true,
      configs: [{ addresses: [address], side: 'provider', parameters: { disabled: true } }],
    });
    // Dubbo read it back: the provider re-exported and its registered URL says disabled=true.
    await eventually(30_000, async () => expect((await providers(ECHO)).some((u) => /[?&]disabled=true(&|$)/.test(u))).toBe(true));
    // Dubbo re-exports by deleting its node and writing a new one: between the two the service has no provider.
    await eventually(30_000, async () => {
      const shown = await json('services', 'show', ECHO);
      expect(shown.instances[0]).toMatchObject({ ip: DUBBO_REGISTERED_IP, port: app.dubboPort, traffic: 'disabled', statusOverride: 'disabled' });
    });
    // The other interface is untouched: the rule is the service's own.
    expect((await providers(GREETING)).some((u) => u.includes('disabled=true'))).toBe(false);

    // Dubbo may be between deleting its node and writing the new one (its re-export): the service
    // is briefly not there, so the undrain is asked again until it finds it.
    await eventually(30_000, async () => {
      await json('instances', 'undrain', ECHO, address);
    });
    expect(await data(raw, rulePath)).toBeNull();
    await eventually(30_000, async () => expect((await providers(ECHO)).some((u) => u.includes('disabled=true'))).toBe(false));
    await eventually(30_000, async () => expect((await json('services', 'show', ECHO)).instances[0].traffic).toBe('enabled'));
  }, 120_000);

  it("drains Dubbo's application-level instance with the application's rule", async () => {
    const address = `${DUBBO_REGISTERED_IP}:${app.dubboPort}`;
    const d = await json('instances', 'drain', DUBBO_APP, address);
    expect(d.instances[0]).toMatchObject({ traffic: 'disabled', statusOverride: 'disabled' });
    const rule = parse((await data(raw, `/dubbo/config/dubbo/${DUBBO_APP}.configurators`))!.toString());
    expect(rule).toMatchObject({ scope: 'application', key: DUBBO_APP, configs: [{ addresses: [address], side: 'provider', parameters: { disabled: true } }] });
    // An application rule speaks to every service of the application at that address.
    await eventually(30_000, async () => expect((await providers(GREETING)).some((u) => /[?&]disabled=true(&|$)/.test(u))).toBe(true));
    await json('instances', 'undrain', DUBBO_APP, address);
    expect(await data(raw, `/dubbo/config/dubbo/${DUBBO_APP}.configurators`)).toBeNull();
    await eventually(30_000, async () => expect((await providers(GREETING)).some((u) => u.includes('disabled=true'))).toBe(false));
  }, 120_000);

  it("refuses to edit Dubbo's metadata, naming the backend and the layout", async () => {
    const r = await run('instances', 'meta', DUBBO_APP, `${DUBBO_REGISTERED_IP}:${app.dubboPort}`, '--set', 'a=b');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/backend zk cannot change the metadata .* dubbo-app layout/);
  }, 60_000);

  it('publishes Spring Cloud Zookeeper config that the application picks up through its watcher, compare-and-set on the node version', async () => {
    const key = `${APP}/opsdeck.greeting`;
    const created = await json('config', 'set', key, '--value', 'hello from opsdeck', '--if-match', 'absent');
    expect(created).toMatchObject({ backend: 'zkc', prefix: '/config', dataId: key, content: 'hello from opsdeck', token: '0', version: 0 });
    expect((await data(raw, `/config/${key}`))!.toString()).toBe('hello from opsdeck');
    // The context node is a plain parent: Spring reads its children, not its data.
    expect((await data(raw, `/config/${APP}`))!.length).toBe(0);
    await eventually(15_000, async () => expect((await app.get('/config?key=opsdeck.greeting')).value).toBe('hello from opsdeck'));
    const again = await run('config', 'set', key, '--value', 'x', '--if-match', 'absent', '-o', 'json');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/has version 0 now, not absent/);
    await json('config', 'set', key, '--value', 'hello again', '--if-match', '0');
    const stale = await run('config', 'set', key, '--value', 'lost', '--if-match', '0', '-o', 'json');
    expect(stale.code).toBe(1);
    await eventually(15_000, async () => expect((await app.get('/config?key=opsdeck.greeting')).value).toBe('hello again'));
    const listed = await json('config', 'list', '--filter', APP);
    expect(listed.configs.map((c: { dataId: string }) => c.dataId)).toContain(key);
  }, 60_000);

  // Last: it takes the Curator registrant out of the registry for good (it does not come back while its session lasts).
  it('deregisters an ephemeral node after a confirmation that says the application registers again, and it stays gone while the application runs', async () => {
    const r = await run('instances', 'deregister', 'billing', 'billing-1', '--yes', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/ephemeral node of its application's ZooKeeper session/);
    expect(await children(raw, '/curator-services/billing')).toEqual([]);
    // Measured (docs/dev/zookeeper-registry-facts.md §5): Curator does not put it back while its session lasts.
    await new Promise((res) => setTimeout(res, 5000));
    expect(await children(raw, '/curator-services/billing')).toEqual([]);
    expect((await app.get('/curator')).registered).toBe(true);
  }, 60_000);
});
