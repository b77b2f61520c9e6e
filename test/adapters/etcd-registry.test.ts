import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryBackend } from '../../src/core/registry.js';
import { OpsError } from '../../src/core/errors.js';
import { startEtcd, type EtcdServer } from '../servers/etcd-server.js';
import { etcdAdapter, EtcdRaw } from './etcd-support.js';

/**
 * The etcd registry against a real etcd 3.4, with registrations written the way go-micro, Kratos and
 * go-zero write them (the values in test/fixtures/etcd/, whose origins its README gives), each on a
 * lease of the framework's default TTL, by raw HTTP as the apps would.
 */
const FIXTURES = join(__dirname, '../fixtures/etcd');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

let server: EtcdServer;
let raw: EtcdRaw;
let a: Awaited<ReturnType<typeof etcdAdapter>>;
let registry: RegistryBackend;
const leases: Record<string, string> = {};
let keepAlive: NodeJS.Timeout | undefined;

beforeAll(async () => {
  server = await startEtcd();
  raw = new EtcdRaw(server);
  a = await etcdAdapter(server, { prefixes: { '/micro/registry/': 'go-micro', '/microservices/': 'kratos', 'zero/': 'go-zero' } });
  registry = a.registry!;
  // go-micro: RegisterTTL 90 s; Kratos: 15 s; go-zero: TimeToLive 10 s.
  leases.micro = await raw.grant(90);
  leases.kratos = await raw.grant(15);
  leases.zero = await raw.grant(10);
  // The apps keep their leases alive; so does this test, or a slow run would see them expire.
  keepAlive = setInterval(() => {
    for (const id of Object.values(leases)) void raw.call('/v3/lease/keepalive', { ID: id }).catch(() => undefined);
  }, 2000);
  const micro = JSON.parse(fixture('go-micro-node.json')) as { nodes: Array<{ id: string }> };
  await raw.put(`/micro/registry/greeter/${micro.nodes[0]!.id}`, fixture('go-micro-node.json'), leases.micro);
  const kratos = JSON.parse(fixture('kratos-instance.json')) as { id: string };
  await raw.put(`/microservices/helloworld/${kratos.id}`, fixture('kratos-instance.json'), leases.kratos);
  await raw.put(`zero/product.rpc/${leases.zero}`, fixture('go-zero-value.txt'), leases.zero);
  // Kratos' shape under go-micro's prefix (a service moved frameworks): the value decides the layout.
  await raw.put('/micro/registry/moved/k1', JSON.stringify({ id: 'k1', name: 'moved', version: '', metadata: {}, endpoints: ['grpc://10.1.0.10:9000'] }), leases.kratos);
  await raw.put('/micro/registry/junk/x', 'not a registration');
});
afterAll(async () => {
  clearInterval(keepAlive);
  await a?.cleanup();
  await server?.stop();
});

describe('etcd registry layouts', () => {
  it('lists each service with the layout its values show, and warns about keys of no known layout', async () => {
    const warnings: string[] = [];
    const listed = await registry.listServices({ scope: {} }, { onWarning: (w) => warnings.push(w) });
    expect(listed.map((s) => [s.prefix, s.name, s.layout, s.instances, s.healthy])).toEqual([
      ['/micro/registry/', 'greeter', 'go-micro', 1, 1],
      ['/microservices/', 'helloworld', 'kratos', 1, 1],
      ['/micro/registry/', 'moved', 'kratos', 1, 1],
      ['zero/', 'product.rpc', 'go-zero', 1, 1],
    ]);
    expect(warnings).toEqual(['1 key(s) under "/micro/registry/" are no registration of a known layout and were left out']);
  });

  it('a go-micro node: address, node metadata, version, and the lease as its heartbeat', async () => {
    const d = await registry.getService({ scope: {}, name: 'greeter' });
    expect(d).toMatchObject({ prefix: '/micro/registry/', layout: 'go-micro' });
    const i = d.instances[0]!;
    expect(i).toMatchObject({ id: 'greeter-5f1c2d4e-8b0a-4c3e-9f7a-0d2b6e1a9c33', ip: '10.1.0.7', port: 41235, ephemeral: true, health: 'passing', tags: ['version=1.2.0'] });
    expect(i.metadata).toMatchObject({ zone: 'eu-1', registry: 'etcd' });
    expect(i.lease!.durationMs).toBe(90_000);
    const left = Date.parse(i.lease!.expiresAt!) - Date.now();
    expect(left).toBeGreaterThan(60_000);
    expect(left).toBeLessThanOrEqual(91_000);
  });

  it('a Kratos instance: the first endpoint is the address, each scheme a url', async () => {
    const i = (await registry.getService({ scope: { prefix: '/microservices/' }, name: 'helloworld' })).instances[0]!;
    expect(i).toMatchObject({ id: '8c6f0a2e-3d41-4b7e-a1c9-52e7f0b4d6a8', ip: '10.1.0.8', port: 8000, urls: { http: 'http://10.1.0.8:8000', grpc: 'grpc://10.1.0.8:9000' }, metadata: { region: 'eu', zone: 'eu-1a' } });
    expect(i.lease!.durationMs).toBe(15_000);
  });

  it('a go-zero registration: the value is host:port and the id is the lease', async () => {
    const i = (await registry.getService({ scope: {}, name: 'product.rpc' })).instances[0]!;
    expect(i).toMatchObject({ id: leases.zero, ip: '10.1.0.9', port: 8080, metadata: {}, ephemeral: true });
    expect(i.lease!.durationMs).toBe(10_000);
  });

  it('has no drain and no weights: none of these layouts has a status or weight field', async () => {
    expect(registry.setTraffic).toBeUndefined();
    expect(registry.setWeight).toBeUndefined();
  });

  it('metadata is rewritten in place on the same lease; go-zero has none to change', async () => {
    const before = await raw.get('/microservices/helloworld/8c6f0a2e-3d41-4b7e-a1c9-52e7f0b4d6a8');
    await registry.updateMetadata!({ scope: {}, name: 'helloworld' }, '10.1.0.8:8000', { set: { canary: 'true' }, remove: ['zone'] });
    const after = await raw.get('/microservices/helloworld/8c6f0a2e-3d41-4b7e-a1c9-52e7f0b4d6a8');
    expect(after!.lease).toBe(before!.lease);
    expect(JSON.parse(after!.value)).toMatchObject({ metadata: { region: 'eu', canary: 'true' }, endpoints: ['http://10.1.0.8:8000', 'grpc://10.1.0.8:9000'] });
    expect(JSON.parse(after!.value).metadata.zone).toBeUndefined();
    const err = await registry.updateMetadata!({ scope: {}, name: 'product.rpc' }, leases.zero!, { set: { a: '1' }, remove: [] }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('unsupported');
  });

  it('deregister deletes the key and warns that the app holding the lease may register again', async () => {
    const lease = await raw.grant(30);
    await raw.put('/microservices/gone/g1', JSON.stringify({ id: 'g1', name: 'gone', version: '', metadata: {}, endpoints: ['http://10.1.0.11:80'] }), lease);
    const shown = (await registry.getService({ scope: {}, name: 'gone' })).instances[0]!;
    expect(registry.deregisterWarning!(shown)).toMatch(/lease/);
    const note = await registry.deregister!({ scope: {}, name: 'gone' }, 'g1');
    expect(note && note.warnings?.[0]).toContain(BigInt(lease).toString(16));
    expect(await raw.get('/microservices/gone/g1')).toBeNull();
  });

  it('an unknown prefix is a usage error naming the prefixes it has', async () => {
    const err = await registry.getService({ scope: { prefix: '/nope/' }, name: 'x' }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('usage');
    expect((err as OpsError).message).toContain('/nope/');
  });
});

describe('etcd registry push (changes)', () => {
  /** Iterates a feed, counting its yields, until aborted. */
  function follow(target: { scope: Record<string, string>; service?: string }) {
    const ac = new AbortController();
    const state = { yields: 0, error: null as unknown };
    const done = (async () => {
      try {
        for await (const _ of registry.changes!(target, ac.signal)) state.yields++;
      } catch (e) {
        state.error = e;
      }
    })();
    return { state, stop: async () => (ac.abort(), await done) };
  }
  /** The watch is created by the feed's first read; wait until etcd has it before changing anything. */
  const armed = () => new Promise((r) => setTimeout(r, 1000));
  const kratos = (name: string, id: string, port: number) => JSON.stringify({ id, name, version: '', metadata: {}, endpoints: [`http://10.2.0.1:${port}`] });

  it("a service's pane wakes on a new instance and on its lease being revoked, not on another service", async () => {
    const lease = await raw.grant(60);
    const f = follow({ scope: {}, service: 'pushed' });
    await armed();
    await raw.put('/microservices/other/o1', kratos('other', 'o1', 81));
    await new Promise((r) => setTimeout(r, 1000));
    expect(f.state.yields).toBe(0);
    await raw.put('/microservices/pushed/p1', kratos('pushed', 'p1', 82), lease);
    await expect.poll(() => f.state.yields, { timeout: 10_000 }).toBe(1);
    expect((await registry.getService({ scope: {}, name: 'pushed' })).instances.map((i) => i.id)).toEqual(['p1']);
    // An app that dies stops its keep-alives; revoking is the same end, sooner: its keys go.
    await raw.revoke(lease);
    await expect.poll(() => f.state.yields, { timeout: 10_000 }).toBe(2);
    await f.stop();
    expect(f.state.error).toBeNull();
    await raw.del('/microservices/other/o1');
  });

  it('the listing wakes on a service appearing under any prefix, once for a transaction', async () => {
    const f = follow({ scope: {} });
    await armed();
    await raw.put('zero/late.rpc/7', '10.3.0.1:9000');
    await expect.poll(() => f.state.yields, { timeout: 10_000 }).toBe(1);
    await raw.call('/v3/kv/txn', {
      success: [
        { request_put: { key: Buffer.from('/micro/registry/batch/b1').toString('base64'), value: Buffer.from('x').toString('base64') } },
        { request_put: { key: Buffer.from('/micro/registry/batch/b2').toString('base64'), value: Buffer.from('y').toString('base64') } },
      ],
    });
    await expect.poll(() => f.state.yields, { timeout: 10_000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(f.state.yields).toBe(2);
    await f.stop();
    expect(f.state.error).toBeNull();
    for (const k of ['zero/late.rpc/7', '/micro/registry/batch/b1', '/micro/registry/batch/b2']) await raw.del(k);
  });

  it('a prefix the profile does not have fails the feed with a usage error', async () => {
    const f = follow({ scope: { prefix: '/nope/' } });
    await f.stop();
    expect((f.state.error as OpsError).kind).toBe('usage');
  });
});
