/**
 * What opsdeck writes as the data of its lock nodes. Curator writes the client's IP address there
 * by default and never reads it back (only `__REVOKE__` means something to it), so opsdeck is free
 * to store its own facts: the owner id, the hold count for reentrancy, and the lease.
 */
export interface OpsdeckNodeData {
  owner: string;
  holds: number;
  /** The session timeout the server granted, which is the lease. */
  leaseMs: number;
  /** Set once the node is the lowest, i.e. when the lock was taken. */
  acquiredAt: string | null;
}

const MARK = 'opsdeck-lock';

export function encodeNodeData(d: OpsdeckNodeData): Buffer {
  return Buffer.from(JSON.stringify({ [MARK]: 1, ...d }), 'utf8');
}

export function decodeNodeData(data: Buffer): OpsdeckNodeData | null {
  if (data.length === 0 || data.length > 64 * 1024 || data[0] !== 0x7b) return null;
  try {
    const o = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    if (o[MARK] !== 1 || typeof o.owner !== 'string') return null;
    return {
      owner: o.owner,
      holds: typeof o.holds === 'number' && o.holds > 0 ? o.holds : 1,
      leaseMs: typeof o.leaseMs === 'number' ? o.leaseMs : 0,
      acquiredAt: typeof o.acquiredAt === 'string' ? o.acquiredAt : null,
    };
  } catch {
    return null;
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}(%[\w.-]+)?$/i;

/** Curator's default node data: the client's IP address as ASCII. */
export function ipOf(data: Buffer): string | null {
  if (data.length === 0 || data.length > 64) return null;
  const s = data.toString('latin1');
  return IPV4.test(s) || IPV6.test(s) ? s : null;
}

/** Node data an application set itself, when it is short printable text worth showing. */
export function textOf(data: Buffer): string | null {
  if (data.length === 0 || data.length > 256) return null;
  const s = data.toString('utf8');
  return /^[\x20-\x7e\u00a0-\uffff]+$/.test(s) && !s.includes('\ufffd') ? s : null;
}
