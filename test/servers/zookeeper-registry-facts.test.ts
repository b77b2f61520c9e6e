import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { DUBBO_REGISTERED_IP, startZkRegistrants, type ZkRegistrants } from '../interop/zk-registrants.js';
import { rawZkClient, startZooKeeper, type ZooKeeperServer } from './zookeeper-server.js';

/**
 * Facts about how real applications register in ZooKeeper 3.8 and read configuration from it:
 * Spring Cloud Zookeeper 4.3 (discovery and config), a Dubbo 3.3.4 provider and a plain
 * curator-x-discovery 5.9 registrant, all in the one application test/interop/zk-registrants
 * starts. Read and written with a raw ZooKeeper client (node-zookeeper-client), no opsdeck code;
 * docs/dev/zookeeper-registry-facts.md has the details.
 */

const APP = 'shop';
const DUBBO_APP = 'shop-dubbo';
const GREETING = 'opsdeck.interop.zk.GreetingService';
const ECHO = 'opsdeck.interop.zk.Api$Echo';

let zk: ZooKeeperServer;
let raw: Client;
let app: ZkRegistrants;

interface Node {
  data: string;
  version: number;
  ephemeral: boolean;
}

/**
 * Calls a node-zookeeper-client function with a callback; its result. A connection lost under
 * load (two JVM applications and the server on two cores) is retried while the client reconnects.
 */
const call = <T>(f: (done: (e: unknown, v: T) => void) => void) => retryLoss(() => new Promise<T>((res, rej) => f((e, v) => (e ? rej(e) : res(v)))));

async function retryLoss<T>(op: () => Promise<T>): Promise<T> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      return await op();
    } catch (e) {
      if (!/CONNECTION_LOSS/.test(String(e)) || Date.now() > until) throw e;
      // A session that expired (the server starved of CPU past the session timeout) never comes
      // back: node-zookeeper-client then fails every call. Such a client is replaced.
      if (expired) await reconnect();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Whether the raw client's session expired (it never recovers from that). */
let expired = false;

async function reconnect(): Promise<void> {
  raw?.close();
  let timer: NodeJS.Timeout | undefined;
  try {
    raw = await Promise.race([rawZkClient(zk.connect), new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error('ZooKeeper did not accept a new session within 10 s')), 10_000)))]);
  } finally {
    clearTimeout(timer);
  }
  expired = false;
  raw.once('expired', () => (expired = true));
}

async function node(path: string): Promise<Node> {
  const [data, stat] = await call<[Buffer | undefined, Stat]>((done) => raw.getData(path, undefined, (e, d, st) => done(e, [d, st])));
  return { data: data ? data.toString('utf8') : '', version: stat.version, ephemeral: stat.ephemeralOwner.toString('hex') !== '0000000000000000' };
}

async function children(path: string): Promise<string[]> {
  return (await call<string[]>((done) => raw.getChildren(path, undefined, done))).sort();
}

async function exists(path: string): Promise<boolean> {
  return (await call<Stat | null>((done) => raw.exists(path, undefined, done))) !== null;
}

async function setData(path: string, data: string, version: number): Promise<void> {
  await call<Stat>((done) => raw.setData(path, Buffer.from(data), version, done));
}

/** Creates a node and its missing parents; the parents get no data (mkdirp would copy `data` into each). */
async function createPath(path: string, data: string): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const parent = `/${parts.slice(0, i).join('/')}`;
    if (!(await exists(parent))) await call<string>((done) => raw.create(parent, null, zookeeper.CreateMode.PERSISTENT, done));
  }
  await call<string>((done) => raw.create(path, Buffer.from(data), zookeeper.CreateMode.PERSISTENT, done));
}

beforeAll(async () => {
  zk = await startZooKeeper();
  await reconnect();
  // Configuration the application reads at start: its profile's context wins over its own, and
  // /config/application applies to every application.
  await createPath(`/config/${APP},dev/opsdeck.greeting`, 'hello-dev');
  await createPath(`/config/${APP}/opsdeck.greeting`, 'hello');
  await createPath(`/config/${APP}/opsdeck.plain`, 'from-app');
  await createPath('/config/application/opsdeck.shared', 'shared-all');
  app = await startZkRegistrants({
    zookeeper: zk.connect,
    app: APP,
    profile: 'dev',
    metadata: { zone: 'z1' },
    dubbo: { application: DUBBO_APP },
    curator: { basePath: '/curator-services', service: 'billing', id: 'billing-1' },
  });
  // The applications take minutes to start on a loaded machine: the tests read with a session of
  // their own age, not one that had to survive that wait.
  await reconnect();
}, 20 * 60_000);

afterAll(async () => {
  await app?.stop();
  raw?.close();
  await zk?.stop();
});

describe('Spring Cloud Zookeeper discovery', () => {
  it('registers /services/{app}/{uuid} as an ephemeral node holding Curator ServiceInstance JSON with instance_status UP', async () => {
    const self = await app.get('/self');
    expect(self.instanceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await children(`/services/${APP}`)).toEqual([self.instanceId]);
    expect((await node('/services')).ephemeral).toBe(false);
    expect((await node(`/services/${APP}`)).ephemeral).toBe(false);
    const n = await node(`/services/${APP}/${self.instanceId}`);
    expect(n.ephemeral).toBe(true);
    const j = JSON.parse(n.data);
    expect(j).toEqual({
      name: APP,
      id: self.instanceId,
      address: '127.0.0.1',
      port: app.port,
      sslPort: null,
      // The payload's id is the application name, not the instance id.
      payload: { '@class': 'org.springframework.cloud.zookeeper.discovery.ZookeeperInstance', id: APP, name: APP, metadata: { zone: 'z1', instance_status: 'UP' } },
      registrationTimeUTC: expect.any(Number),
      serviceType: 'DYNAMIC',
      uriSpec: { parts: expect.any(Array) },
    });
    // Curator's compatible serialization: no `enabled` field.
    expect(j).not.toHaveProperty('enabled');
    expect(j.uriSpec.parts.map((p: any) => p.value).join('')).toBe('scheme://address:port');
  });

  it('a drain written the Spring way (instance_status OUT_OF_SERVICE, setData on the node version) stops load balancing but not discovery, and the app itself does not notice', async () => {
    const id = (await app.get('/self')).instanceId as string;
    const path = `/services/${APP}/${id}`;
    expect((await app.get(`/lb/${APP}`)).map((i: any) => i.instanceId)).toEqual([id]);
    const before = await node(path);
    const j = JSON.parse(before.data);
    j.payload.metadata.instance_status = 'OUT_OF_SERVICE';
    await setData(path, JSON.stringify(j), before.version);
    // A second write on the old version is refused: the compare-and-set a console needs.
    const stale = await setData(path, before.data, before.version).catch((e: unknown) => e);
    expect((stale as { getCode?: () => number }).getCode?.()).toBe(zookeeper.Exception.BAD_VERSION);
    // Spring Cloud LoadBalancer's Zookeeper supplier keeps only instances whose status is UP (or unset).
    const lb = await eventually(() => app.get(`/lb/${APP}`), (v: any[]) => v.length === 0);
    expect(lb).toEqual([]);
    const seen = await app.get(`/seen/${APP}`);
    expect(seen.map((i: any) => [i.instanceId, i.metadata.instance_status])).toEqual([[id, 'OUT_OF_SERVICE']]);
    // ServiceRegistry.getStatus answers from the application's own copy of its registration.
    expect((await app.get('/self')).status).toBe('UP');

    const drained = await node(path);
    j.payload.metadata.instance_status = 'UP';
    await setData(path, JSON.stringify(j), drained.version);
    expect((await eventually(() => app.get(`/lb/${APP}`), (v: any[]) => v.length === 1)).map((i: any) => i.instanceId)).toEqual([id]);
  });
});

describe('Spring Cloud Zookeeper config', () => {
  it('reads /config/{app},{profile}/{key} before /config/{app}/{key}, and /config/application/{key}; node data is the plain value', async () => {
    expect((await app.get('/config?key=opsdeck.greeting')).value).toBe('hello-dev');
    expect((await app.get('/config?key=opsdeck.plain')).value).toBe('from-app');
    expect((await app.get('/config?key=opsdeck.shared')).value).toBe('shared-all');
    expect((await node(`/config/${APP},dev/opsdeck.greeting`)).data).toBe('hello-dev');
    expect((await node(`/config/${APP},dev`)).ephemeral).toBe(false);
  });

  it('picks up a value written with setData on the node version, and a key created later, without a restart', async () => {
    const path = `/config/${APP},dev/opsdeck.greeting`;
    const n = await node(path);
    await setData(path, 'hello-v2', n.version);
    const seen = await eventually(() => app.get('/config?key=opsdeck.greeting'), (v: any) => v.value === 'hello-v2');
    expect(seen.value).toBe('hello-v2');
    await createPath(`/config/${APP},dev/opsdeck.added`, 'new-key');
    const added = await eventually(() => app.get('/config?key=opsdeck.added'), (v: any) => v.value === 'new-key');
    expect(added.value).toBe('new-key');
  });
});

describe('plain curator-x-discovery', () => {
  it('registers {basePath}/{service}/{id}: ephemeral, the payload typed by @class, no enabled field', async () => {
    expect(await children('/curator-services/billing')).toEqual(['billing-1']);
    const n = await node('/curator-services/billing/billing-1');
    expect(n.ephemeral).toBe(true);
    const j = JSON.parse(n.data);
    expect(j).toEqual({
      name: 'billing',
      id: 'billing-1',
      address: '127.0.0.1',
      port: app.port,
      sslPort: null,
      payload: { '@class': 'java.util.LinkedHashMap', zone: 'z1', weight: '3' },
      registrationTimeUTC: expect.any(Number),
      serviceType: 'DYNAMIC',
      uriSpec: { parts: expect.any(Array) },
    });
  });

  it('honours "enabled": false written into the node: the ServiceProvider drops the instance, a query still returns it', async () => {
    const path = '/curator-services/billing/billing-1';
    const n = await node(path);
    await setData(path, JSON.stringify({ ...JSON.parse(n.data), enabled: false }), n.version);
    const seen = await eventually(() => app.get('/curator'), (v: any) => v.provider.length === 0);
    expect(seen.provider).toEqual([]);
    expect(seen.seen['billing-1'].enabled).toBe(false);
    const back = await node(path);
    await setData(path, JSON.stringify({ ...JSON.parse(back.data), enabled: true }), back.version);
    expect((await eventually(() => app.get('/curator'), (v: any) => v.provider.length === 1)).provider).toEqual(['billing-1']);
  });
});

describe('Dubbo 3.3 provider (register mode all)', () => {
  it('registers each interface under /dubbo/{encoded interface}/providers/{encoded URL}, ephemeral; "$" becomes %24', async () => {
    const dubboPort = app.dubboPort!;
    expect(await children('/dubbo')).toEqual(expect.arrayContaining([encodeURIComponent(GREETING), encodeURIComponent(ECHO), 'config', 'mapping', 'metadata']));
    expect(encodeURIComponent(ECHO)).toBe('opsdeck.interop.zk.Api%24Echo');
    for (const iface of [GREETING, ECHO]) {
      const dir = `/dubbo/${encodeURIComponent(iface)}`;
      expect(await children(dir)).toEqual(['configurators', 'providers']);
      expect((await node(`${dir}/configurators`)).ephemeral).toBe(false);
      const [provider] = await children(`${dir}/providers`);
      const n = await node(`${dir}/providers/${provider}`);
      expect(n.ephemeral).toBe(true);
      // The node's data is Curator's default (the client host's address); the facts are in the name.
      expect(n.data).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const url = new URL(decodeURIComponent(provider!));
      expect(url.protocol).toBe('dubbo:');
      expect(url.host).toBe(`${DUBBO_REGISTERED_IP}:${dubboPort}`);
      expect(decodeURIComponent(url.pathname)).toBe(`/${iface}`);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ application: DUBBO_APP, interface: iface, side: 'provider', release: '3.3.4', dynamic: 'true' });
    }
    const greeting = new URL(decodeURIComponent((await children(`/dubbo/${encodeURIComponent(GREETING)}/providers`))[0]!));
    expect(Object.fromEntries(greeting.searchParams)).toMatchObject({ group: 'g1', version: '1.0.0', methods: 'greet' });
    const echo = new URL(decodeURIComponent((await children(`/dubbo/${encodeURIComponent(ECHO)}/providers`))[0]!));
    expect(echo.searchParams.has('group')).toBe(false);
    expect(echo.searchParams.has('version')).toBe(false);
  });

  it('registers the application under /services/{dubbo app}/{ip:port}, beside Spring Cloud, told apart by payload @class', async () => {
    const id = `${DUBBO_REGISTERED_IP}:${app.dubboPort}`;
    expect(await children(`/services/${DUBBO_APP}`)).toEqual([id]);
    const n = await node(`/services/${DUBBO_APP}/${id}`);
    expect(n.ephemeral).toBe(true);
    const j = JSON.parse(n.data);
    expect(j).toMatchObject({ name: DUBBO_APP, id, address: DUBBO_REGISTERED_IP, port: app.dubboPort, sslPort: null, serviceType: 'DYNAMIC', uriSpec: null });
    expect(j.payload['@class']).toBe('org.apache.dubbo.registry.zookeeper.ZookeeperInstance');
    expect(j.payload).toMatchObject({ id, name: DUBBO_APP });
    const md = j.payload.metadata;
    // Structured values are JSON inside strings.
    expect(JSON.parse(md['dubbo.endpoints'])).toEqual([{ port: app.dubboPort, protocol: 'dubbo' }]);
    expect(JSON.parse(md['dubbo.metadata-service.url-params'])).toMatchObject({ protocol: 'dubbo', release: '3.3.4' });
    expect(md['dubbo.metadata.revision']).toMatch(/^[0-9a-f]{32}$/);
    expect(md['dubbo.metadata.storage-type']).toBe('local');
    expect(md).not.toHaveProperty('instance_status');
  });

  it('writes persistent interface-to-application mappings (interface NOT encoded) and service definitions under /dubbo/metadata', async () => {
    expect((await children('/dubbo/mapping')).sort()).toEqual([ECHO, GREETING].sort());
    for (const iface of [GREETING, ECHO]) {
      const m = await node(`/dubbo/mapping/${iface}`);
      expect(m).toMatchObject({ data: DUBBO_APP, ephemeral: false });
    }
    // {interface}/{version}/{group}/provider/{app}; without version and group just {interface}/provider/{app}.
    const withVersion = await node(`/dubbo/metadata/${encodeURIComponent(GREETING)}/1.0.0/g1/provider/${DUBBO_APP}`);
    expect(withVersion.ephemeral).toBe(false);
    expect(JSON.parse(withVersion.data)).toMatchObject({ canonicalName: GREETING, methods: [{ name: 'greet', parameterTypes: ['java.lang.String'] }] });
    const plain = JSON.parse((await node(`/dubbo/metadata/${encodeURIComponent(ECHO)}/provider/${DUBBO_APP}`)).data);
    expect(plain.parameters).toMatchObject({ interface: ECHO, application: DUBBO_APP });
    expect(await children('/dubbo/config')).toEqual(expect.arrayContaining(['dubbo']));
  });
});

describe('when the application dies', () => {
  it('its ephemeral nodes stay until its sessions expire (4 s here), then go; the per-service parents are container nodes and go too', { timeout: 60_000 }, async () => {
    const id = (await app.get('/self')).instanceId as string;
    const providers = [GREETING, ECHO].map((iface) => `/dubbo/${encodeURIComponent(iface)}/providers`);
    // Created by Curator's creatingParentContainersIfNeeded: ZooKeeper deletes them once empty (its
    // container check runs every second in these tests, every 60 s by default). A client cannot
    // tell a container from a persistent node: its stat shows ephemeralOwner 0 for both.
    const containers = [`/services/${APP}`, `/services/${DUBBO_APP}`, '/curator-services/billing'];
    for (const c of containers) expect((await node(c)).ephemeral).toBe(false);
    await app.crash();
    expect(await exists(`/services/${APP}/${id}`)).toBe(true);
    const state = () => Promise.all([...containers.map(exists), ...providers.map(async (p) => (await children(p)).length)]);
    const after = await eventually(state, (v) => v.every((x) => x === false || x === 0), 30_000);
    expect(after).toEqual([false, false, false, 0, 0]);
    // Dubbo creates its parents as plain persistent nodes: they stay, empty.
    for (const p of providers) expect(await exists(p)).toBe(true);
    expect(await exists(`/dubbo/mapping/${GREETING}`)).toBe(true);
    expect(await exists(`/dubbo/${encodeURIComponent(GREETING)}/configurators`)).toBe(true);
  });
});
