import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/adapters/zookeeper/index.js';
import type { ConfigBackend } from '../../src/core/config-center.js';
import { OpsError } from '../../src/core/errors.js';
import type { RegistryBackend } from '../../src/core/registry.js';
import { rawZkClient, sharedZooKeeper } from '../servers/zookeeper-server.js';
import { create, mkdirs } from './zookeeper-support.js';

/**
 * The ZooKeeper registry and config backends on nodes written here the way the real applications
 * write them (docs/dev/zookeeper-registry-facts.md), in roots of this file's own on the run's
 * shared ZooKeeper 3.8: the recogniser per service, --prefix, names found under two roots, nodes
 * no layout explains, and the config refusals. The applications themselves: test/interop/zk-registry.test.ts.
 */

const R = `/t${process.pid}`;
let raw: Client;
let dir: string;
let adapter: Awaited<ReturnType<typeof connect>>;
let registry: RegistryBackend;
let config: ConfigBackend;

const instance = (name: string, id: string, port: number, cls: string, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ name, id, address: '10.1.0.1', port, sslPort: null, payload: { '@class': cls, id: name, name, metadata: {}, ...extra }, registrationTimeUTC: 1, serviceType: 'DYNAMIC', uriSpec: null }));
const SPRING = 'org.springframework.cloud.zookeeper.discovery.ZookeeperInstance';
const DUBBO = 'org.apache.dubbo.registry.zookeeper.ZookeeperInstance';

async function put(path: string, body: Buffer, mode = zookeeper.CreateMode.PERSISTENT) {
  await mkdirs(raw, path.slice(0, path.lastIndexOf('/')));
  await create(raw, path, body, mode);
}

beforeAll(async () => {
  const zk = await sharedZooKeeper();
  raw = await rawZkClient(zk.connect);
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-zkreg-'));
  adapter = await connect({ connect: zk.connect, servicesRoot: `${R}/services`, dubboRoot: `${R}/dubbo`, curatorBasePaths: [`${R}/cs`], configRoot: `${R}/config` }, { dataDir: dir, version: 'test', name: 'zk' });
  registry = adapter.registry!;
  config = adapter.config!;
  await put(`${R}/services/shop/u-1`, instance('shop', 'u-1', 8080, SPRING), zookeeper.CreateMode.EPHEMERAL);
  await put(`${R}/services/shop-dubbo/10.1.0.1:20880`, instance('shop-dubbo', '10.1.0.1:20880', 20880, DUBBO));
  await put(`${R}/services/mixed/a`, instance('mixed', 'a', 1, SPRING));
  await put(`${R}/services/mixed/b`, instance('mixed', 'b', 2, DUBBO));
  await put(`${R}/services/junk/n1`, Buffer.from('10.1.0.9'));
  await put(`${R}/cs/shop/c-1`, instance('shop', 'c-1', 9090, 'java.util.LinkedHashMap'));
  const url = encodeURIComponent('dubbo://10.1.0.1:20880/a.B$C?application=shop-dubbo&interface=a.B$C&side=provider&weight=50');
  await put(`${R}/dubbo/${encodeURIComponent('a.B$C')}/providers/${url}`, Buffer.from('10.1.0.1'));
  await mkdirs(raw, `${R}/dubbo/config/dubbo`);
  await mkdirs(raw, `${R}/dubbo/mapping`);
}, 60_000);

afterAll(async () => {
  await adapter?.dispose();
  raw?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const kindOf = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as OpsError).kind;

describe('zookeeper registry on application-written nodes', () => {
  it('lists each service with the layout its data shows; Dubbo bookkeeping and unexplained nodes are not services', async () => {
    const rows = await registry.listServices({ scope: {} });
    const by = (prefix: string, name: string) => rows.find((r) => r.prefix === prefix && r.name === name);
    expect(by(`${R}/services`, 'shop')).toMatchObject({ layout: 'spring-cloud', instances: 1, healthy: 1 });
    expect(by(`${R}/services`, 'shop-dubbo')).toMatchObject({ layout: 'dubbo-app', instances: 1, healthy: 0 });
    expect(by(`${R}/services`, 'mixed')).toMatchObject({ layout: 'mixed', instances: 2 });
    expect(by(`${R}/cs`, 'shop')).toMatchObject({ layout: 'curator' });
    expect(by(`${R}/dubbo`, 'a.B$C')).toMatchObject({ layout: 'dubbo-interface', instances: 1 });
    expect(rows.map((r) => r.name)).not.toContain('junk');
    expect(rows.map((r) => r.name)).not.toContain('config');
    expect(rows.map((r) => r.name)).not.toContain('mapping');
  });

  it('--prefix narrows to one root; a prefix the profile does not have is a usage error naming the roots', async () => {
    expect((await registry.listServices({ scope: { prefix: `${R}/dubbo` } })).map((r) => r.name)).toEqual(['a.B$C']);
    const e = (await registry.listServices({ scope: { prefix: '/elsewhere' } }).catch((x: unknown) => x)) as OpsError;
    expect(e.kind).toBe('usage');
    expect(e.message).toContain('/elsewhere');
    expect(e.hint).toContain(`${R}/services`);
  });

  it('a name under two roots asks for --prefix; with it, the one asked for', async () => {
    const e = (await registry.getService({ scope: {}, name: 'shop' }).catch((x: unknown) => x)) as OpsError;
    expect(e.kind).toBe('usage');
    expect(e.hint).toMatch(/--prefix/);
    const d = await registry.getService({ scope: { prefix: `${R}/cs` }, name: 'shop' });
    expect(d).toMatchObject({ prefix: `${R}/cs`, layout: 'curator', instances: [{ id: 'c-1', port: 9090, ephemeral: false, health: 'unknown', lease: null }] });
  });

  it('a Dubbo provider is found by its decoded interface, its weight and parameters from the URL', async () => {
    const d = await registry.getService({ scope: {}, name: 'a.B$C' });
    expect(d.instances[0]).toMatchObject({ ip: '10.1.0.1', port: 20880, weight: 50, traffic: 'enabled', metadata: { application: 'shop-dubbo', side: 'provider' } });
  });

  it('refuses an ephemeral registration, a weight, and a registration under the Dubbo root', async () => {
    const ref = { scope: { prefix: `${R}/services` }, name: 'new' };
    expect(await kindOf(registry.register!(ref, { ip: '10.0.0.1', port: 1, metadata: {}, ephemeral: true }))).toBe('usage');
    expect(await kindOf(registry.register!(ref, { ip: '10.0.0.1', port: 1, metadata: {}, ephemeral: false, weight: 2 }))).toBe('usage');
    expect(await kindOf(registry.register!({ scope: { prefix: `${R}/dubbo` }, name: 'x' }, { ip: '10.0.0.1', port: 1, metadata: {}, ephemeral: false }))).toBe('usage');
  });
});

describe('zookeeper config refusals', () => {
  it('a token that is no version, a key with keys below it, and bytes that are not text', async () => {
    const scope = {};
    await config.set!({ scope, dataId: 'shop/a' }, '1', 'text', {});
    expect(await kindOf(config.set!({ scope, dataId: 'shop/a' }, '2', 'text', { ifMatch: 'abc' }))).toBe('usage');
    expect(await kindOf(config.delete!({ scope, dataId: 'shop' }, {}))).toBe('usage');
    expect(await kindOf(config.get({ scope, dataId: '/shop/a' }))).toBe('usage');
    await put(`${R}/config/shop/bin`, Buffer.from([0xff, 0xfe, 0x00]));
    expect(await kindOf(config.get({ scope, dataId: 'shop/bin' }))).toBe('unsupported');
    expect((await config.list({ scope })).map((c) => c.dataId).sort()).toEqual(['shop/a', 'shop/bin']);
  });
});

describe('zookeeper registry push (changes)', () => {
  /** The first yield of `changes` after `act`, or a failure after 10 s. */
  async function yieldsAfter(target: { scope: Record<string, string>; service?: string }, act: () => Promise<unknown>): Promise<void> {
    const ac = new AbortController();
    const it = registry.changes!(target, ac.signal)[Symbol.asyncIterator]();
    const next = it.next();
    // The watches are armed by the first read after next(); give that a moment (a loaded machine), then change something.
    await new Promise((r) => setTimeout(r, 2000));
    await act();
    const timer = setTimeout(() => ac.abort(), 10_000);
    const r = await next;
    clearTimeout(timer);
    ac.abort();
    expect(r.done, 'no change was reported').toBe(false);
  }

  it("a drain of one of the service's instances wakes its pane", async () => {
    const id = (await registry.getService({ scope: {}, name: 'a.B$C' })).instances[0]!.id;
    await yieldsAfter({ scope: {}, service: 'a.B$C' }, () => registry.setTraffic!({ scope: {}, name: 'a.B$C' }, id, 'disabled'));
    expect((await registry.getService({ scope: {}, name: 'a.B$C' })).instances[0]!.traffic).toBe('disabled');
  });

  it('a new service wakes the listing', async () => {
    await yieldsAfter({ scope: {} }, () => put(`${R}/services/late/l-1`, instance('late', 'l-1', 1, SPRING)));
  });
});


describe('zookeeper config push (changes)', () => {
  const setData = (path: string, body: string) => new Promise<void>((resolve, reject) => raw.setData(path, Buffer.from(body), -1, (e) => (e ? reject(e) : resolve())));
  const remove = (path: string) => new Promise<void>((resolve, reject) => raw.remove(path, -1, (e) => (e ? reject(e) : resolve())));

  it("the config pane wakes on a new key, a new value and a deleted key, each written by another client", async () => {
    await put(`${R}/config/push/a`, Buffer.from('1'));
    const ac = new AbortController();
    let yields = 0;
    const done = (async () => {
      for await (const _ of config.changes!({ scope: {} }, ac.signal)) yields++;
    })();
    // The first walk arms the watches; give it a moment on a loaded machine.
    await new Promise((r) => setTimeout(r, 1500));
    expect(yields).toBe(0);
    await put(`${R}/config/push,dev/b`, Buffer.from('2'));
    await expect.poll(() => yields, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    await setData(`${R}/config/push/a`, '3');
    await expect.poll(() => yields, { timeout: 10_000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 500));
    await remove(`${R}/config/push,dev/b`);
    await expect.poll(() => yields, { timeout: 10_000 }).toBe(3);
    ac.abort();
    await done;
  }, 40_000);
});
