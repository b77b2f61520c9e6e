import { crc32 } from 'node:zlib';
import type { FamilyMetadata } from './exposition-parser.js';
import type { SealedChunk } from './xor-chunk.js';

/**
 * The on-disk record format of the metrics store, shared by snapshots and WAL segments:
 *
 *   file   = MAGIC record*
 *   record = u32 payloadLength, u32 crc32(payload), payload
 *   payload = u32 nDefs  { u32 ref, u32 len, labels key (UTF-8 JSON) }
 *             u32 nChunks { u32 ref, f64 minT, f64 maxT, u32 count, u32 len, chunk bytes }
 *             u32 len, metadata JSON ({family: {type, help, unit}})
 *
 * A series is defined once per file (refs are per file), so a file is read from its start. A
 * record is whole or ignored: a torn or corrupted record ends what is read of that file.
 */

export const MAGIC = Buffer.from('OPSDECK-METRICS-1\n');

export interface RecordBody {
  defs: Array<{ ref: number; key: string }>;
  chunks: Array<{ ref: number; chunk: SealedChunk }>;
  metadata: Record<string, FamilyMetadata>;
}

export function encodeRecord(body: RecordBody): Buffer {
  const defs = body.defs.map((d) => ({ ref: d.ref, key: Buffer.from(d.key) }));
  const meta = Buffer.from(Object.keys(body.metadata).length > 0 ? JSON.stringify(body.metadata) : '');
  let size = 4 + 4 + 4;
  for (const d of defs) size += 8 + d.key.length;
  for (const c of body.chunks) size += 4 + 16 + 8 + c.chunk.bytes.length;
  size += meta.length;
  const out = Buffer.alloc(8 + size);
  let o = 8;
  o = out.writeUInt32LE(defs.length, o);
  for (const d of defs) {
    o = out.writeUInt32LE(d.ref, o);
    o = out.writeUInt32LE(d.key.length, o);
    o += d.key.copy(out, o);
  }
  o = out.writeUInt32LE(body.chunks.length, o);
  for (const { ref, chunk } of body.chunks) {
    o = out.writeUInt32LE(ref, o);
    o = out.writeDoubleLE(chunk.minT, o);
    o = out.writeDoubleLE(chunk.maxT, o);
    o = out.writeUInt32LE(chunk.count, o);
    o = out.writeUInt32LE(chunk.bytes.length, o);
    out.set(chunk.bytes, o);
    o += chunk.bytes.length;
  }
  o = out.writeUInt32LE(meta.length, o);
  meta.copy(out, o);
  out.writeUInt32LE(size, 0);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

export interface ReadRecords {
  records: RecordBody[];
  /** Bytes up to the end of the last whole, valid record (where a reader resumes). */
  validEnd: number;
  /** Why reading stopped before the end, when it did: a torn tail or damage. */
  problem?: string;
}

/** Reads the records of buf from offset (after MAGIC for a fresh file: pass MAGIC.length). */
export function decodeRecords(buf: Buffer, offset: number): ReadRecords {
  const records: RecordBody[] = [];
  let o = offset;
  while (o < buf.length) {
    if (buf.length - o < 8) return { records, validEnd: o, problem: 'a record header is cut short' };
    const size = buf.readUInt32LE(o);
    const crc = buf.readUInt32LE(o + 4);
    if (buf.length - o - 8 < size) return { records, validEnd: o, problem: 'a record is cut short' };
    const payload = buf.subarray(o + 8, o + 8 + size);
    if (crc32(payload) !== crc) return { records, validEnd: o, problem: 'a record fails its checksum' };
    try {
      records.push(decodePayload(payload));
    } catch {
      return { records, validEnd: o, problem: 'a record is malformed' };
    }
    o += 8 + size;
  }
  return { records, validEnd: o };
}

function decodePayload(p: Buffer): RecordBody {
  let o = 0;
  const defs: RecordBody['defs'] = [];
  const nDefs = p.readUInt32LE(o);
  o += 4;
  for (let i = 0; i < nDefs; i++) {
    const ref = p.readUInt32LE(o);
    const len = p.readUInt32LE(o + 4);
    o += 8;
    defs.push({ ref, key: p.toString('utf8', o, o + len) });
    o += len;
  }
  const chunks: RecordBody['chunks'] = [];
  const nChunks = p.readUInt32LE(o);
  o += 4;
  for (let i = 0; i < nChunks; i++) {
    const ref = p.readUInt32LE(o);
    const minT = p.readDoubleLE(o + 4);
    const maxT = p.readDoubleLE(o + 12);
    const count = p.readUInt32LE(o + 20);
    const len = p.readUInt32LE(o + 24);
    o += 28;
    if (o + len > p.length) throw new Error('chunk past the record');
    chunks.push({ ref, chunk: { minT, maxT, count, bytes: new Uint8Array(p.subarray(o, o + len)) } });
    o += len;
  }
  const metaLen = p.readUInt32LE(o);
  o += 4;
  const metadata = metaLen > 0 ? (JSON.parse(p.toString('utf8', o, o + metaLen)) as Record<string, FamilyMetadata>) : {};
  return { defs, chunks, metadata };
}
