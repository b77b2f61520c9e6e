import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigEvent } from '../../src/core/config-center.js';
import { OpsError } from '../../src/core/errors.js';
import { ConfigEngine, HISTORY_LIMIT, md5 } from '../../src/engine/config-engine.js';
import { engineWithClock } from './fixture.js';

const scope = { namespace: 'public', group: 'DEFAULT_GROUP' };
const ref = { scope, dataId: 'orders.yaml' };

describe('embedded config', () => {
  let f: ReturnType<typeof engineWithClock>;
  afterEach(() => f.cleanup());

  it('publishes with md5 as the token, type and increasing versions, and keeps history newest first', async () => {
    f = engineWithClock();
    const c = f.engine.config;
    const v1 = await c.set(ref, 'a: 1\n', 'yaml', {});
    expect(v1).toEqual({ backend: 'embedded', ...scope, dataId: 'orders.yaml', content: 'a: 1\n', type: 'yaml', token: md5('a: 1\n'), md5: md5('a: 1\n'), version: 1, updatedAt: '2026-01-01T00:00:00.000Z' });
    f.advance(1000);
    await c.set(ref, 'a: 2\n', 'yaml', {});
    expect(await c.get(ref)).toMatchObject({ content: 'a: 2\n', version: 2 });
    const { entries: h, complete } = await c.history(ref);
    expect(complete).toBe(true);
    expect(h.map((x) => [x.id, x.version, x.op, x.contentIs])).toEqual([['2', 2, 'update', 'after'], ['1', 1, 'create', 'after']]);
    expect(h[0]!.md5).toBe(md5('a: 2\n'));
    expect(Date.parse(h[0]!.at!) - Date.parse(h[1]!.at!)).toBe(1000);
    expect(await c.versionContent(ref, '1')).toBe('a: 1\n');
    expect((await c.list({ scope: {} })).map((s) => s.dataId)).toEqual(['orders.yaml']);
  });

  it('lists by contained text, or by a * pattern matched whole', async () => {
    f = engineWithClock();
    const c = f.engine.config;
    for (const id of ['orders.yaml', 'orders-db.properties', 'payments.yaml']) await c.set({ scope: {}, dataId: id }, 'x', 'text', {});
    const ids = async (text: string) => (await c.list({ scope: {}, text })).map((s) => s.dataId);
    expect(await ids('ORDERS')).toEqual(['orders-db.properties', 'orders.yaml']);
    expect(await ids('*.yaml')).toEqual(['orders.yaml', 'payments.yaml']);
    expect(await ids('orders*yaml')).toEqual(['orders.yaml']);
    expect(await ids('*db*')).toEqual(['orders-db.properties']);
    expect(await ids('yaml*')).toEqual([]);
  });

  it('compare-and-set refuses a stale token and leaves the content alone', async () => {
    f = engineWithClock();
    const c = f.engine.config;
    const first = await c.set(ref, 'x', 'text', {});
    await c.set(ref, 'y', 'text', { ifMatch: first.token });
    const err = await c.set(ref, 'z', 'text', { ifMatch: first.token }).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('conflict');
    expect((err as OpsError).details).toMatchObject({ token: md5('y') });
    expect((await c.get(ref)).content).toBe('y');
    const absent = await c.set({ ...ref, dataId: 'new' }, 'z', 'text', { ifMatch: first.token }).catch((e: unknown) => e);
    expect((absent as OpsError).kind).toBe('conflict');
    const staleDelete = await c.delete(ref, { ifMatch: first.token }).catch((e: unknown) => e);
    expect((staleDelete as OpsError).kind).toBe('conflict');
    expect((await c.get(ref)).content).toBe('y');
  });

  it('delete keeps history and versions keep counting; a deletion entry holds no content', async () => {
    f = engineWithClock();
    const c = f.engine.config;
    await c.set(ref, 'one', 'text', {});
    await c.set(ref, 'two', 'text', {});
    await c.delete(ref, {});
    expect(((await c.get(ref).catch((e: unknown) => e)) as OpsError).kind).toBe('not-found');
    const h = (await c.history(ref)).entries;
    expect(h[0]).toMatchObject({ id: '3', op: 'delete', md5: null, contentIs: 'after' });
    expect(await c.versionContent(ref, '3')).toBeNull();
    expect(await c.versionContent(ref, '2')).toBe('two');
    const again = await c.set(ref, 'three', 'text', {});
    expect(again).toMatchObject({ version: 4 });
    expect((await c.history(ref)).entries.map((x) => x.op)).toEqual(['create', 'delete', 'update', 'create']);
    expect(((await c.versionContent(ref, '99').catch((e: unknown) => e)) as OpsError).kind).toBe('not-found');
  });

  it(`caps history at ${HISTORY_LIMIT} versions, and says the history is incomplete`, async () => {
    f = engineWithClock();
    const c = f.engine.config;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) await c.set(ref, `v${i}`, 'text', {});
    const { entries: h, complete, incomplete } = await c.history(ref);
    expect(complete).toBe(false);
    expect(incomplete).toBe(`the embedded store keeps the last ${HISTORY_LIMIT} entries of a config: versions before 6 are gone`);
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0]!.version).toBe(HISTORY_LIMIT + 5);
    expect(h[h.length - 1]!.version).toBe(6);
  });

  it('watch yields every change in order, including a delete, and stops on abort', async () => {
    f = engineWithClock();
    const watcher = new ConfigEngine(f.engine.store, Date.now, 10);
    await f.engine.config.set(ref, 'before', 'text', {});
    const ac = new AbortController();
    const seen: ConfigEvent[] = [];
    const done = (async () => {
      for await (const e of watcher.watch(ref, ac.signal)) {
        seen.push(e);
        if (seen.length === 3) ac.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    await f.engine.config.set(ref, 'after-1', 'text', {});
    await f.engine.config.set(ref, 'after-2', 'text', {});
    await f.engine.config.delete(ref, {});
    await done;
    expect(seen.map((e) => [e.op, e.version, e.content, e.token])).toEqual([
      ['update', 2, 'after-1', md5('after-1')],
      ['update', 3, 'after-2', md5('after-2')],
      ['delete', 4, null, null],
    ]);
  });
});
