import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import type { KvStore } from '../../src/engine/store/kv-store.js';
import { encodeSnapshot } from '../../src/engine/store/snapshot-file.js';
import { NO_COMPACTION, useTempStore } from './temp-store.js';

const t = useTempStore('opsdeck-kv-');
const open = t.open;

function reopen(s: KvStore, compactBytes = NO_COMPACTION): KvStore {
  s.close();
  return open(compactBytes);
}

const walPath = () => t.file('wal.log');
const snapPath = () => t.file('snapshot.json');

/** Everything in the store, as a plain object. */
function dump(s: KvStore): Promise<Record<string, unknown>> {
  return s.read((v) => Object.fromEntries(v.scan('')));
}

/** A WAL line exactly as the store writes it, with an optionally wrong checksum. */
function walLine(record: object, badCrc = false): string {
  const json = JSON.stringify(record);
  const crc = (crc32(json) ^ (badCrc ? 0xffff : 0)) >>> 0;
  return `${crc.toString(16).padStart(8, '0')} ${json}\n`;
}

async function seed(s: KvStore): Promise<Record<string, unknown>> {
  await s.update((tx) => tx.put('a/1', { n: 1, tags: ['x', 'y'] }));
  await s.update((tx) => {
    tx.put('b/2', 'two');
    tx.put('a/0', null);
  });
  await s.update((tx) => tx.put('a/2', { nested: { deep: [1, 2, 3] }, text: 'ünïcødé ✓ "quoted"\nnewline' }));
  return dump(s);
}

/** Runs fn and returns what it rejected with (failing if it resolved). */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but it resolved');
}

describe('KvStore', () => {
  it('round-trips put/get/scan/del across a reopen', async () => {
    let s = open();
    await s.update((tx) => {
      tx.put('svc/c', 3);
      tx.put('svc/a', { v: 1 });
      tx.put('svc/b', [2]);
      tx.put('other/z', 'z');
    });
    await s.update((tx) => tx.del('svc/b'));
    await s.update((tx) => tx.put('svc/a', { v: 'one' }));
    // A transaction that throws writes nothing, not even its earlier puts.
    await expect(
      s.update((tx) => {
        tx.put('svc/never', 1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    const check = async (store: KvStore) => {
      expect(await store.read((v) => v.get('svc/a'))).toEqual({ v: 'one' });
      expect(await store.read((v) => v.get('svc/b'))).toBeUndefined();
      expect(await store.read((v) => v.get('svc/never'))).toBeUndefined();
      expect(await store.read((v) => v.scan('svc/'))).toEqual([
        ['svc/a', { v: 'one' }],
        ['svc/c', 3],
      ]);
      expect(await store.read((v) => v.scan('other/'))).toEqual([['other/z', 'z']]);
    };
    await check(s);
    s = reopen(s);
    await check(s);
    // Values handed out are copies of what was committed: mutating the input later changes nothing.
    const doc = { list: [1] };
    await s.update((tx) => tx.put('svc/copy', doc));
    doc.list.push(2);
    s = reopen(s);
    expect(await s.read((v) => v.get('svc/copy'))).toEqual({ list: [1] });
  });

  it('a transaction sees its own staged writes', async () => {
    const s = open();
    await s.update((tx) => tx.put('p/1', 1));
    const seen = await s.update((tx) => {
      tx.put('p/2', 2);
      tx.del('p/1');
      return { scan: tx.scan('p/'), one: tx.get('p/1'), two: tx.get('p/2') };
    });
    expect(seen).toEqual({ scan: [['p/2', 2]], one: undefined, two: 2 });
  });

  it('reads around a torn tail without a newline, and the next write cuts it off', async () => {
    let s = open();
    const before = await seed(s);
    s.close();
    appendFileSync(walPath(), walLine({ s: 4, p: { torn: 1 } }).slice(0, 30));
    const torn = readFileSync(walPath());

    s = open();
    expect(await dump(s)).toEqual(before);
    // A read never changes a file, not even to drop what it reads around.
    expect(readFileSync(walPath())).toEqual(torn);
    // The next write lands where the torn line was, and survives another reopen.
    await s.update((tx) => tx.put('after', 'torn'));
    s = reopen(s);
    expect(await dump(s)).toEqual({ ...before, after: 'torn' });
    expect(readFileSync(walPath(), 'utf8').endsWith('\n')).toBe(true);
    expect(readFileSync(walPath(), 'utf8')).not.toContain('"s":4,"p":{"torn"');
  });

  it('drops a complete last line whose checksum is wrong when it is past every acknowledged write', async () => {
    let s = open();
    const before = await seed(s);
    s.close();
    appendFileSync(walPath(), walLine({ s: 4, p: { evil: 1 } }, true));
    const bad = readFileSync(walPath());

    s = open();
    expect(await s.read((v) => v.get('evil'))).toBeUndefined();
    expect(await dump(s)).toEqual(before);
    expect(readFileSync(walPath())).toEqual(bad);
    await s.update((tx) => tx.put('next', 1));
    s = reopen(s);
    expect(await dump(s)).toEqual({ ...before, next: 1 });
    expect(readFileSync(walPath(), 'utf8')).not.toContain('evil');
  });

  it('refuses a corrupt line in the middle with a config OpsError and leaves the log untouched', async () => {
    let s = open();
    await seed(s);
    s.close();
    const lines = readFileSync(walPath(), 'utf8').split('\n');
    expect(lines.length).toBe(5); // the header, three records and the empty string after the last newline
    // Flip one character of the second record's JSON: its checksum no longer matches.
    lines[2] = lines[2]!.replace('"two"', '"twO"');
    const corrupt = lines.join('\n');
    writeFileSync(walPath(), corrupt);

    s = open();
    const readErr = await rejection(() => s.read((v) => v.get('a/1')));
    expect(readErr).toBeInstanceOf(OpsError);
    expect((readErr as OpsError).kind).toBe('config');
    expect((readErr as OpsError).message).toMatch(/damaged line at byte/);
    const writeErr = await rejection(() => s.update((tx) => tx.put('x', 1)));
    expect(writeErr).toBeInstanceOf(OpsError);
    expect((writeErr as OpsError).kind).toBe('config');
    // Nothing was truncated or appended: the good third record is still there for a human to save.
    expect(readFileSync(walPath(), 'utf8')).toBe(corrupt);
  });

  it('refuses an unreadable snapshot with a config OpsError', async () => {
    let s = open(1);
    await seed(s);
    expect(existsSync(snapPath())).toBe(true);
    s.close();
    writeFileSync(snapPath(), '{"format":1,"seq":3,"da');
    s = open();
    const err = await rejection(() => s.read((v) => v.get('a/1')));
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('config');
    expect((err as OpsError).message).toMatch(/snapshot\.json is unreadable/);
  });

  it('compaction keeps every key, overwrite and delete across reopen', async () => {
    const compactBytes = 2000;
    let s = open(compactBytes);
    const expected: Record<string, unknown> = {};
    for (let i = 0; i < 300; i++) {
      const key = `k/${String(i % 120).padStart(3, '0')}`;
      if (i % 7 === 3) {
        await s.update((tx) => tx.del(key));
        delete expected[key];
      } else {
        const value = { i, pad: 'x'.repeat(i % 50) };
        await s.update((tx) => tx.put(key, value));
        expected[key] = value;
      }
    }
    expect(existsSync(snapPath())).toBe(true);
    // The WAL was folded into the snapshot: it holds at most what came after the last compaction.
    expect(statSync(walPath()).size).toBeLessThanOrEqual(compactBytes);
    expect(await dump(s)).toEqual(expected);

    s = reopen(s, compactBytes);
    expect(await dump(s)).toEqual(expected);
    s = reopen(s);
    expect(await dump(s)).toEqual(expected);
    // Writing after a reopen continues the sequence: the new record is not skipped as old.
    await s.update((tx) => tx.put('k/new', 'after'));
    s = reopen(s);
    expect(await dump(s)).toEqual({ ...expected, 'k/new': 'after' });
  });

  it('recovers from a crash between writing the snapshot and replacing the log', async () => {
    let s = open();
    await s.update((tx) => tx.put('x', 'old'));
    await s.update((tx) => tx.put('y', 1));
    await s.update((tx) => tx.del('y'));
    await s.update((tx) => tx.put('x', 'new'));
    const state = await dump(s);
    s.close();
    // The state compaction leaves if killed after the snapshot rename, before the WAL rename:
    // a durable snapshot at seq 4 next to the old WAL with records 1..4 (and a leftover temp file).
    writeFileSync(snapPath(), encodeSnapshot(4, state).text);
    writeFileSync(t.file('wal.log.tmp'), '');

    s = open();
    expect(await dump(s)).toEqual({ x: 'new' });
    await s.update((tx) => tx.put('z', 5));
    s = reopen(s);
    expect(await dump(s)).toEqual({ x: 'new', z: 5 });
  });

  it('two instances on one dir see each other’s writes, also across compaction', async () => {
    const a = open(1500);
    const b = open();
    await a.update((tx) => tx.put('from-a', 1));
    expect(await b.read((v) => v.get('from-a'))).toBe(1);
    await b.update((tx) => tx.put('from-b', 2));
    expect(await a.read((v) => v.get('from-b'))).toBe(2);

    // Interleave writers; a compacts often, which replaces the WAL file under b.
    const expected: Record<string, unknown> = { 'from-a': 1, 'from-b': 2 };
    for (let i = 0; i < 60; i++) {
      const w = i % 3 === 0 ? b : a;
      const key = `mix/${i}`;
      await w.update((tx) => tx.put(key, { i, by: w === a ? 'a' : 'b', pad: 'p'.repeat(40) }));
      expected[key] = { i, by: w === a ? 'a' : 'b', pad: 'p'.repeat(40) };
      // Read-modify-write through the other instance must see the latest value.
      const other = w === a ? b : a;
      await other.update((tx) => tx.put('counter', (tx.get<number>('counter') ?? 0) + 1));
      expected.counter = i + 1;
    }
    expect(existsSync(snapPath())).toBe(true);
    expect(await a.read((v) => Object.fromEntries(v.scan('')))).toEqual(expected);
    expect(await b.read((v) => Object.fromEntries(v.scan('')))).toEqual(expected);

    // Concurrent updates from both instances serialize: no increment is lost.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).update((tx) => tx.put('counter', (tx.get<number>('counter') ?? 0) + 1))),
    );
    expect(await a.read((v) => v.get('counter'))).toBe(100);
    const c = open();
    expect(await dump(c)).toEqual({ ...expected, counter: 100 });
  });

  it('a read creates no file in the data dir; the first write creates the head, then the log', async () => {
    const s = open();
    expect(await dump(s)).toEqual({});
    expect(readdirSync(t.dir)).toEqual([]);
    await s.update((tx) => tx.put('k', 1));
    expect(readdirSync(t.dir).sort()).toEqual(['wal.head', 'wal.log']);
    expect(readFileSync(walPath(), 'utf8')).toMatch(/^opsdeck-wal 2 [0-9a-f]{8} \{"base":0,"snapshot":null\}\n[0-9a-f]{8} \{"s":1,/);
  });

  it('a closed store refuses reads', async () => {
    const s = open();
    s.close();
    const err = await rejection(() => s.read((v) => v.get('x')));
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('backend');
  });
});

describe('crc32', () => {
  it('matches zlib for ASCII, UTF-8 and empty input', async () => {
    const { crc32 } = await import('../../src/engine/store/crc32.js');
    const zlib = await import('node:zlib');
    for (const s of ['', 'a', '{"s":1,"p":{"cfg/public/DEFAULT_GROUP/x":1}}', 'héllo wörld ☃ 😀', 'x'.repeat(10_000)]) {
      expect(crc32(s)).toBe(zlib.crc32(s));
    }
  });
});
