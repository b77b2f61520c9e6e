import type { LockView } from '../../core/types.js';
import { leaseHex, printable, type Kv } from './codec.js';
import { isoOrNull } from '../../core/iso-time.js';

/**
 * The etcd concurrency mutex layout (client/v3/concurrency, also what the server's lock service
 * and `etcdctl lock` use): each contender puts `<name>/<lease id in hex>` on its session lease;
 * the key with the lowest create_revision holds the lock, the others wait in create_revision
 * order, each watching its predecessor's delete. Pure: tested on data.
 */
export const KIND = 'etcd-mutex';

/** Longest holder/waiter label shown; owner ids are short, a huge value is not one. */
const LABEL_MAX = 200;

export interface Contender {
  kv: Kv;
  /** The key's last segment, equal to its lease id in hex. */
  hex: string;
  /** What the user sees as the holder: the value when it is printable text (opsdeck stores the owner there), else the lease id. */
  label: string;
}

/** The lock name of a key (without the profile prefix), or null when the key is not a contender key. */
export function lockNameOf(kv: Kv, profilePrefix: Buffer): string | null {
  if (!kv.key.subarray(0, profilePrefix.length).equals(profilePrefix)) return null;
  const rest = kv.key.subarray(profilePrefix.length).toString('utf8');
  const slash = rest.lastIndexOf('/');
  if (slash < 0) return null;
  return isContenderKey(kv, rest.slice(slash + 1)) ? rest.slice(0, slash) : null;
}

/** A contender for exactly `namePrefix` (`<name>/`): one more segment, which is the key's own lease in hex. */
export function contenderOf(kv: Kv, namePrefix: Buffer): Contender | null {
  if (!kv.key.subarray(0, namePrefix.length).equals(namePrefix)) return null;
  const tail = kv.key.subarray(namePrefix.length).toString('utf8');
  if (!isContenderKey(kv, tail)) return null;
  const text = printable(kv.value);
  const label = text === null ? tail : text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX)}…` : text;
  return { kv, hex: tail, label };
}

function isContenderKey(kv: Kv, tail: string): boolean {
  // The lease check keeps a plain key that merely ends in hex (a config value, say) out.
  return kv.lease !== '0' && /^-?[0-9a-f]+$/.test(tail) && leaseHex(kv.lease) === tail;
}

/** Contenders in the order the store serves them: by create_revision. */
export function contendersOf(kvs: Kv[], namePrefix: Buffer): Contender[] {
  return kvs
    .map((kv) => contenderOf(kv, namePrefix))
    .filter((c): c is Contender => c !== null)
    .sort((a, b) => a.kv.createRevision - b.kv.createRevision);
}

/** Whether `owner` names this contender: its stored owner id or its lease id in hex. */
export function isOwnedBy(c: Contender, owner: string): boolean {
  return c.hex === owner || (c.kv.value.length > 0 && c.kv.value.equals(Buffer.from(owner, 'utf8')));
}

export interface LeaseFacts {
  /** Seconds left, or -1 when the lease is gone. */
  ttlS: number;
  grantedTtlS: number | null;
}

export function mutexView(backend: string, name: string, contenders: Contender[], lease: LeaseFacts | null, now: number, truncated: boolean): LockView | null {
  const [holder, ...waiters] = contenders;
  if (!holder) return null;
  const alive = lease !== null && lease.ttlS >= 0;
  return {
    backend,
    name,
    kind: KIND,
    holder: holder.label,
    // etcd keeps no wall-clock time on keys or leases; the revision orders contenders but dates nothing.
    acquiredAt: null,
    expiresAt: alive ? isoOrNull(now + lease.ttlS * 1000) : null,
    ttlMs: alive ? lease.ttlS * 1000 : null,
    reentrancy: null,
    waiters: waiters.map((w) => ({ owner: w.label, since: null, until: null })),
    token: holder.kv.createRevision,
    details: {
      key: holder.kv.key.toString('utf8'),
      lease: holder.hex,
      leaseId: holder.kv.lease,
      createRevision: holder.kv.createRevision,
      modRevision: holder.kv.modRevision,
      grantedTtlS: lease?.grantedTtlS ?? null,
      ...(alive ? {} : { leaseState: 'expired or revoked; the key goes with it' }),
      acquiredAt: 'not stored: etcd records no timestamps; create_revision only orders the contenders',
      ...(waiters.length > 0 ? { waiterLeases: waiters.map((w) => w.hex) } : {}),
      ...(truncated ? { truncated: 'more contenders than opsdeck reads at once; the waiter list is cut short' } : {}),
    },
  };
}
