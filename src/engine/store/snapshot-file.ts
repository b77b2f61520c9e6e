import { readFileSync } from 'node:fs';
import { digestHex } from '../../lib/hash.js';
import { storeDamaged, storeTooNew } from './store-damage.js';

export interface Snapshot {
  /** 1: the first format, no checksum (read for migration only); 2: the current one. */
  format: 1 | 2;
  /** Every write up to this sequence number is in data. */
  seq: number;
  /** The checksum the WAL header names when it continues this snapshot; null for format 1. */
  sha256: string | null;
  data: Record<string, unknown>;
}

const PREFIX = /^\{"format":2,"seq":(\d{1,16}),"sha256":"([0-9a-f]{64})","data":/;

/**
 * Format 2, still one JSON document so it can be inspected with jq:
 * `{"format":2,"seq":S,"sha256":H,"data":D}` and a newline. H is the SHA-256 of the seq and the
 * exact bytes of D, so a changed byte anywhere in the data or the seq is detected before the data
 * is used. The fields come in this fixed order, which is how the reader finds D's bytes.
 */
export function encodeSnapshot(seq: number, data: Record<string, unknown>): { text: string; sha256: string } {
  const body = JSON.stringify(data);
  const sha256 = digest(seq, Buffer.from(body));
  return { text: `{"format":2,"seq":${seq},"sha256":"${sha256}","data":${body}}\n`, sha256 };
}

/** Reads and checks the snapshot; null when there is none. Refuses one that is damaged. */
export function readSnapshot(dir: string, path: string): Snapshot | null {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const m = PREFIX.exec(buf.toString('latin1', 0, Math.min(buf.length, 160)));
  if (m) {
    const seq = Number(m[1]);
    const end = buf.length - 2;
    if (buf.toString('latin1', end) !== '}\n') throw storeDamaged(dir, 'snapshot.json is cut short (it does not end where opsdeck ends it)');
    const body = buf.subarray(m[0].length, end);
    if (!Number.isSafeInteger(seq) || digest(seq, body) !== m[2]) throw storeDamaged(dir, 'snapshot.json fails its checksum (its content changed after opsdeck wrote it)');
    const data = parseJson(body.toString('utf8'));
    if (!isPlainObject(data)) throw storeDamaged(dir, 'snapshot.json holds no key map');
    return { format: 2, seq, sha256: m[2], data };
  }
  // Not the current format: the first format (plain JSON, no checksum), or damage.
  const doc = parseJson(buf.toString('utf8'));
  if (!isPlainObject(doc)) throw storeDamaged(dir, 'snapshot.json is unreadable (not a JSON object as opsdeck writes it)');
  if (typeof doc.format === 'number' && Number.isInteger(doc.format) && doc.format > 2) throw storeTooNew(dir, 'snapshot.json', doc.format);
  if (doc.format === 2) throw storeDamaged(dir, 'snapshot.json is not laid out as opsdeck writes it, so its checksum cannot be checked (was it reformatted?)');
  if (doc.format !== 1) throw storeDamaged(dir, 'snapshot.json is not an opsdeck snapshot (no known format)');
  if (!Number.isSafeInteger(doc.seq) || (doc.seq as number) < 0) throw storeDamaged(dir, 'snapshot.json has no valid sequence number');
  if (!isPlainObject(doc.data)) throw storeDamaged(dir, 'snapshot.json holds no key map');
  return { format: 1, seq: doc.seq as number, sha256: null, data: doc.data };
}

function digest(seq: number, body: Buffer): string {
  return digestHex('sha256', `opsdeck-snapshot ${seq}\n`, body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
