import { appendFileSync, cpSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import type { KvStore } from '../../src/engine/store/kv-store.js';
import { filesOf as filesOfDir } from '../helpers/files-of.js';
import { useTempStore } from './temp-store.js';

/**
 * Data dirs written in the store's first format (no checksum over the snapshot, no WAL header,
 * no wal.head) still open: reads leave them byte for byte as they are, and the first write
 * upgrades them. The fixture was written by opsdeck itself (see its README).
 */

const FIXTURE = resolve(__dirname, '../fixtures/embedded-store-v1/data');

const t = useTempStore('opsdeck-migrate-', (dir) => cpSync(FIXTURE, dir, { recursive: true }));
const open = t.open;
const file = t.file;
const dump = (s: KvStore) => s.read((v) => Object.fromEntries(v.scan('')));
const filesOf = () => filesOfDir(t.dir);

/** What the fixture holds, read the way the first format defines it: the snapshot, then the WAL. */
function expectedFromFixture(): Record<string, unknown> {
  const snap = JSON.parse(readFileSync(join(FIXTURE, 'snapshot.json'), 'utf8')) as { format: number; seq: number; data: Record<string, unknown> };
  expect(snap).toMatchObject({ format: 1, seq: 7 });
  const state = { ...snap.data };
  const records = readFileSync(join(FIXTURE, 'wal.log'), 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l.slice(9)) as { s: number; p?: Record<string, unknown>; d?: string[] });
  expect(records.map((r) => r.s)).toEqual([8, 9, 10, 11]);
  for (const r of records) {
    Object.assign(state, r.p ?? {});
    for (const k of r.d ?? []) delete state[k];
  }
  return state;
}

describe('a first-format data dir', () => {
  it('is read as it is, and reads change no byte', async () => {
    const before = filesOf();
    expect(Object.keys(before)).toEqual(['snapshot.json', 'wal.log']);
    const s = open();
    const all = await dump(s);
    expect(all).toEqual(expectedFromFixture());
    expect(all['cfg/public/DEFAULT_GROUP/app1.yaml']).toMatchObject({ content: 'port: 8001\nname: svc-1 v2', version: 2 });
    expect(all['cfg/public/DEFAULT_GROUP/app6.yaml']).toBeUndefined();
    expect(all['lock/deploy/orders']).toMatchObject({ owner: 'alice', token: 1 });
    expect(filesOf()).toEqual(before);
  });

  it('is upgraded by the first write: head first, then a checksummed snapshot and a WAL with a header', async () => {
    const expected = expectedFromFixture();
    let s = open();
    await s.update((tx) => tx.put('after', 'upgrade'));
    expect(readdirSync(t.dir).filter((f) => !f.endsWith('.tmp')).sort()).toEqual(['snapshot.json', 'wal.head', 'wal.log']);
    expect(readFileSync(file('snapshot.json'), 'utf8')).toMatch(/^\{"format":2,"seq":11,"sha256":"[0-9a-f]{64}","data":/);
    const wal = readFileSync(file('wal.log'), 'utf8').split('\n');
    expect(wal[0]).toMatch(/^opsdeck-wal 2 [0-9a-f]{8} \{"base":11,"snapshot":"[0-9a-f]{64}"\}$/);
    expect(wal[1]).toMatch(/^[0-9a-f]{8} \{"s":12,"p":\{"after":"upgrade"\}\}$/);
    s.close();
    s = open();
    expect(await dump(s)).toEqual({ ...expected, after: 'upgrade' });
    // From now on the files are guarded: losing the WAL is refused.
    s.close();
    unlinkSync(file('wal.log'));
    s = open();
    await expect(s.read((v) => v.get('after'))).rejects.toThrow(/wal\.log is missing, but writes up to 12 were acknowledged/);
  });

  it('with a torn last line: reads go around it, and the first write cuts it off and upgrades', async () => {
    const expected = expectedFromFixture();
    appendFileSync(file('wal.log'), '0badf00d {"s":12,"p":{"half');
    const torn = filesOf();
    let s = open();
    expect(await dump(s)).toEqual(expected);
    expect(filesOf()).toEqual(torn);
    await s.update((tx) => tx.put('after', 'tear'));
    s.close();
    s = open();
    expect(await dump(s)).toEqual({ ...expected, after: 'tear' });
    expect(readFileSync(file('wal.log'), 'utf8')).not.toContain('half');
  });

  it('with its snapshot deleted is refused: the WAL starts after writes nobody has', async () => {
    unlinkSync(file('snapshot.json'));
    const before = filesOf();
    const s = open();
    const err = await s.read(() => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).kind).toBe('config');
    expect((err as OpsError).message).toMatch(/wal\.log starts at write 8, but snapshot\.json is missing/);
    expect(filesOf()).toEqual(before);
  });

  it('with a damaged line in the middle is refused', async () => {
    const lines = readFileSync(file('wal.log'), 'utf8').split('\n');
    lines[1] = lines[1]!.replace('alice', 'alicf');
    writeFileSync(file('wal.log'), lines.join('\n'));
    const before = filesOf();
    const s = open();
    await expect(s.update((tx) => tx.put('x', 1))).rejects.toThrow(/wal\.log has a damaged line at byte \d+, with more lines after it/);
    expect(filesOf()).toEqual(before);
  });
});
