import { randomUUID } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import { notFound, OpsError, usage } from '../../core/errors.js';
import { refused } from '../../core/lock-refusal.js';
import type { AcquireOptions, ForceExpectation, ListOptions, LockBackend } from '../../core/subsystems.js';
import type { AcquireResult, LockView, ReleaseResult } from '../../core/types.js';
import { bySequence, classify, holdingNodes, isMutexNode, ownerLabel, recognise, tokenOf, type LayoutKind, type LockFacts, type ZNode } from './layouts.js';
import { decodeNodeData, encodeNodeData, type OpsdeckNodeData } from './node-data.js';
import type { ZkOptions } from './options.js';
import { SessionDirectory } from './sessions.js';
import { mapZkError, ZkSession } from './zk-client.js';
import { isoOrNull } from '../../core/iso-time.js';
import { wakeOrTimeout } from '../../core/on-abort.js';

/** Most children read per lock znode: a lock with more contenders than this is shown in part. */
const MAX_CHILDREN = 1000;
/** znodes asked at once while walking or reading (ZooKeeper pipelines them on one connection). */
const BATCH = 32;

/**
 * Locks in ZooKeeper in Apache Curator's layouts: forensics for InterProcessMutex,
 * InterProcessReadWriteLock and InterProcessSemaphoreV2, and Curator-compatible mutex writes.
 * A lock opsdeck takes lives in a session of its own whose timeout is the lease: once the lock is
 * taken opsdeck drops that connection without closing the session, so the server deletes the
 * node when the lease runs out (or when someone releases it first).
 */
export class ZkLocks implements LockBackend {
  readonly name: string;
  private readonly directory: SessionDirectory;
  /** Sessions of acquires still in progress; dispose ends them so their queued nodes go. */
  private readonly pending = new Set<ZkSession>();
  private opening: Promise<ZkSession> | null = null;

  constructor(private readonly o: ZkOptions, private reader: ZkSession) {
    this.name = o.name;
    this.directory = new SessionDirectory(o);
  }

  /** opsdeck's reading session, opened again if the old one expired (a long-running console). */
  async session(): Promise<ZkSession> {
    if (this.reader.usable) return this.reader;
    this.opening ??= ZkSession.open(this.o.connect, this.o).finally(() => (this.opening = null));
    this.reader = await this.opening;
    return this.reader;
  }

  pathOf(name: string): string {
    if (name === '' || name.startsWith('/') || name.endsWith('/') || name.includes('//') || name.includes('\0')) {
      throw usage(`"${name}" is not a lock name for ZooKeeper`, `names are paths below ${this.o.root}, such as orders or deploy/orders`);
    }
    return this.o.root === '/' ? `/${name}` : `${this.o.root}/${name}`;
  }

  private nameOf(path: string): string {
    return this.o.root === '/' ? path.slice(1) : path.slice(this.o.root.length + 1);
  }

  private async readNodes(s: ZkSession, dir: string, names?: string[]): Promise<ZNode[]> {
    const all = names ?? (await s.children(dir)) ?? [];
    const out: ZNode[] = [];
    for (let i = 0; i < Math.min(all.length, MAX_CHILDREN); i += BATCH) {
      const got = await Promise.all(all.slice(i, Math.min(i + BATCH, MAX_CHILDREN)).map(async (name) => ({ name, r: await s.read(`${dir}/${name}`) })));
      // A node can go between listing and reading: it was released meanwhile.
      for (const { name, r } of got) if (r) out.push({ name, data: r.data, stat: r.stat });
    }
    return out;
  }

  /** Reads one lock znode: its recipe, from child names, then the children that matter. */
  async facts(s: ZkSession, name: string, path: string, known?: { kind: LayoutKind; children: string[] }): Promise<LockFacts | null> {
    const children = known?.children ?? (await s.children(path));
    if (!children) return null;
    const kind = known?.kind ?? classify(children);
    if (!kind) return null;
    if (kind === 'semaphore') {
      const [leases, locks] = await Promise.all([this.readNodes(s, `${path}/leases`), this.readNodes(s, `${path}/locks`)]);
      return { name, path, kind, leases, locks };
    }
    const relevant = children.filter((c) => kind === 'rwlock' || isMutexNode(c)).sort((a, b) => bySequence({ name: a } as ZNode, { name: b } as ZNode));
    return { name, path, kind, nodes: await this.readNodes(s, path, relevant) };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<LockView[]> {
    return this.guard(async () => {
      const s = await this.session();
      const started = Date.now();
      // Start below the root at the deepest folder the prefix names, so a narrow prefix reads little.
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const start = folder === '' ? this.o.root : this.pathOf(folder);
      const found: Array<{ name: string; path: string; kind: LayoutKind; children: string[] }> = [];
      let level = [start];
      let visited = 0;
      let depth = 0;
      let cut: string | null = null;
      while (level.length > 0 && cut === null) {
        const next: string[] = [];
        for (let i = 0; i < level.length && cut === null; i += BATCH) {
          this.checkCancelled(opts.signal);
          const batch = level.slice(i, i + BATCH);
          const kids = await Promise.all(batch.map((p) => s.children(p)));
          visited += batch.length;
          opts.onProgress?.(visited);
          batch.forEach((path, j) => {
            const children = kids[j];
            if (!children) return;
            const kind = path === this.o.root ? null : classify(children);
            if (kind) found.push({ name: this.nameOf(path), path, kind, children });
            else if (depth < this.o.maxDepth) {
              for (const c of children.sort()) {
                const child = path === '/' ? `/${c}` : `${path}/${c}`;
                const name = this.nameOf(child);
                // Only folders that can hold a name with this prefix.
                if (name.startsWith(prefix) || prefix.startsWith(`${name}/`)) next.push(child);
              }
            }
          });
          if (visited + next.length > this.o.maxNodes) cut = `${this.o.maxNodes}-znode bound`;
          else if (Date.now() - started > this.o.listTimeMs) cut = `${this.o.listTimeMs} ms time bound`;
        }
        if (cut === null && next.length > 0 && depth + 1 > this.o.maxDepth) cut = `depth bound of ${this.o.maxDepth}`;
        level = next;
        depth++;
      }
      if (cut !== null) opts.onIncomplete?.(`stopped by the ${cut} after ${visited} znodes`, cut.includes('time') ? 'time' : 'limit');
      const sessions = await this.directory.get();
      const now = Date.now();
      const views: LockView[] = [];
      const todo = found.filter((f) => f.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
      for (let i = 0; i < todo.length; i += BATCH) {
        this.checkCancelled(opts.signal);
        const facts = await Promise.all(todo.slice(i, i + BATCH).map((f) => this.facts(s, f.name, f.path, f)));
        for (const f of facts) {
          const v = f && recognise(f, this.name, now, sessions);
          if (v) views.push(v);
        }
      }
      return views;
    });
  }

  async inspect(name: string): Promise<LockView | null> {
    return this.guard(async () => {
      const s = await this.session();
      const [f, sessions] = await Promise.all([this.facts(s, name, this.pathOf(name)), this.directory.get()]);
      return f && recognise(f, this.name, Date.now(), sessions);
    });
  }

  async tryAcquire(name: string, opts: AcquireOptions): Promise<AcquireResult> {
    const path = this.pathOf(name);
    return this.guard(async () => {
      const again = await this.reenter(name, path, opts.owner);
      if (again) return again;
      return this.contend(name, path, opts);
    });
  }

  /** Reentrancy: when this owner already holds the lock, count one more hold on its node. */
  private async reenter(name: string, path: string, owner: string): Promise<AcquireResult | null> {
    const s = await this.session();
    for (;;) {
      const f = await this.facts(s, name, path);
      if (f && f.kind !== 'mutex') {
        throw usage(`${name} is a Curator ${f.kind === 'rwlock' ? 'read-write lock' : 'semaphore'}; opsdeck takes only mutexes`, 'take it from the application, or use another name');
      }
      const held = f ? holdingNodes(f)[0] : undefined;
      const mine = held ? decodeNodeData(held.node.data) : null;
      if (!held || !mine || mine.owner !== owner) return null;
      if (await s.setData(held.path, encodeNodeData({ ...mine, holds: mine.holds + 1 }), held.node.stat.version)) {
        return { name, holder: owner, token: tokenOf(held.node.stat.czxid), expiresAt: leaseEnd(mine) };
      }
      // The node changed (or went) under us: look again.
    }
  }

  /** Queues like a Curator client: an ephemeral sequential node, then wait for the one before it to go. */
  private async contend(name: string, path: string, opts: AcquireOptions): Promise<AcquireResult> {
    const lease = await ZkSession.open(this.o.connect, { ...this.o, sessionTimeoutMs: opts.ttlMs });
    this.pending.add(lease);
    let kept = false;
    try {
      if (lease.timeoutMs < opts.ttlMs) {
        throw refused({
          reason: 'ttl-too-long',
          name,
          maxTtlMs: lease.timeoutMs,
          why: `ZooKeeper grants sessions of at most ${lease.timeoutMs} ms (its maxSessionTimeout), and an opsdeck lease is a session`,
          serverSetting: 'maxSessionTimeout',
        });
      }
      const data: OpsdeckNodeData = { owner: opts.owner, holds: 1, leaseMs: lease.timeoutMs, acquiredAt: null };
      const created = await this.createNode(lease, path, encodeNodeData(data));
      const me = created.slice(created.lastIndexOf('/') + 1);
      const deadline = Date.now() + Math.max(0, opts.waitMs);
      for (;;) {
        const line = ((await lease.children(path)) ?? []).filter(isMutexNode).map((n) => ({ name: n }) as ZNode).sort(bySequence);
        const at = line.findIndex((n) => n.name === me);
        if (at < 0) throw new OpsError('failed', `the queue node for lock ${name} disappeared while waiting`, 'someone deleted it, or the session ended; try again');
        if (at === 0) break;
        if (opts.signal?.aborted) throw new OpsError('failed', `gave up waiting for lock ${name}`, 'the wait was cancelled');
        if (Date.now() >= deadline) {
          await lease.close();
          const seen = await this.inspect(name);
          throw refused({ reason: 'held', name, holder: seen?.holder ?? null, token: seen?.token ?? null, expiresAt: seen?.expiresAt ?? null, waited: opts.waitMs > 0 });
        }
        await this.waitGone(lease, `${path}/${line[at - 1]!.name}`, deadline, opts.signal);
      }
      // The lease runs from the last word the session sends, which is this write.
      const now = await lease.read(created);
      if (!now) throw new OpsError('failed', `the node for lock ${name} disappeared as it was taken`, 'try again');
      const acquiredAt = new Date().toISOString();
      if (!(await lease.setData(created, encodeNodeData({ ...data, acquiredAt }), now.stat.version))) {
        throw new OpsError('failed', `the node for lock ${name} changed as it was taken`, `look with "opsdeck locks show ${name}"`);
      }
      lease.abandon();
      kept = true;
      return { name, holder: opts.owner, token: tokenOf(now.stat.czxid), expiresAt: leaseEnd({ ...data, acquiredAt }) };
    } finally {
      this.pending.delete(lease);
      // Closing the session deletes the queue node, so a failed or cancelled wait leaves no trace.
      if (!kept) await lease.close();
    }
  }

  private async createNode(s: ZkSession, path: string, data: Buffer): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      await s.mkdirs(path);
      try {
        return await s.create(`${path}/_c_${randomUUID()}-lock-`, data, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL);
      } catch (e) {
        // The server removes empty container parents Curator made; make them again, once.
        if (attempt > 0 || (e as { getCode?(): number }).getCode?.() !== zookeeper.Exception.NO_NODE) throw e;
      }
    }
  }

  /** Waits until a znode goes (or changes), the deadline passes, or the wait is cancelled. */
  private async waitGone(s: ZkSession, path: string, deadline: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return;
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let failure: unknown = null;
    s.exists(path, () => wake()).then(
      (stat) => (stat ? undefined : wake()),
      (e: unknown) => ((failure = e), wake()),
    );
    await wakeOrTimeout(woken, Math.max(0, deadline - Date.now()), signal);
    if (failure !== null) throw failure;
  }

  async release(name: string, owner: string): Promise<ReleaseResult> {
    const path = this.pathOf(name);
    return this.guard(async () => {
      const s = await this.session();
      for (;;) {
        const f = await this.facts(s, name, path);
        const held = f ? holdingNodes(f) : [];
        if (!f || held.length === 0) throw notFound(`lock ${name} is not held`, 'nothing to release; "opsdeck locks list" shows the held locks');
        const top = held[0]!;
        const mine = f.kind === 'mutex' ? decodeNodeData(top.node.data) : null;
        if (!mine || mine.owner !== owner) {
          const holder = held.map((h) => ownerLabel(h.node)).join(',');
          throw refused({ reason: 'not-holder', name, holder, owner, foreign: !mine });
        }
        if (mine.holds > 1) {
          if (await s.setData(top.path, encodeNodeData({ ...mine, holds: mine.holds - 1 }), top.node.stat.version)) {
            return { name, released: true, remaining: mine.holds - 1, forced: false, previousHolder: owner };
          }
        } else if (await s.remove(top.path, top.node.stat.version)) {
          return { name, released: true, remaining: 0, forced: false, previousHolder: owner };
        }
        // Changed between reading and writing: look again.
      }
    });
  }

  /**
   * Deletes the holder's node only if it is still the node the user was shown (same holder, same
   * czxid, unchanged version). Curator's next waiter watches that node, so it takes the lock at once.
   */
  async forceRelease(name: string, expected: ForceExpectation): Promise<ReleaseResult> {
    const path = this.pathOf(name);
    return this.guard(async () => {
      const s = await this.session();
      const f = await this.facts(s, name, path);
      const held = f ? holdingNodes(f) : [];
      if (!f || held.length === 0) throw notFound(`lock ${name} is not held`, 'nothing to release');
      const holder = held.map((h) => ownerLabel(h.node)).join(',');
      if (expected.holder !== null && holder !== expected.holder) {
        throw refused({ reason: 'changed-hands', name, holder, during: false });
      }
      if (held.length > 1) {
        throw new OpsError('unsupported', `lock ${name} has ${held.length} holders (${f.kind === 'semaphore' ? 'leases' : 'readers'}); a force release deletes one holder node`, 'release from the applications, or force it when one holder is left');
      }
      const top = held[0]!;
      if (expected.token !== null && String(tokenOf(top.node.stat.czxid)) !== String(expected.token)) {
        throw refused({ reason: 'changed-hands', name, holder, token: tokenOf(top.node.stat.czxid), during: false });
      }
      if (!(await s.remove(top.path, top.node.stat.version))) {
        throw refused({ reason: 'changed-hands', name, holder, during: true });
      }
      return { name, released: true, remaining: 0, forced: true, previousHolder: holder };
    });
  }

  forceImpact(view: LockView): { warning: string } {
    const d = (view.details ?? {}) as { session?: string | null; client?: string | null; writer?: { session?: string | null } | null };
    const session = d.session ?? d.writer?.session ?? null;
    const who = session ? `session ${session}${d.client ? ` from ${d.client}` : ''}` : 'the holder';
    return {
      warning: `This deletes the holder's znode only: ${who} stays open and its process keeps running, and may still think it holds the lock while the next waiter takes it.`,
    };
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.pending].map((p) => p.close(500)));
    await this.reader.close(500);
  }

  private checkCancelled(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new OpsError('failed', 'the listing was cancelled; nothing was changed', 'run it again, narrower (a prefix) or with smaller bounds');
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapZkError(e, this.o.connect);
    }
  }
}

function leaseEnd(d: OpsdeckNodeData): string | null {
  return d.acquiredAt ? isoOrNull(Date.parse(d.acquiredAt) + d.leaseMs) : null;
}
