import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NacosAdapter } from '../../src/adapters/nacos/index.js';
import { contentAfter, type ConfigEvent, type ConfigRef } from '../../src/core/config-center.js';
import { exitCodeOf } from '../../src/core/errors.js';
import { CONFIG_TYPES } from '../../src/core/types.js';
import { NACOS_VERSIONS, type NacosEndpoint } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';
import { startRecordingProxy } from '../servers/recording-proxy.js';
import { adapterFor, closeAdapters, eventually, failure, isV3, raw, rawConfig } from './nacos-support.js';

/**
 * The Nacos config backend against real Nacos 2.3.2, 2.5.1 and 3.0.3 (auth on), each version in a
 * namespace of its own. Contents are checked by reading the server directly (`rawConfig`), and
 * publishes made "by someone else" go straight to the server.
 */

beforeAll(() => {
  for (const v of NACOS_VERSIONS) sharedNacos(v).catch(() => {});
});
afterAll(() => closeAdapters());

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

describe.each(NACOS_VERSIONS)('Nacos %s config', (version) => {
  let s: NacosEndpoint;
  let token: string;
  let ns: string;
  let a: NacosAdapter;
  const ref = (dataId: string, group = 'G'): ConfigRef => ({ scope: { namespace: ns, group }, dataId });

  beforeAll(async () => {
    s = await sharedNacos(version);
    token = await nacosToken(s);
    ns = await nacosNamespace(s, token, 'config');
    a = await adapterFor(s, { pollIntervalMs: 300 });
  }, 25 * 60_000);

  /** A publish by someone else, straight to the server. */
  const publishRaw = async (dataId: string, content: string, extra: Record<string, string> = {}, group = 'G') => {
    const form = isV3(s) ? { dataId, groupName: group, namespaceId: ns, content, ...extra } : { dataId, group, tenant: ns, content, ...extra };
    const r = await raw(s, token, 'POST', isV3(s) ? '/v3/admin/cs/config' : '/v1/cs/configs', form);
    expect(r.status).toBe(200);
  };
  const detailRaw = async (dataId: string): Promise<Record<string, unknown>> => {
    const r = isV3(s) ? await raw(s, token, 'GET', '/v3/admin/cs/config', { dataId, groupName: 'G', namespaceId: ns }) : await raw(s, token, 'GET', '/v1/cs/configs', { dataId, group: 'G', tenant: ns, show: 'all' });
    const body = JSON.parse(r.text) as Record<string, unknown>;
    return (isV3(s) ? body.data : body) as Record<string, unknown>;
  };

  it('publishes and reads a config: content, type, and its md5 as the compare-and-set token', async () => {
    const item = await a.config.set!(ref('app.yaml'), 'a: 1\n', 'yaml', {});
    expect(item).toMatchObject({ backend: 'nacos-test', namespace: ns, group: 'G', dataId: 'app.yaml', content: 'a: 1\n', type: 'yaml', md5: md5('a: 1\n'), token: md5('a: 1\n'), version: null });
    expect(item.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await rawConfig(s, token, ns, 'G', 'app.yaml')).toBe('a: 1\n');
    expect(await a.config.get(ref('app.yaml'))).toEqual(item);
    expect(a.config.tokenName).toBe('md5');
  });

  it('reads a config right after someone publishes it (no 404 window: it reads the database, not the dump cache)', async () => {
    for (let i = 0; i < 5; i++) {
      await publishRaw(`fresh-${i}.txt`, `fresh ${i}`);
      expect((await a.config.get(ref(`fresh-${i}.txt`))).content).toBe(`fresh ${i}`);
    }
  });

  it('compare-and-set: a stale md5 is refused before anything is sent, and the content stays', async () => {
    const first = await a.config.set!(ref('cas.yaml'), 'v: 1', 'yaml', {});
    await publishRaw('cas.yaml', 'v: 2', { type: 'yaml' });
    const e = await failure(a.config.set!(ref('cas.yaml'), 'v: 3', 'yaml', { ifMatch: first.token }));
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['conflict', 1]);
    expect(e.message).toBe(`config cas.yaml (namespace ${ns}, group G) changed: its md5 is now ${md5('v: 2')}`);
    expect(e.details).toEqual({ current: md5('v: 2') });
    expect(await rawConfig(s, token, ns, 'G', 'cas.yaml')).toBe('v: 2');
    const ok = await a.config.set!(ref('cas.yaml'), 'v: 3', 'yaml', { ifMatch: md5('v: 2') });
    expect(ok.content).toBe('v: 3');
    expect(await rawConfig(s, token, ns, 'G', 'cas.yaml')).toBe('v: 3');
  });

  it('compare-and-set: a change that lands between opsdeck\'s read and its publish is refused by the server (casMd5 header)', async () => {
    const proxy = await startRecordingProxy(new URL(s.url).origin);
    try {
      const b = await adapterFor({ ...s, url: `${proxy.url}${new URL(s.url).pathname}` });
      const start = await b.config.set!(ref('race.yaml'), 'r: 1', 'yaml', {});
      // Someone else publishes just before opsdeck's publish reaches the server.
      proxy.rewrite = async (method, url) => {
        if (method === 'POST' && /\/cs\/config/.test(url)) {
          proxy.rewrite = null;
          await publishRaw('race.yaml', 'r: other', { type: 'yaml' });
        }
      };
      const e = await failure(b.config.set!(ref('race.yaml'), 'r: 2', 'yaml', { ifMatch: start.token }));
      expect(e.kind).toBe('conflict');
      expect(e.details).toEqual({ current: md5('r: other') });
      const publish = [...proxy.log].reverse().find((x) => x.method === 'POST' && /\/cs\/config/.test(x.url))!;
      expect(publish.status).toBe(500);
      expect(publish.headers.casmd5).toBe(start.token);
      expect(new URLSearchParams(publish.body).get('casMd5')).toBeNull();
      expect(await rawConfig(s, token, ns, 'G', 'race.yaml')).toBe('r: other');
    } finally {
      proxy.rewrite = null;
      await proxy.stop();
    }
  });

  it('compare-and-set on an absent config is a conflict and creates nothing (Nacos would create it)', async () => {
    const e = await failure(a.config.set!(ref('absent.yaml'), 'x: 1', 'yaml', { ifMatch: md5('anything') }));
    expect(e.kind).toBe('conflict');
    expect(e.message).toContain('does not exist');
    expect(await rawConfig(s, token, ns, 'G', 'absent.yaml')).toBeNull();
  });

  it('deletes a config; an absent one is not found; a delete whose md5 is stale is a conflict and deletes nothing', async () => {
    const item = await a.config.set!(ref('gone.txt'), 'bye', 'text', {});
    const stale = await failure(a.config.delete!(ref('gone.txt'), { ifMatch: md5('hello') }));
    expect(stale.kind).toBe('conflict');
    expect(stale.message).toContain(`its md5 is now ${item.md5}`);
    expect(await rawConfig(s, token, ns, 'G', 'gone.txt')).toBe('bye');
    await a.config.delete!(ref('gone.txt'), { ifMatch: item.token });
    expect(await rawConfig(s, token, ns, 'G', 'gone.txt')).toBeNull();
    const again = await failure(a.config.delete!(ref('gone.txt'), {}));
    expect(again.kind).toBe('not-found');
    const get = await failure(a.config.get(ref('gone.txt')));
    expect(get.message).toBe(`config gone.txt (namespace ${ns}, group G) not found on Nacos at ${s.url}`);
  });

  it('a write whose signal has aborted (Ctrl-C) sends nothing: cancelled, and the config centre is untouched', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await failure(a.config.set!(ref('aborted.yaml'), 'x: 1', 'yaml', { signal: ac.signal }));
    expect(e.kind).toBe('failed');
    expect(e.message).toContain('was cancelled');
    expect(await rawConfig(s, token, ns, 'G', 'aborted.yaml')).toBeNull();
    await a.config.set!(ref('aborted.yaml'), 'x: 1', 'yaml', {});
    expect((await failure(a.config.delete!(ref('aborted.yaml'), { signal: ac.signal }))).message).toContain('was cancelled');
    expect(await rawConfig(s, token, ns, 'G', 'aborted.yaml')).toBe('x: 1');
  });

  it.each(CONFIG_TYPES)('publishes and reads type %s as Nacos stores it, and reads one published by someone else', async (type) => {
    const item = await a.config.set!(ref(`typed-${type}`), `content of ${type}`, type, {});
    expect(item.type).toBe(type);
    expect(await detailRaw(`typed-${type}`)).toMatchObject({ type });
    await publishRaw(`raw-typed-${type}`, 'x', { type });
    expect((await a.config.get(ref(`raw-typed-${type}`))).type).toBe(type);
  });

  it('a type word outside Nacos\' set is stored as text; a republish keeps the description', async () => {
    await publishRaw('page.custom', '<a/>', { type: 'custom-word', desc: 'the page' });
    expect(await detailRaw('page.custom')).toMatchObject({ type: 'text' });
    await publishRaw('page.xml', '<a/>', { type: 'xml', desc: 'the page' });
    const item = await a.config.set!(ref('page.xml'), '<b/>', 'xml', {});
    expect(item.type).toBe('xml');
    expect(await detailRaw('page.xml')).toMatchObject({ content: '<b/>', type: 'xml', desc: 'the page' });
  });

  it('lists and searches: a word anywhere in the id, a * pattern, a group, all namespaces', async () => {
    const space = await nacosNamespace(s, token, 'config-list');
    const b = await adapterFor(s, { pageSize: 2 });
    for (const [id, group, type] of [['shop.yaml', 'G', 'yaml'], ['shop-db.properties', 'G', 'properties'], ['other.json', 'G', 'json'], ['shop.yaml', 'G2', 'yaml']] as const) {
      await b.config.set!({ scope: { namespace: space, group }, dataId: id }, `${id} in ${group}`, type, {});
    }
    const ids = (rows: Array<{ dataId: string; group?: string }>) => rows.map((r) => `${r.group}/${r.dataId}`).sort();
    expect(ids(await b.config.list({ scope: { namespace: space }, text: 'shop' }))).toEqual(['G/shop-db.properties', 'G/shop.yaml', 'G2/shop.yaml']);
    expect(ids(await b.config.list({ scope: { namespace: space }, text: '*.yaml' }))).toEqual(['G/shop.yaml', 'G2/shop.yaml']);
    expect(ids(await b.config.list({ scope: { namespace: space, group: 'G2' } }))).toEqual(['G2/shop.yaml']);
    const all = await b.config.list({ scope: { namespace: space } });
    expect(all).toContainEqual({ backend: 'nacos-test', namespace: space, group: 'G', dataId: 'other.json', type: version === '2.3.2' ? null : 'json', md5: md5('other.json in G'), version: null, updatedAt: null });
    const everywhere = await b.config.list({ scope: {}, text: 'shop-db' });
    expect(everywhere.filter((r) => r.namespace === space).map((r) => r.dataId)).toEqual(['shop-db.properties']);
    const why: string[] = [];
    expect(await b.config.list({ scope: { namespace: space } }, { onIncomplete: (w) => why.push(w) })).toHaveLength(4);
    const bounded = await adapterFor(s, { pageSize: 2, maxConfigs: 3 });
    expect(await bounded.config.list({ scope: { namespace: space } }, { onIncomplete: (w) => why.push(w) })).toHaveLength(3);
    expect(why).toEqual(['listed the first 3 configs only (maxConfigs in the profile)']);
  });

  it('history: one row per change, newest first; create rows hold the content after, update and delete rows the content before', async () => {
    const r = ref('hist.yaml');
    const published: string[] = [];
    for (const v of ['v1', 'v2', 'v3']) {
      await a.config.set!(r, v, 'yaml', {});
      published.push(v);
    }
    // A beta release in between: not part of the released history.
    await a.config.publishBeta!(r, 'beta', 'yaml', ['10.9.9.9']);
    await a.config.stopBeta!(r);
    await a.config.delete!(r, {});
    await a.config.set!(r, 'w1', 'yaml', {});
    const { entries: h, complete, incomplete } = await a.config.history!(r);
    expect({ complete, incomplete }).toEqual({ complete: true, incomplete: null });
    expect(h.map((v) => [v.op, v.contentIs])).toEqual([
      ['create', 'after'],
      ['delete', 'before'],
      ['update', 'before'],
      ['update', 'before'],
      ['create', 'after'],
    ]);
    expect(h.every((v) => v.by === s.username && v.from === '127.0.0.1' && v.version === null && /^\d{4}-/.test(v.at ?? ''))).toBe(true);
    const held = await Promise.all(h.map((v) => a.config.versionContent!(r, v.id)));
    expect(held).toEqual(['w1', 'v3', 'v2', 'v1', 'v1']);
    // What the config held right after each change, as diffs and rollbacks read it.
    const after = await Promise.all(h.map((v) => contentAfter(h, v, (id) => a.config.versionContent!(r, id), async () => (await a.config.get(r)).content)));
    expect(after).toEqual(['w1', null, 'v3', 'v2', 'v1']);
    // Cut at maxHistory: the newest entries, and the history says it is incomplete.
    const short = await adapterFor(s, { maxHistory: 2 });
    const cut = await short.config.history!(r);
    expect(cut.entries.map((v) => v.id)).toEqual(h.slice(0, 2).map((v) => v.id));
    expect(cut.complete).toBe(false);
    expect(cut.incomplete).toContain('the newest 2 entries are listed (maxHistory');
  });

  it('history of an unknown config is not found; an entry of another config is not found', async () => {
    expect((await failure(a.config.history!(ref('never.yaml')))).kind).toBe('not-found');
    const other = (await a.config.history!(ref('cas.yaml'))).entries;
    const e = await failure(a.config.versionContent!(ref('app.yaml'), other[0]!.id));
    expect(e.kind).toBe('not-found');
    expect(e.message).toContain(`history entry ${other[0]!.id} of config app.yaml`);
    expect((await failure(a.config.versionContent!(ref('app.yaml'), '999999999'))).kind).toBe('not-found');
  });

  it('lists the clients listening to a config, with the md5 each holds', async () => {
    const item = await a.config.set!(ref('listened.yaml'), 'l: 1', 'yaml', {});
    const stop = new AbortController();
    // A client's long poll, as the Nacos SDKs do it, holding the current md5, and polling again
    // when the server answers (right after a publish it answers at once until its cache has the new md5).
    const poll = (async () => {
      while (!stop.signal.aborted) {
        await fetch(`${s.url}/v1/cs/configs/listener`, {
          method: 'POST',
          headers: { accessToken: token, 'Long-Pulling-Timeout': '30000' },
          body: new URLSearchParams({ 'Listening-Configs': `listened.yaml\x02G\x02${item.md5}\x02${ns}\x01` }),
          signal: stop.signal,
        })
          .then((r) => r.text())
          .catch(() => null);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const seen = await eventually(() => a.config.listeners!(ref('listened.yaml')), (l) => l.length > 0);
      expect(seen).toEqual([{ ip: '127.0.0.1', md5: item.md5 }]);
    } finally {
      stop.abort();
      await poll;
    }
    expect(await a.config.listeners!(ref('app.yaml'))).toEqual([]);
  });

  it('watch yields a publish and a deletion made by someone else, and ends when aborted', async () => {
    const r = ref('watched.yaml');
    await a.config.set!(r, 'w: 1', 'yaml', {});
    const stop = new AbortController();
    const events: ConfigEvent[] = [];
    const done = (async () => {
      for await (const ev of a.config.watch!(r, stop.signal)) events.push(ev);
    })();
    try {
      // Give the watch time to hold the current md5 before the change.
      await new Promise((res) => setTimeout(res, 1000));
      await publishRaw('watched.yaml', 'w: 2', { type: 'yaml' });
      await eventually(async () => events.length, (n) => n >= 1, 20_000);
      expect(events[0]).toMatchObject({ backend: 'nacos-test', namespace: ns, group: 'G', dataId: 'watched.yaml', op: 'update', content: 'w: 2', md5: md5('w: 2'), token: md5('w: 2') });
      await raw(s, token, 'DELETE', isV3(s) ? '/v3/admin/cs/config' : '/v1/cs/configs', isV3(s) ? { dataId: 'watched.yaml', groupName: 'G', namespaceId: ns } : { dataId: 'watched.yaml', group: 'G', tenant: ns });
      await eventually(async () => events.length, (n) => n >= 2, 20_000);
      expect(events[1]).toMatchObject({ op: 'delete', content: null, md5: null });
    } finally {
      stop.abort();
      await done;
    }
    expect(events).toHaveLength(2);
  });

  it('beta: publishes to listed addresses only, reads it back, stops it; the released content never changes', async () => {
    const r = ref('beta.yaml');
    await a.config.set!(r, 'released', 'yaml', {});
    expect(await a.config.getBeta!(r)).toBeNull();
    await a.config.publishBeta!(r, 'trial', 'yaml', ['10.1.1.1', ' 10.1.1.2 ']);
    expect(await a.config.getBeta!(r)).toEqual({ content: 'trial', ips: ['10.1.1.1', '10.1.1.2'] });
    expect(await rawConfig(s, token, ns, 'G', 'beta.yaml')).toBe('released');
    expect((await a.config.get(r)).content).toBe('released');
    await a.config.stopBeta!(r);
    expect(await a.config.getBeta!(r)).toBeNull();
    expect((await failure(a.config.stopBeta!(r))).kind).toBe('not-found');
    expect((await failure(a.config.publishBeta!(r, 'x', 'yaml', []))).kind).toBe('usage');
    expect(await rawConfig(s, token, ns, 'G', 'beta.yaml')).toBe('released');
  });
});
