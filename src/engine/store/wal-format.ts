import { crc32 } from './crc32.js';

/** One committed transaction: its sequence number, puts and deletes. */
export interface WalRecord {
  s: number;
  p?: Record<string, unknown>;
  d?: string[];
}

/** The first line of a format-2 WAL: which snapshot it continues. */
export interface WalHeader {
  format: number;
  /** The snapshot seq this WAL continues; its first record is base + 1. */
  base: number;
  /** That snapshot's checksum, or null when the WAL starts a store with no snapshot. */
  snapshot: string | null;
}

const HEADER_MAGIC = 'opsdeck-wal ';

/** `<crc32 hex> <json>`: the checksum covers the JSON text. */
export function encodeRecord(record: WalRecord): string {
  const json = JSON.stringify(record);
  return `${hex(crc32(json))} ${json}\n`;
}

/**
 * `opsdeck-wal 2 <crc32 hex> {"base":S,"snapshot":H}`. The word in front keeps the first-format
 * reader of older opsdeck versions from taking the header for a record: they refuse the file
 * instead of misreading it.
 */
export function encodeWalHeader(base: number, snapshot: string | null): string {
  const json = JSON.stringify({ base, snapshot });
  return `${HEADER_MAGIC}2 ${hex(crc32(json))} ${json}\n`;
}

export function isWalHeader(line: string): boolean {
  return line.startsWith(HEADER_MAGIC);
}

/** The header's fields, or null when the line fails its checksum or shape. */
export function parseWalHeader(line: string): WalHeader | null {
  const m = /^opsdeck-wal (\d{1,6}) ([0-9a-f]{8}) (\{.*\})$/.exec(line);
  if (!m || hex(crc32(m[3]!)) !== m[2]) return null;
  const v = parseJson(m[3]!) as { base?: unknown; snapshot?: unknown } | undefined;
  if (typeof v !== 'object' || v === null) return null;
  if (!isSeq(v.base)) return null;
  if (v.snapshot !== null && !(typeof v.snapshot === 'string' && /^[0-9a-f]{64}$/.test(v.snapshot))) return null;
  return { format: Number(m[1]), base: v.base, snapshot: v.snapshot };
}

/** The record on a line (without its newline), or null when it fails its checksum or shape. */
export function parseRecord(line: string): WalRecord | null {
  if (line.length < 10 || line[8] !== ' ') return null;
  const json = line.slice(9);
  if (hex(crc32(json)) !== line.slice(0, 8)) return null;
  const r = parseJson(json) as WalRecord | undefined;
  if (typeof r !== 'object' || r === null || Array.isArray(r) || !isSeq(r.s) || r.s < 1) return null;
  if (r.p !== undefined && (typeof r.p !== 'object' || r.p === null || Array.isArray(r.p))) return null;
  if (r.d !== undefined && !(Array.isArray(r.d) && r.d.every((k) => typeof k === 'string'))) return null;
  return r;
}

export function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
