import { afterEach, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import type { ConfigEvent } from '../../src/core/types.js';
import { ConfigEngine, HISTORY_LIMIT, md5 } from '../../src/engine/config-engine.js';
import { engineWithClock } from './fixture.js';

const ref = { namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'orders.yaml' };

describe('embedded config', () => {
  let f: ReturnType<typeof engineWithClock>;
  afterEach(() => f.cleanup());

  it('publishes with md5, type and increasing versions, and keeps history newest first', async () => {
    f = engineWithClock();
    const c = f.engine.config;
    const v1 = await c.set(ref, 'a: 1\n', 'yaml');
    expect(v1).toEqual({ ...ref, content: 'a: 1\n', md5: md5('a: 1\n'), type: 'yaml', version: 1 });
    f.advance(1000);
    await c.set(ref, 'a: 2\n', 'yaml');
    expect(await c.get(ref)).toMatchObject({ content: 'a: 2\n', version: 2 });
    const h = await c.history(ref);
    expect(h.map((x) => [x.version, x.op])).toEqual([[2, 'update'], [1, 'create']]);
    expect(h[0]!.md5).toBe(md5('a: 2\n'));
    expect(Date.parse(h[0]!.updatedAt) - Date.parse(h[1]!.updatedAt)).toBe(1000);
    expect((await c.list({})).map((s) => s.dataId)).toEqual(['orders.yaml']);
  });

  it('compare-and-set refuses a stale md5 and leaves the content alone', async () => {
    f = engineWithClock();
    const c = f.engine.config;
    const first = await c.set(ref, 'x', 'text');
    await c.set(ref, 'y', 'text', first.md5);
    const err = await c.set(ref, 'z', 'text', first.md5).catch((e: unknown) => e);
    expect((err as OpsError).kind).toBe('conflict');
    expect((await c.get(ref)).content).toBe('y');
    const absent = await c.set({ ...ref, dataId: 'new' }, 'z', 'text', first.md5).catch((e: unknown) => e);
    expect((absent as OpsError).kind).toBe('conflict');
  });

  it('delete keeps history, versions keep counting, and rollback restores deleted content', async () => {
    f = engineWithClock();
    const c = f.engine.config;
    await c.set(ref, 'one', 'text');
    await c.set(ref, 'two', 'text');
    const del = await c.delete(ref);
    expect(del).toMatchObject({ version: 3, op: 'delete' });
    expect(((await c.get(ref).catch((e: unknown) => e)) as OpsError).kind).toBe('not-found');
    const back = await c.rollback(ref, 1);
    expect(back).toMatchObject({ content: 'one', version: 4 });
    expect((await c.history(ref)).map((h) => h.op)).toEqual(['rollback', 'delete', 'update', 'create']);
    expect((await c.getVersion(ref, 2)).content).toBe('two');
    expect(((await c.rollback(ref, 99).catch((e: unknown) => e)) as OpsError).kind).toBe('not-found');
  });

  it(`caps history at ${HISTORY_LIMIT} versions`, async () => {
    f = engineWithClock();
    const c = f.engine.config;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) await c.set(ref, `v${i}`, 'text');
    const h = await c.history(ref);
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0]!.version).toBe(HISTORY_LIMIT + 5);
    expect(h[h.length - 1]!.version).toBe(6);
  });

  it('watch yields every change in order, including a delete, and stops on abort', async () => {
    f = engineWithClock();
    const watcher = new ConfigEngine(f.engine.store, Date.now, 10);
    await f.engine.config.set(ref, 'before', 'text');
    const ac = new AbortController();
    const seen: ConfigEvent[] = [];
    const done = (async () => {
      for await (const e of watcher.watch(ref, ac.signal)) {
        seen.push(e);
        if (seen.length === 3) ac.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    await f.engine.config.set(ref, 'after-1', 'text');
    await f.engine.config.set(ref, 'after-2', 'text');
    await f.engine.config.delete(ref);
    await done;
    expect(seen.map((e) => [e.op, e.version, e.content])).toEqual([
      ['update', 2, 'after-1'],
      ['update', 3, 'after-2'],
      ['delete', 4, null],
    ]);
  });
});
