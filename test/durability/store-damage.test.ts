import { copyFileSync, existsSync, mkdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { KvStore } from '../../src/engine/store/kv-store.js';
import { filesOf as filesOfDir } from '../helpers/files-of.js';
import { useTempStore } from './temp-store.js';

/**
 * Damage to the embedded store's files is refused with one clear error, by reads and writes
 * alike, and the refusal changes no byte on disk. Each case damages real files the way the probes
 * did (probe 3 in probe-findings.md).
 */

const t = useTempStore('opsdeck-damage-');
const open = t.open;
const file = t.file;
const filesOf = () => filesOfDir(t.dir);

/**
 * A store with writes 1..20 folded into a snapshot (through a compaction), then writes 21..30 in
 * the WAL: config-like documents with a content, an md5 and a version.
 */
async function build(): Promise<Record<string, unknown>> {
  let s = open();
  for (let i = 1; i <= 19; i++) await s.update((tx) => tx.put(`cfg/app${i}`, { content: `port: ${8000 + i}`, md5: `md5-of-${i}`, version: i }));
  s.close();
  // A threshold of one byte compacts right after the next write.
  s = open(1);
  await s.update((tx) => tx.put('cfg/app20', { content: 'port: 8020', md5: 'md5-of-20', version: 20 }));
  s.close();
  expect(readFileSync(file('snapshot.json'), 'utf8')).toMatch(/^\{"format":2,"seq":20,/);
  s = open();
  for (let i = 21; i <= 30; i++) await s.update((tx) => tx.put(`cfg/app${i}`, { content: `port: ${8000 + i}`, md5: `md5-of-${i}`, version: i }));
  const all = await s.read((v) => Object.fromEntries(v.scan('')));
  s.close();
  expect(walLines()).toHaveLength(11); // the header and writes 21..30
  return all;
}

function walLines(): string[] {
  return readFileSync(file('wal.log'), 'utf8').split('\n').slice(0, -1);
}

async function rejection(fn: () => Promise<unknown>): Promise<OpsError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof OpsError) return e;
    throw e;
  }
  throw new Error('expected a refusal, but it succeeded');
}

/** A read and a write both refuse with a config error matching pattern; no file changes. */
async function expectRefused(pattern: RegExp): Promise<void> {
  const before = filesOf();
  const s = open();
  const readErr = await rejection(() => s.read((v) => v.get('cfg/app1')));
  expect(readErr.kind).toBe('config');
  expect(readErr.message).toMatch(/^the embedded store in .* is damaged: /);
  expect(readErr.message).toMatch(pattern);
  expect(readErr.hint).toMatch(/restore the data dir from a backup, or move it aside/);
  const writeErr = await rejection(() => s.update((tx) => tx.put('new', 1)));
  expect(writeErr.message).toBe(readErr.message);
  expect(filesOf()).toEqual(before);
}

describe('damage to snapshot.json is refused', () => {
  it.each([
    ['a byte changed inside a value', 'port: 8007', 'port: 8107'],
    ['a version digit changed', '"version":13}', '"version":14}'],
    ['its sequence number changed', '"seq":20,', '"seq":21,'],
  ])('%s', async (_what, from, to) => {
    await build();
    const text = readFileSync(file('snapshot.json'), 'utf8');
    expect(text).toContain(from);
    writeFileSync(file('snapshot.json'), text.replace(from, to));
    await expectRefused(/snapshot\.json fails its checksum/);
  });

  it('a bit flipped in a key', async () => {
    await build();
    const bytes = readFileSync(file('snapshot.json'));
    const at = bytes.indexOf('cfg/app5"');
    bytes[at + 4]! ^= 0x01; // "app5" becomes "`pp5"
    writeFileSync(file('snapshot.json'), bytes);
    await expectRefused(/snapshot\.json fails its checksum/);
  });

  it('cut short', async () => {
    await build();
    const bytes = readFileSync(file('snapshot.json'));
    writeFileSync(file('snapshot.json'), bytes.subarray(0, bytes.length >> 1));
    await expectRefused(/snapshot\.json is cut short/);
  });

  it.each([
    ['null', 'null', /snapshot\.json is unreadable/],
    ['a first-format header without data', '{"format":1,"seq":0}', /snapshot\.json holds no key map/],
    ['an array', '[1,2]', /snapshot\.json is unreadable/],
    ['a negative seq', '{"format":1,"seq":-1,"data":{}}', /no valid sequence number/],
    ['an unknown format', '{"format":"x","seq":1,"data":{}}', /no known format/],
  ])('replaced by %s', async (_what, content, pattern) => {
    await build();
    writeFileSync(file('snapshot.json'), content);
    await expectRefused(pattern);
  });

  it('deleted while the WAL is kept', async () => {
    await build();
    unlinkSync(file('snapshot.json'));
    await expectRefused(/snapshot\.json is missing, but wal\.log continues a snapshot of write 20/);
  });

  it('replaced by an older snapshot of the same store', async () => {
    let s = open(1);
    await s.update((tx) => tx.put('a', 1));
    const old = readFileSync(file('snapshot.json'));
    await s.update((tx) => tx.put('b', 2));
    s.close();
    writeFileSync(file('snapshot.json'), old);
    await expectRefused(/snapshot\.json ends at write 1, older than the write 2 wal\.log continues/);
  });
});

describe('damage to wal.log is refused', () => {
  it('truncated at half its size, inside a line', async () => {
    await build();
    const size = readFileSync(file('wal.log')).length;
    truncateSync(file('wal.log'), size >> 1);
    expect(readFileSync(file('wal.log'), 'utf8').endsWith('\n')).toBe(false);
    await expectRefused(/the line at byte \d+ of wal\.log is incomplete and holds write 2\d, but writes up to 30 were acknowledged \(wal\.head\)/);
  });

  it('truncated at a line boundary', async () => {
    await build();
    writeFileSync(file('wal.log'), walLines().slice(0, 6).join('\n') + '\n');
    await expectRefused(/wal\.log ends at write 25, but writes up to 30 were acknowledged \(wal\.head\): the log was cut short or replaced/);
  });

  it('truncated to 0 bytes', async () => {
    await build();
    truncateSync(file('wal.log'), 0);
    await expectRefused(/wal\.log ends at write 20, but writes up to 30 were acknowledged/);
  });

  it('deleted', async () => {
    await build();
    unlinkSync(file('wal.log'));
    await expectRefused(/wal\.log is missing, but writes up to 30 were acknowledged/);
  });

  it('its last byte (the newline of an acknowledged write) removed', async () => {
    await build();
    const bytes = readFileSync(file('wal.log'));
    writeFileSync(file('wal.log'), bytes.subarray(0, bytes.length - 1));
    await expectRefused(/the line at byte \d+ of wal\.log is incomplete and holds write 30, but writes up to 30 were acknowledged/);
  });

  it('one bit flipped in the last record', async () => {
    await build();
    const bytes = readFileSync(file('wal.log'));
    bytes[bytes.length - 12]! ^= 0x04;
    writeFileSync(file('wal.log'), bytes);
    await expectRefused(/the line at byte \d+ of wal\.log fails its checksum and holds write 30, but writes up to 30 were acknowledged/);
  });

  it('one bit flipped in a record in the middle', async () => {
    await build();
    const lines = walLines();
    lines[4] = lines[4]!.replace('port: 8024', 'port: 8025');
    writeFileSync(file('wal.log'), lines.join('\n') + '\n');
    await expectRefused(/wal\.log has a damaged line at byte \d+, with more lines after it/);
  });

  it('a line removed from the middle', async () => {
    await build();
    const lines = walLines();
    lines.splice(3, 1);
    writeFileSync(file('wal.log'), lines.join('\n') + '\n');
    await expectRefused(/wal\.log has write 24 at byte \d+ where write 23 belongs/);
  });

  it('a line repeated', async () => {
    await build();
    const lines = walLines();
    lines.splice(3, 0, lines[3]!);
    writeFileSync(file('wal.log'), lines.join('\n') + '\n');
    await expectRefused(/wal\.log has write 23 at byte \d+ where write 24 belongs/);
  });

  it('its header damaged', async () => {
    await build();
    const text = readFileSync(file('wal.log'), 'utf8');
    writeFileSync(file('wal.log'), text.replace('"base":20', '"base":21'));
    await expectRefused(/wal\.log has a damaged header line/);
  });
});

describe('damage to wal.head is refused', () => {
  it('deleted', async () => {
    await build();
    unlinkSync(file('wal.head'));
    await expectRefused(/wal\.head is missing, so lost writes cannot be ruled out/);
  });

  it('both copies damaged', async () => {
    await build();
    writeFileSync(file('wal.head'), readFileSync(file('wal.head'), 'utf8').replace(/"seq":30/, '"seq":31').replace(/"seq":29/, '"seq":28'));
    await expectRefused(/wal\.head is unreadable/);
  });

  it('one copy damaged: the other still holds the number before it, and the store opens', async () => {
    const all = await build();
    const text = readFileSync(file('wal.head'), 'utf8');
    writeFileSync(file('wal.head'), text.replace('"seq":30', '"seq":3x'));
    const before = filesOf();
    const s = open();
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
    expect(filesOf()).toEqual(before);
  });
});

describe('a torn last line that was never acknowledged', () => {
  /** Appends the start of write 31, as a writer killed inside its append leaves it. */
  function tear(complete: boolean): void {
    const next = readFileSync(file('wal.log'), 'utf8').split('\n').at(-2)!.replace('"s":30', '"s":31').replace('8030', '8031');
    writeFileSync(file('wal.log'), readFileSync(file('wal.log'), 'utf8') + (complete ? `${next}\n` : next.slice(0, 25)));
  }

  it.each([
    ['incomplete (no newline)', false],
    ['complete, failing its checksum, past the acknowledged writes', true],
  ])('%s: reads go around it without writing; the next write cuts it off', async (_what, complete) => {
    const all = await build();
    tear(complete);
    const torn = filesOf();
    let s = open();
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
    expect(await s.read((v) => v.get('cfg/app31'))).toBeUndefined();
    expect(filesOf()).toEqual(torn);
    // A second instance reads the same, also without writing.
    const other = open();
    expect(await other.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
    expect(filesOf()).toEqual(torn);

    await s.update((tx) => tx.put('after', 'tear'));
    expect(walLines()).toHaveLength(12);
    expect(readFileSync(file('wal.log'), 'utf8').endsWith('\n')).toBe(true);
    // The reader that saw the torn tail catches up across the cut.
    expect(await other.read((v) => v.get('after'))).toBe('tear');
    s.close();
    s = open();
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual({ ...all, after: 'tear' });
  });

  it('a complete unacknowledged write past the head is kept, and the next write acknowledges past it', async () => {
    const all = await build();
    // A writer killed after its fsync but before it updated wal.head: write 31 is whole.
    const s1 = open();
    await s1.update((tx) => tx.put('cfg/app31', 'whole'));
    s1.close();
    const head = readFileSync(file('wal.head'), 'utf8');
    writeFileSync(file('wal.head'), head.replace(/opsdeck-head [0-9a-f]{8} \{"seq":31\}/, (m) => m.replace('31', '29')));
    // That slot no longer passes its checksum, so the head reads 30: write 31 is past it.
    const s = open();
    expect(await s.read((v) => v.get('cfg/app31'))).toBe('whole');
    await s.update((tx) => tx.put('x', 1));
    s.close();
    const again = open();
    expect(await again.read((v) => Object.fromEntries(v.scan('')))).toEqual({ ...all, 'cfg/app31': 'whole', x: 1 });
  });
});

describe('a compaction cut short is not damage', () => {
  it('between the snapshot rename and the WAL rename: the old WAL next to the new snapshot', async () => {
    await build();
    const oldWal = readFileSync(file('wal.log'));
    // Compact: the next write goes over a one-byte threshold.
    let s = open(1);
    await s.update((tx) => tx.put('cfg/app31', 'last'));
    const all = await s.read((v) => Object.fromEntries(v.scan('')));
    s.close();
    expect(readFileSync(file('snapshot.json'), 'utf8')).toMatch(/^\{"format":2,"seq":31,/);
    expect(walLines()).toHaveLength(1); // the header only
    // Put back the WAL as it was before the compaction, plus write 31: what a kill between the
    // two renames leaves.
    writeFileSync(file('wal.log'), Buffer.concat([oldWal, Buffer.from(recordLine(31, all['cfg/app31']))]));
    s = open();
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
    await s.update((tx) => tx.put('cfg/app32', 'next'));
    s.close();
    s = open();
    expect(await s.read((v) => v.get('cfg/app32'))).toBe('next');
    expect(existsSync(file('snapshot.json'))).toBe(true);
  });
});

describe('a copy of a live data dir', () => {
  it('taken wal.head first and snapshot.json last, while writes and compactions go on, always opens with what it holds', async () => {
    const w = open(600);
    let n = 0;
    const put = () => w.update((tx) => tx.put(`k${n++}`, 'x'.repeat(40)));
    for (let copy = 0; copy < 60; copy++) {
      await put();
      const backup = join(t.root, `copy${copy}`);
      mkdirSync(backup);
      // A write between each file copy, so the files come from different moments.
      copyFileSync(file('wal.head'), join(backup, 'wal.head'));
      await put();
      copyFileSync(file('wal.log'), join(backup, 'wal.log'));
      await put();
      if (existsSync(file('snapshot.json'))) copyFileSync(file('snapshot.json'), join(backup, 'snapshot.json'));
      const r = KvStore.open(backup);
      const keys = await r.read((v) => v.scan('k').length);
      r.close();
      // It holds at least every write acknowledged before wal.head was copied.
      expect(keys).toBeGreaterThanOrEqual(n - 2);
    }
    expect(existsSync(file('snapshot.json'))).toBe(true);
  });
});

/** A WAL record line as the store writes it. */
function recordLine(seq: number, value: unknown): string {
  const json = JSON.stringify({ s: seq, p: { 'cfg/app31': value } });
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

describe('a process that stays open', () => {
  it('refuses while the files are damaged, and reads everything once they are restored', async () => {
    const all = await build();
    const s = open();
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
    const wal = readFileSync(file('wal.log'));
    // Cut the log at a line boundary under the running process.
    writeFileSync(file('wal.log'), wal.subarray(0, wal.lastIndexOf('\n', wal.length - 2) + 1));
    await expect(s.read((v) => v.get('cfg/app1'))).rejects.toThrow(/wal\.log ends at write 29, but writes up to 30 were acknowledged/);
    await expect(s.update((tx) => tx.put('x', 1))).rejects.toThrow(/wal\.log ends at write 29/);
    // Restored in place (same file, same inode): the store reads it all again.
    writeFileSync(file('wal.log'), wal);
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
    await s.update((tx) => tx.put('x', 1));
    expect(await s.read((v) => v.get('x'))).toBe(1);
  });

  it('a refusal while reloading leaves nothing half-read to serve later', async () => {
    const all = await build();
    const s = open();
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
    const wal = readFileSync(file('wal.log'));
    const snapshot = readFileSync(file('snapshot.json'));
    // The log shrinks under the process (so it reloads) and the snapshot is damaged.
    truncateSync(file('wal.log'), 0);
    writeFileSync(file('snapshot.json'), snapshot.toString('utf8').replace('port: 8003', 'port: 8903'));
    await expect(s.read((v) => v.get('cfg/app1'))).rejects.toThrow(/snapshot\.json fails its checksum/);
    // The log comes back, the snapshot is still damaged: still refused, never an empty store.
    writeFileSync(file('wal.log'), wal);
    await expect(s.read((v) => v.get('cfg/app1'))).rejects.toThrow(/snapshot\.json fails its checksum/);
    writeFileSync(file('snapshot.json'), snapshot);
    expect(await s.read((v) => Object.fromEntries(v.scan('')))).toEqual(all);
  });
});
