import type { LockView, LockWaiter } from '../../core/types.js';
import type { ConsEntry } from './four-letter.js';
import { decodeNodeData, ipOf, textOf } from './node-data.js';
import { sessionHex, type NodeStat } from './zk-client.js';
import { isoOrNull } from '../../core/iso-time.js';

/** One child of a lock znode, read with its data and stat. */
export interface ZNode {
  name: string;
  data: Buffer;
  stat: NodeStat;
}

/**
 * The recipes' child names. `_c_<uuid>-` is Curator's protection prefix (always used by its lock
 * recipes); the part after the lock name is the 10-digit sequence the server appended.
 */
const PROTECT = '(?:_c_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-)?';
const MUTEX = new RegExp(`^${PROTECT}lock-(-?\\d+)$`, 'i');
const RW = new RegExp(`^${PROTECT}__(READ|WRIT)__(-?\\d+)$`, 'i');
const LEASE = new RegExp(`^${PROTECT}lease-(-?\\d+)$`, 'i');

export type LayoutKind = 'mutex' | 'rwlock' | 'semaphore';

/** Decides from child names alone whether a znode is a lock, so a walk knows where to stop. */
export function classify(children: string[]): LayoutKind | null {
  if (children.some((c) => RW.test(c))) return 'rwlock';
  if (children.some((c) => MUTEX.test(c))) return 'mutex';
  if (children.includes('leases') && children.every((c) => c === 'leases' || c === 'locks')) return 'semaphore';
  return null;
}

export const isMutexNode = (name: string): boolean => MUTEX.test(name);

/** The sort key Curator uses: the sequence after the lock name. */
export function sequenceOf(name: string): number {
  const m = MUTEX.exec(name) ?? LEASE.exec(name);
  if (m) return Number(m[1]);
  const rw = RW.exec(name);
  return rw ? Number(rw[2]) : Number.NaN;
}

export const bySequence = (a: ZNode, b: ZNode): number => sequenceOf(a.name) - sequenceOf(b.name);

/** czxid as the lock's token: unique per created node, growing with every new holder (fencing). */
export function tokenOf(czxid: bigint): number | string {
  return czxid <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(czxid) : czxid.toString();
}

/** Who a node belongs to, as shown in the holder and waiter columns. */
export function ownerLabel(n: ZNode): string {
  const mine = decodeNodeData(n.data);
  if (mine) return mine.owner;
  if (n.stat.ephemeralOwner === 0n) return `persistent:${n.name}`;
  const sid = sessionHex(n.stat.ephemeralOwner);
  const ip = ipOf(n.data);
  if (ip) return `${sid}@${ip}`;
  const text = textOf(n.data);
  return text && text.length <= 64 && !/[\s,]/.test(text) ? `${sid}@${text}` : sid;
}

export interface Sessions {
  /** Session (ZooKeeper's hex form) → what `cons` says about its connection. */
  bySession: Map<string, ConsEntry> | null;
  /** Why client addresses are missing (4lw disabled or not whitelisted), shown with the lock. */
  note: string | null;
}

/** The per-node facts that go into details: the znode, its session, and where that session connects from. */
function nodeFacts(path: string, n: ZNode, s: Sessions) {
  const session = n.stat.ephemeralOwner === 0n ? null : sessionHex(n.stat.ephemeralOwner);
  const con = session ? s.bySession?.get(session) : undefined;
  const mine = decodeNodeData(n.data);
  return {
    node: `${path}/${n.name}`,
    session,
    client: con?.address ?? null,
    ip: ipOf(n.data),
    queuedAt: new Date(n.stat.ctime).toISOString(),
    czxid: n.stat.czxid.toString(),
    writtenBy: mine ? 'opsdeck' : ipOf(n.data) ? 'curator (default data)' : 'other',
  };
}

const waiter = (n: ZNode): LockWaiter => ({ owner: ownerLabel(n), since: new Date(n.stat.ctime).toISOString(), until: null });

export interface LockFacts {
  /** The lock name (path below the root) and its full znode path. */
  name: string;
  path: string;
  kind: LayoutKind;
  /** Mutex and read-write lock children. */
  nodes?: ZNode[];
  /** Semaphore: `leases/` and `locks/` children. */
  leases?: ZNode[];
  locks?: ZNode[];
}

/**
 * Builds the view of one Curator lock from what was read. Pure, so it is tested on data.
 * Returns null when nothing holds or waits (an empty lock znode Curator left behind).
 */
export function recognise(f: LockFacts, backend: string, now: number, sessions: Sessions): LockView | null {
  const base = { backend, name: f.name, acquiredAt: null, expiresAt: null, ttlMs: null, reentrancy: null } satisfies Partial<LockView>;
  const note: Record<string, string> = sessions.note ? { clientNote: sessions.note } : {};
  if (f.kind === 'semaphore') return semaphore(f, base, sessions, note);
  const nodes = [...(f.nodes ?? [])].filter((n) => !Number.isNaN(sequenceOf(n.name))).sort(bySequence);
  if (nodes.length === 0) return null;
  if (f.kind === 'mutex') {
    const [holder, ...rest] = nodes as [ZNode, ...ZNode[]];
    const mine = decodeNodeData(holder.data);
    let lease: Partial<LockView> = {};
    if (mine?.acquiredAt) {
      // The lease is the session timeout, counted from when the (abandoned) session last spoke.
      const expires = Date.parse(mine.acquiredAt) + mine.leaseMs;
      lease = { acquiredAt: mine.acquiredAt, expiresAt: isoOrNull(expires), ttlMs: Math.max(0, expires - now) };
    }
    return {
      ...base,
      ...lease,
      kind: 'curator-mutex',
      holder: ownerLabel(holder),
      reentrancy: mine ? mine.holds : null,
      waiters: rest.map(waiter),
      token: tokenOf(holder.stat.czxid),
      details: { ...nodeFacts(f.path, holder, sessions), version: holder.stat.version, queue: rest.map((n) => nodeFacts(f.path, n, sessions)), ...note },
    };
  }
  const { writer, readers, queue, isWrite } = rwSplit(nodes);
  const mode = writer ? 'write' : readers.length > 0 ? 'read' : null;
  const single = writer ?? (readers.length === 1 ? readers[0]! : null);
  return {
    ...base,
    kind: 'curator-rwlock',
    holder: writer ? ownerLabel(writer) : readers.map(ownerLabel).join(',') || null,
    waiters: queue.map(waiter),
    token: single ? tokenOf(single.stat.czxid) : null,
    details: {
      mode,
      writer: writer ? { owner: ownerLabel(writer), ...nodeFacts(f.path, writer, sessions), version: writer.stat.version } : null,
      readers: readers.map((n) => ({ owner: ownerLabel(n), ...nodeFacts(f.path, n, sessions), version: n.stat.version })),
      queue: queue.map((n) => ({ owner: ownerLabel(n), mode: isWrite(n) ? 'write' : 'read', ...nodeFacts(f.path, n, sessions) })),
      ...note,
    },
  };
}

function semaphore(f: LockFacts, base: Omit<LockView, 'kind' | 'holder' | 'waiters' | 'token'>, sessions: Sessions, note: Record<string, string>): LockView | null {
  const { leases, locks, waiting, holders } = semSplit(f);
  if (leases.length === 0 && locks.length === 0) return null;
  const queue = [...(waiting ? [waiting] : []), ...locks.slice(1)];
  return {
    ...base,
    kind: 'curator-semaphore',
    holder: holders.map(ownerLabel).join(',') || null,
    waiters: queue.map(waiter),
    token: holders.length === 1 ? tokenOf(holders[0]!.stat.czxid) : null,
    details: {
      leasesHeld: holders.length,
      // InterProcessSemaphoreV2 keeps maxLeases in its clients (or in a SharedCount elsewhere).
      maxLeases: null,
      leases: holders.map((n) => ({ owner: ownerLabel(n), ...nodeFacts(`${f.path}/leases`, n, sessions), version: n.stat.version })),
      queue: [
        ...(waiting ? [{ owner: ownerLabel(waiting), waitingFor: 'a free lease', ...nodeFacts(`${f.path}/leases`, waiting, sessions) }] : []),
        ...locks.slice(1).map((n) => ({ owner: ownerLabel(n), waitingFor: 'the semaphore mutex', ...nodeFacts(`${f.path}/locks`, n, sessions) })),
      ],
      note: 'maxLeases lives only in the clients; a lease is counted as waiting when its session also holds the locks/ mutex',
      ...note,
    },
  };
}

/**
 * Read-write lock: a writer holds if it is first; a reader holds if no writer sorts before it, or
 * if its session is the holding writer's (Curator lets the write holder take read locks too).
 */
function rwSplit(sorted: ZNode[]) {
  const isWrite = (n: ZNode) => RW.exec(n.name)?.[1]?.toUpperCase() === 'WRIT';
  const firstWrite = sorted.findIndex(isWrite);
  const writer = sorted[0] && isWrite(sorted[0]) ? sorted[0] : null;
  const readers = sorted.filter(
    (n, i) => !isWrite(n) && (firstWrite < 0 || i < firstWrite || (writer !== null && n.stat.ephemeralOwner === writer.stat.ephemeralOwner)),
  );
  const holding = writer ? [writer, ...readers] : readers;
  return { writer, readers, queue: sorted.filter((n) => !holding.includes(n)), isWrite };
}

/**
 * SemaphoreV2: a client takes a lease while holding the internal `locks/` mutex: it creates its
 * lease node and, if there are more leases than the limit, waits (still holding the mutex) for
 * one to go. So the newest lease, when it belongs to the session holding the mutex, is a waiter.
 */
function semSplit(f: LockFacts) {
  const leases = [...(f.leases ?? [])].filter((n) => LEASE.test(n.name)).sort(bySequence);
  const locks = [...(f.locks ?? [])].filter((n) => MUTEX.test(n.name)).sort(bySequence);
  const gate = locks[0];
  const newest = leases[leases.length - 1];
  const waiting = gate && newest && newest.stat.ephemeralOwner === gate.stat.ephemeralOwner && leases.length > 1 ? newest : null;
  return { leases, locks, waiting, holders: leases.filter((n) => n !== waiting) };
}

/** The nodes that hold the lock now, with the znode directory each lives in (for a force release). */
export function holdingNodes(f: LockFacts): Array<{ path: string; node: ZNode }> {
  const at = (dir: string) => (node: ZNode) => ({ path: `${dir}/${node.name}`, node });
  if (f.kind === 'semaphore') return semSplit(f).holders.map(at(`${f.path}/leases`));
  const sorted = [...(f.nodes ?? [])].filter((n) => !Number.isNaN(sequenceOf(n.name))).sort(bySequence);
  if (f.kind === 'mutex') return sorted.slice(0, 1).map(at(f.path));
  const { writer, readers } = rwSplit(sorted);
  return (writer ? [writer, ...readers] : readers).map(at(f.path));
}
