import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from './crc32.js';
import { storeDamaged } from './store-damage.js';
import { writeAll, writeDurably } from './durable-write.js';

export const HEAD = 'wal.head';

/**
 * `wal.head` holds the highest sequence number ever acknowledged, which the WAL and snapshot alone
 * cannot tell: a log cut at a line boundary looks exactly like a log that ended there. Every read
 * checks that the files still reach this number.
 *
 * Two copies, one per 512-byte sector (record N goes to slot N % 2), each with its own checksum:
 * a write torn by a power cut damages at most the copy being written, and the other still holds
 * the number before it. A copy is `opsdeck-head <crc32 hex> {"seq":N}`, padded with spaces.
 */
const SLOT = 512;

function slotText(seq: number): string {
  const json = JSON.stringify({ seq });
  return `opsdeck-head ${crc32(json).toString(16).padStart(8, '0')} ${json}`.padEnd(SLOT - 1, ' ') + '\n';
}

/** The acknowledged seq, or null when there is no head file (a new store, or the first format). */
export function readHead(dir: string): number | null {
  let buf: Buffer;
  try {
    buf = readFileSync(join(dir, HEAD));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let best: number | null = null;
  for (let at = 0; at + SLOT <= buf.length; at += SLOT) {
    const m = /^opsdeck-head ([0-9a-f]{8}) (\{"seq":(\d{1,16})\}) *\n$/.exec(buf.toString('latin1', at, at + SLOT));
    if (!m || crc32(m[2]!).toString(16).padStart(8, '0') !== m[1]) continue;
    const seq = Number(m[3]);
    if (Number.isSafeInteger(seq) && (best === null || seq > best)) best = seq;
  }
  if (best === null) throw storeDamaged(dir, `${HEAD} is unreadable (neither copy of the last acknowledged sequence number passes its checksum)`);
  return best;
}

/** Creates the head file durably with both copies at seq. */
export function createHead(dir: string, seq: number): void {
  writeDurably(dir, HEAD, slotText(seq) + slotText(seq));
}

/**
 * Records seq as acknowledged, in place, after its WAL line was fsynced. Not fsynced itself: a
 * killed process leaves it in the page cache, which every later process reads; after a power cut
 * it may be older than the WAL, which only weakens the check, never fails a good store (the WAL
 * line it names was already on disk before this write began).
 */
export function writeHead(dir: string, seq: number): void {
  const fd = openSync(join(dir, HEAD), 'r+');
  try {
    writeAll(fd, Buffer.from(slotText(seq)), (seq % 2) * SLOT);
  } finally {
    closeSync(fd);
  }
}
