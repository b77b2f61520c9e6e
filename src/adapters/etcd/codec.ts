/**
 * The gateway's JSON encodes keys and values as base64 and 64-bit numbers as decimal strings.
 * Keys stay Buffers until the end so binary keys and range ends are exact.
 */
export interface RawKv {
  key: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
  lease?: string;
}

export interface Kv {
  /** How many times the key was written since it was created (1 = its creation); 0 in a delete event. */
  version: number;
  key: Buffer;
  value: Buffer;
  createRevision: number;
  modRevision: number;
  /** Decimal lease id; "0" when the key has no lease. */
  lease: string;
}

export const b64 = (b: Buffer | string): string => (typeof b === 'string' ? Buffer.from(b, 'utf8') : b).toString('base64');

export function decodeKv(r: RawKv): Kv {
  return {
    key: Buffer.from(r.key, 'base64'),
    value: Buffer.from(r.value ?? '', 'base64'),
    createRevision: Number(r.create_revision ?? 0),
    modRevision: Number(r.mod_revision ?? 0),
    version: Number(r.version ?? 0),
    lease: r.lease ?? '0',
  };
}

/** How etcd's concurrency package names a contender: the lease id as Go's %x prints an int64. */
export function leaseHex(lease: string): string {
  return BigInt(lease).toString(16);
}

/** The range end that covers every key starting with `prefix` (etcd's clientv3.GetPrefixRangeEnd). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  // All 0xff (or empty): "every key from here on", spelled as a single zero byte.
  return Buffer.from([0]);
}

/** Text for a value when it is printable UTF-8, else null (binary values are not owner ids). */
export function printable(value: Buffer): string | null {
  if (value.length === 0) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    return null;
  }
  return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text) ? null : text;
}
