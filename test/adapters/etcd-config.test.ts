import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frames } from '../../src/adapters/etcd/watch.js';
import type { ConfigBackend, ConfigEvent } from '../../src/core/config-center.js';
import { OpsError } from '../../src/core/errors.js';
import { startEtcd, type EtcdServer } from '../servers/etcd-server.js';
import { etcdAdapter, EtcdRaw } from './etcd-support.js';

/**
 * etcd as a config centre against a real etcd 3.4: what the conformance suite does not pin down
 * (create-only-if-absent, history from MVCC revisions and what compaction removes, a lease kept
 * across a write, the watch's deletes and other writers), with every fact read back through raw HTTP.
 */
let server: EtcdServer;
let raw: EtcdRaw;
let a: Awaited<ReturnType<typeof etcdAdapter>>;
let config: ConfigBackend;
let n = 0;
const key = () => `/config/t${Date.now().toString(36)}-${n++}.yaml`;
const ref = (dataId: string) => ({ scope: {}, dataId });

beforeAll(async () => {
  server = await startEtcd();
  raw = new EtcdRaw(server);
  a = await etcdAdapter(server, { prefix: '/config/' });
  config = a.config!;
});
afterAll(async () => {
  await a?.cleanup();
  await server?.stop();
});

describe('etcd config', () => {
  it('--if-match 0 creates only if absent; the token is the mod_revision etcd holds', async () => {
    const k = key();
    const made = await config.set!(ref(k), 'a: 1\n', 'yaml', { ifMatch: '0' });
    const held = await raw.get(k);
    expect(made.token).toBe(String(held!.modRevision));
    expect(made).toMatchObject({ type: 'yaml', version: 1 });
    const err = await config.set!(ref(k), 'a: 2\n', 'yaml', { ifMatch: '0' }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('conflict');
    expect((await raw.get(k))!.value).toBe('a: 1\n');
  });

  it('a key outside the prefix is a usage error', async () => {
    const err = await config.get(ref('/elsewhere/x')).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('usage');
    expect((err as OpsError).message).toContain('/config/');
  });

  it('a write keeps the lease the key is bound to', async () => {
    const k = key();
    const lease = await raw.grant(60);
    await raw.put(k, 'x: 1\n', lease);
    await config.set!(ref(k), 'x: 2\n', 'yaml', {});
    expect(await raw.get(k)).toMatchObject({ value: 'x: 2\n', lease });
  });

  it('history lists each revision still kept, with contents read at that revision; compaction cuts it and says so', async () => {
    const k = key();
    const revs: string[] = [];
    for (const v of ['v: 1\n', 'v: 2\n', 'v: 3\n']) revs.push((await config.set!(ref(k), v, 'yaml', {})).token);
    const full = await config.history!(ref(k));
    expect(full.complete).toBe(true);
    expect(full.entries.map((e) => e.id)).toEqual([...revs].reverse());
    expect(full.entries.map((e) => e.op)).toEqual(['update', 'update', 'create']);
    expect(await config.versionContent!(ref(k), full.entries[2]!.id)).toBe('v: 1\n');
    // Compact at the last write: the two older revisions are gone from etcd.
    await raw.compact(Number(revs[2]));
    const cut = await config.history!(ref(k));
    expect(cut.entries.map((e) => e.id)).toEqual([revs[2]]);
    expect(cut.complete).toBe(false);
    expect(cut.incomplete).toMatch(/compacted .* 2 older versions/);
    const err = await config.versionContent!(ref(k), String(revs[0])).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('not-found');
    expect((err as OpsError).message).toContain('compacted');
  });

  it('a deleted key has no history to walk back, and says why', async () => {
    const k = key();
    await raw.put(k, 'gone\n');
    await raw.del(k);
    const err = await config.history!(ref(k)).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('not-found');
    expect((err as OpsError).message).toContain('no value now');
  });

  it('watch reports writes and a delete made by another client, in order, and ends when aborted', async () => {
    const k = key();
    await raw.put(k, 'w: 0\n');
    const ac = new AbortController();
    const seen: ConfigEvent[] = [];
    const done = (async () => {
      for await (const e of config.watch!(ref(k), ac.signal)) {
        seen.push(e);
        if (seen.length === 3) ac.abort();
      }
    })();
    // The watch starts just after the revision it read, so writes made right away are not missed.
    await new Promise((r) => setTimeout(r, 300));
    await raw.put(k, 'w: 1\n');
    await raw.put(k, 'w: 2\n');
    await raw.del(k);
    await done;
    expect(seen.map((e) => [e.op, e.content])).toEqual([
      ['update', 'w: 1\n'],
      ['update', 'w: 2\n'],
      ['delete', null],
    ]);
  }, 20_000);

  it("the config pane's push feed wakes on a key written under the prefix, not on one outside it", async () => {
    const ac = new AbortController();
    let yields = 0;
    const done = (async () => {
      for await (const _ of config.changes!({ scope: {} }, ac.signal)) yields++;
    })();
    await new Promise((r) => setTimeout(r, 1000));
    await raw.put('/elsewhere/x', '1');
    await new Promise((r) => setTimeout(r, 1000));
    expect(yields).toBe(0);
    const k = key();
    await raw.put(k, 'p: 1\n');
    await expect.poll(() => yields, { timeout: 10_000 }).toBe(1);
    await raw.del(k);
    await expect.poll(() => yields, { timeout: 10_000 }).toBe(2);
    ac.abort();
    await done;
    await raw.del('/elsewhere/x');
  }, 30_000);
});

describe('watch frames', () => {
  async function* chunks(...parts: string[]) {
    for (const p of parts) yield Buffer.from(p);
  }
  const all = async (it: AsyncIterable<unknown>) => {
    const out: unknown[] = [];
    for await (const x of it) out.push(x);
    return out;
  };

  it('joins frames split across chunks and splits chunks holding several', async () => {
    expect(await all(frames(chunks('{"result":{"a"', ':1}}\n{"result":{}}\n{"res', 'ult":{"b":2}}'), 1024, 'etcd'))).toEqual([{ result: { a: 1 } }, { result: {} }, { result: { b: 2 } }]);
  });

  it('refuses a frame over the cap without buffering the rest', async () => {
    const err = await all(frames(chunks('{"result":', 'x'.repeat(100), 'y'.repeat(100)), 150, 'etcd at x')).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('bad-answer');
    expect((err as OpsError).message).toContain('watch frame over');
  });
});
