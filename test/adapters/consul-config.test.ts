import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsulAdapter } from '../../src/adapters/consul/index.js';
import type { ConfigEvent, ConfigRef } from '../../src/core/config-center.js';
import { exitCodeOf } from '../../src/core/errors.js';
import type { ConsulFake } from '../servers/consul-fake.js';
import { seedConsulScenario, type ConsulScenario } from '../servers/consul-fake/scenario.js';
import { adapterOn, failure, OPERATOR, READER, requestsSince, startAclFake, waitUntil } from './consul-support.js';

/**
 * Consul KV as a config centre against the Consul FAKE (test/servers/consul-fake.ts; no Consul
 * server can run on this machine). The fixtures' keys: config/ (a folder), config/billing/data,
 * config/web/feature.flags (flags 42), config/web/timeout. What opsdeck wrote is checked in the
 * fake's KV (its state API), not read back through the adapter.
 */

let fake: ConsulFake;
let scenario: ConsulScenario;
let a: ConsulAdapter;
const key = (dataId: string, datacenter = 'dc1'): ConfigRef => ({ scope: { datacenter }, dataId });
const stored = (k: string, dc = 'dc1') => fake.dc(dc).kv.get(k);
const md5 = (t: string) => createHash('md5').update(t).digest('hex');

beforeEach(async () => {
  fake = await startAclFake();
  scenario = await seedConsulScenario(fake, OPERATOR);
  a = adapterOn(fake, { prefix: 'config/' });
});

afterEach(async () => {
  await a?.dispose();
  await fake?.stop();
  await scenario?.close();
});

describe('get and list', () => {
  it('a key reads back with its content, type from its extension, md5, and its ModifyIndex as the token', async () => {
    const item = await a.config.get(key('config/web/feature.flags'));
    expect(item).toEqual({
      backend: 'consul-test',
      datacenter: 'dc1',
      dataId: 'config/web/feature.flags',
      content: '{"checkout-v2":true}',
      type: 'text',
      token: String(stored('config/web/feature.flags')!.ModifyIndex),
      md5: md5('{"checkout-v2":true}'),
      version: null,
      updatedAt: null,
    });
    expect(a.config.tokenName).toBe('ModifyIndex');
    // Spring's "data" keys hold YAML: defaultType says so.
    const spring = adapterOn(fake, { prefix: 'config/', defaultType: 'yaml' });
    expect((await spring.config.get(key('config/billing/data'))).type).toBe('yaml');
    await spring.dispose();
  });

  it('lists the keys under the prefix in every datacenter, without folders, filtered by text or a * pattern', async () => {
    await fetch(`${fake.url}/v1/kv/config/dc2.yaml?dc=dc2`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: 'a: 1' });
    await fetch(`${fake.url}/v1/kv/other/outside`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: 'x' });
    const all = await a.config.list({ scope: {} });
    expect(all.map((c) => `${c.datacenter}:${c.dataId}:${c.type}`)).toEqual(['dc1:config/billing/data:text', 'dc1:config/web/feature.flags:text', 'dc1:config/web/timeout:text', 'dc2:config/dc2.yaml:yaml']);
    expect(all[2]!.md5).toBe(md5('30s'));
    expect((await a.config.list({ scope: { datacenter: 'dc1' }, text: 'WEB/' })).map((c) => c.dataId)).toEqual(['config/web/feature.flags', 'config/web/timeout']);
    expect((await a.config.list({ scope: {}, text: 'config/*/data' })).map((c) => c.dataId)).toEqual(['config/billing/data']);
  });

  it('a key outside the prefix is refused; an absent one is not-found naming it', async () => {
    expect((await failure(a.config.get(key('other/x')))).kind).toBe('usage');
    const e = await failure(a.config.get(key('config/nope')));
    expect([e.kind, e.message]).toEqual(['not-found', expect.stringContaining('key config/nope not found in datacenter dc1')]);
  });

  it('a value that is not UTF-8 is refused rather than shown mangled', async () => {
    await fetch(`${fake.url}/v1/kv/config/blob`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: new Uint8Array([0xff, 0xfe, 0x00, 0x41]) });
    const e = await failure(a.config.get(key('config/blob')));
    expect([e.kind, e.message]).toEqual(['unsupported', expect.stringContaining('not UTF-8')]);
  });

  it('a listing the token may read only in part says so (Consul filters lists by ACLs)', async () => {
    await fetch(`${fake.url}/v1/kv/secret/x`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: 'x' });
    const reader = adapterOn(fake, { token: READER });
    const notes: string[] = [];
    const rows = await reader.config.list({ scope: { datacenter: 'dc1' } }, { onIncomplete: (why, stop) => notes.push(`${stop}: ${why}`) });
    expect(rows.map((r) => r.dataId)).toEqual(['config/billing/data', 'config/web/feature.flags', 'config/web/timeout']);
    expect(notes).toEqual([expect.stringMatching(/^unauthorized: Consul left keys of datacenter dc1 out/)]);
    await reader.dispose();
  });
});

describe('compare-and-set on ModifyIndex', () => {
  it('--if-match with the current token writes; a stale one is a conflict and the value stays', async () => {
    const cur = await a.config.get(key('config/web/timeout'));
    const set = await a.config.set!(key('config/web/timeout'), '45s', 'text', { ifMatch: cur.token });
    expect(stored('config/web/timeout')!.Value!.toString()).toBe('45s');
    expect(set.token).toBe(String(stored('config/web/timeout')!.ModifyIndex));
    const from = fake.requests.length;
    const e = await failure(a.config.set!(key('config/web/timeout'), '60s', 'text', { ifMatch: cur.token }));
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['conflict', 1]);
    expect(e.message).toContain(`has ModifyIndex ${set.token} now, not ${cur.token}`);
    expect(stored('config/web/timeout')!.Value!.toString()).toBe('45s');
    expect(requestsSince(fake, from, 'PUT', /^\/v1\/kv\//)).toEqual([]);
  });

  it('the cas goes to Consul, so a write between opsdeck\'s read and its write loses', async () => {
    const cur = await a.config.get(key('config/web/timeout'));
    // Another writer slips in between opsdeck's read and its PUT: the fake applies it as the PUT arrives.
    const dc = fake.dc('dc1');
    const orig = dc.kv.get.bind(dc.kv);
    let raced = false;
    dc.kv.get = (k: string) => {
      if (!raced && k === 'config/web/timeout' && fake.requests.at(-1)?.method === 'PUT') {
        raced = true;
        dc.write((idx) => dc.kv.set(k, { ...orig(k)!, Value: Buffer.from('99s'), ModifyIndex: idx }));
      }
      return orig(k);
    };
    const e = await failure(a.config.set!(key('config/web/timeout'), '45s', 'text', { ifMatch: cur.token }));
    dc.kv.get = orig;
    expect(raced).toBe(true);
    expect(e.kind).toBe('conflict');
    expect(stored('config/web/timeout')!.Value!.toString()).toBe('99s');
    const [put] = requestsSince(fake, 0, 'PUT', '/v1/kv/config/web/timeout').slice(-1);
    expect(put!.query.cas).toEqual([cur.token]);
  });

  it('--if-match 0 creates a key only if it is absent', async () => {
    const created = await a.config.set!(key('config/new.yaml'), 'a: 1\n', 'yaml', { ifMatch: '0' });
    expect(created).toMatchObject({ dataId: 'config/new.yaml', content: 'a: 1\n', type: 'yaml' });
    expect(stored('config/new.yaml')!.Value!.toString()).toBe('a: 1\n');
    const e = await failure(a.config.set!(key('config/new.yaml'), 'a: 2\n', 'yaml', { ifMatch: '0' }));
    expect([e.kind, e.message]).toEqual(['conflict', expect.stringContaining('exists already')]);
    expect(stored('config/new.yaml')!.Value!.toString()).toBe('a: 1\n');
  });

  it('a token that is not a whole number is a usage error before anything is sent', async () => {
    expect((await failure(a.config.set!(key('config/web/timeout'), 'x', 'text', { ifMatch: 'abc' }))).kind).toBe('usage');
  });

  it("a write keeps the key's flags (a plain PUT would reset them to 0)", async () => {
    expect(stored('config/web/feature.flags')!.Flags).toBe(42);
    await a.config.set!(key('config/web/feature.flags'), '{"checkout-v2":false}', 'json', {});
    expect(stored('config/web/feature.flags')).toMatchObject({ Flags: 42 });
    expect(stored('config/web/feature.flags')!.Value!.toString()).toBe('{"checkout-v2":false}');
  });

  it('delete is a cas on the token: a stale one is a conflict, the current one deletes, 0 is refused', async () => {
    const cur = await a.config.get(key('config/web/timeout'));
    expect((await failure(a.config.delete!(key('config/web/timeout'), { ifMatch: '0' }))).kind).toBe('usage');
    expect((await failure(a.config.delete!(key('config/web/timeout'), { ifMatch: String(Number(cur.token) - 1) }))).kind).toBe('conflict');
    expect(stored('config/web/timeout')).toBeDefined();
    await a.config.delete!(key('config/web/timeout'), { ifMatch: cur.token });
    expect(stored('config/web/timeout')).toBeUndefined();
    expect((await failure(a.config.delete!(key('config/web/timeout'), { ifMatch: cur.token }))).kind).toBe('not-found');
  });

  it('Consul KV keeps no history: the backend has no history, versionContent, listeners or beta', () => {
    for (const m of ['history', 'versionContent', 'listeners', 'publishBeta', 'getBeta', 'stopBeta'] as const) expect(a.config[m]).toBeUndefined();
  });
});

describe('watch with blocking queries', () => {
  async function collect(ref: ConfigRef, until: (seen: ConfigEvent[]) => boolean, act: () => Promise<void>): Promise<ConfigEvent[]> {
    const ac = new AbortController();
    const seen: ConfigEvent[] = [];
    const done = (async () => {
      for await (const e of a.config.watch!(ref, ac.signal)) {
        seen.push(e);
        if (until(seen)) ac.abort();
      }
    })();
    await waitUntil(() => fake.parked() > 0);
    await act();
    const timer = setTimeout(() => ac.abort(), 10_000);
    await done;
    clearTimeout(timer);
    return seen;
  }

  it('reports a write, then a delete, each once, as blocking reads (index and wait) on the key', async () => {
    const from = fake.requests.length;
    const seen = await collect(key('config/web/timeout'), (s) => s.length >= 2, async () => {
      await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: '50s' });
      await waitUntil(() => fake.parked() > 0);
      // A write elsewhere wakes nothing for this key.
      await fetch(`${fake.url}/v1/kv/config/web/other`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: '1' });
      await waitUntil(() => fake.parked() > 0);
      await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'DELETE', headers: { 'X-Consul-Token': OPERATOR } });
    });
    expect(seen.map((e) => [e.op, e.content, e.datacenter])).toEqual([
      ['update', '50s', 'dc1'],
      ['delete', null, 'dc1'],
    ]);
    const reads = requestsSince(fake, from, 'GET', '/v1/kv/config/web/timeout');
    expect(reads[0]!.query.index).toBeUndefined();
    expect(reads.slice(1).every((r) => Number(r.query.index?.[0]) > 0 && r.query.wait?.[0] === '300s')).toBe(true);
  });

  it('a snapshot restore sends the index backwards: the watch starts over and reports the restored value, then later writes', async () => {
    const snap = fake.snapshot();
    await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: '70s' });
    const from = fake.requests.length;
    const seen = await collect(key('config/web/timeout'), (s) => s.length >= 2, async () => {
      fake.restore(snap);
      await waitUntil(() => requestsSince(fake, from, 'GET', '/v1/kv/config/web/timeout').length >= 3 && fake.parked() > 0);
      await fetch(`${fake.url}/v1/kv/config/web/timeout`, { method: 'PUT', headers: { 'X-Consul-Token': OPERATOR }, body: '80s' });
    });
    expect(seen.map((e) => [e.op, e.content])).toEqual([
      ['update', '30s'],
      ['update', '80s'],
    ]);
    const reads = requestsSince(fake, from, 'GET', '/v1/kv/config/web/timeout');
    // After the lower index came back, the next read is a plain one (no index), as Consul asks.
    const plain = reads.findIndex((r, i) => i > 0 && r.query.index === undefined);
    expect(plain).toBeGreaterThan(0);
  });
});
