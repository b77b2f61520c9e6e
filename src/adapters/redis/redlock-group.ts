import { notFound, OpsError } from '../../core/errors.js';
import { isoOrNull } from '../../core/iso-time.js';
import { refused } from '../../core/lock-refusal.js';
import type { AcquireOptions, ForceExpectation, ListOptions, LockBackend } from '../../core/subsystems.js';
import type { AcquireResult, LockView, ReleaseResult } from '../../core/types.js';
import { boundedScan, globPrefix } from './bounded-scan.js';
import { mapRedisError, type RedisClient } from './client.js';
import type { RedisOptions } from './options.js';
import { redactText } from '../../core/redact.js';
import { FORCE_STRING } from './scripts.js';

/** The clock drift allowance of the Redlock algorithm (1% of the TTL, plus 2 ms). */
const DRIFT = 0.01;

/**
 * A Redlock group: N independent Redis nodes holding `SET name token NX PX` copies. The lock is
 * held iff a majority hold the same token; the view shows every node so a split is visible.
 */
export class RedlockGroup implements LockBackend {
  readonly name: string;
  private readonly quorum: number;

  constructor(private readonly nodes: Array<{ url: string; client: RedisClient }>, o: RedisOptions) {
    this.name = o.name;
    this.quorum = Math.floor(nodes.length / 2) + 1;
    this.scan = { count: o.scanCount, timeMs: o.scanTimeMs };
  }

  private readonly scan: { count: number; timeMs: number };

  async list(prefix: string, opts: ListOptions = {}): Promise<LockView[]> {
    const names = new Set<string>();
    await Promise.all(
      this.nodes.map(async (n) => {
        const r = await boundedScan(n.client, globPrefix(prefix), { ...this.scan, maxKeys: 5000, signal: opts.signal }).catch(() => null);
        if (!r) {
          opts.onIncomplete?.(`node ${redactText(n.url)} did not answer`, 'unreachable');
          return;
        }
        if (!r.complete) opts.onIncomplete?.(`node ${redactText(n.url)}: stopped after ${r.scanned} keys`, r.stoppedBy === 'time' ? 'time' : 'limit');
        r.keys.forEach((k) => names.add(k));
      }),
    );
    const views = await Promise.all([...names].sort().map((n) => this.inspect(n)));
    return views.filter((v): v is LockView => v !== null);
  }

  async inspect(name: string): Promise<LockView | null> {
    const now = Date.now();
    const nodes = await Promise.all(
      this.nodes.map(async (n) => {
        try {
          const replies = (await n.client.pipeline().type(name).get(name).pttl(name).exec()) ?? [];
          // A pipeline reports each command's error inside its reply, not by rejecting.
          const failed = replies.find(([err]) => err !== null);
          if (failed || replies.length < 3) throw failed?.[0] ?? new Error('no reply');
          const [[, type], [, value], [, pttl]] = replies as [[null, string], [null, string | null], [null, number]];
          return { url: redactText(n.url), reachable: true, present: type === 'string', value: type === 'string' ? value : null, ttlMs: Number(pttl) > 0 ? Number(pttl) : null };
        } catch {
          return { url: redactText(n.url), reachable: false, present: false, value: null, ttlMs: null };
        }
      }),
    );
    // Without a majority of nodes answering, "not held" would be a guess.
    if (nodes.filter((n) => n.reachable).length < this.quorum) {
      throw new OpsError('unreachable', `only ${nodes.filter((n) => n.reachable).length} of ${nodes.length} Redlock nodes answered; ${this.quorum} are needed to tell who holds ${name}`, 'check the nodes in the profile and that they are up');
    }
    if (!nodes.some((n) => n.present)) return null;
    const votes = new Map<string, number>();
    for (const n of nodes) if (n.value !== null) votes.set(n.value, (votes.get(n.value) ?? 0) + 1);
    const [top, count] = [...votes].sort((a, b) => b[1] - a[1])[0]!;
    const quorum = count >= this.quorum;
    const ttls = nodes.filter((n) => n.value === top && n.ttlMs !== null).map((n) => n.ttlMs!);
    const ttlMs = ttls.length > 0 ? Math.min(...ttls) : null;
    return {
      backend: this.name,
      name,
      kind: 'redlock',
      holder: quorum ? top : null,
      acquiredAt: null,
      expiresAt: ttlMs === null ? null : isoOrNull(now + ttlMs),
      ttlMs,
      reentrancy: null,
      waiters: null,
      token: null,
      details: { quorum, needed: this.quorum, holding: count, nodes },
    };
  }

  /** The Redlock algorithm: SET NX PX on every node; held only with a majority inside the validity time. */
  async tryAcquire(name: string, opts: AcquireOptions): Promise<AcquireResult> {
    const deadline = Date.now() + Math.max(0, opts.waitMs);
    for (;;) {
      const started = Date.now();
      const results = await Promise.all(this.nodes.map((n) => n.client.set(name, opts.owner, 'PX', opts.ttlMs, 'NX').then((r) => r === 'OK', () => false)));
      const validity = opts.ttlMs - (Date.now() - started) - (Math.round(DRIFT * opts.ttlMs) + 2);
      if (results.filter(Boolean).length >= this.quorum && validity > 0) {
        return { name, holder: opts.owner, token: null, expiresAt: isoOrNull(Date.now() + validity) };
      }
      await this.deleteIfValue(name, opts.owner);
      if (Date.now() >= deadline || opts.signal?.aborted) {
        const seen = await this.inspect(name).catch(() => null);
        throw refused({ reason: 'held', name, holder: seen?.holder ?? 'no majority (split across nodes)', token: null, expiresAt: seen?.expiresAt ?? null, waited: opts.waitMs > 0 });
      }
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 50));
    }
  }

  async release(name: string, owner: string): Promise<ReleaseResult> {
    const seen = await this.inspect(name);
    if (!seen) throw notFound(`lock ${name} is not held`, 'nothing to release');
    if (seen.holder !== owner) throw refused({ reason: 'not-holder', name, holder: seen.holder, owner });
    await this.deleteIfValue(name, owner);
    return { name, released: true, remaining: 0, forced: false, previousHolder: owner };
  }

  /** Per node: delete only where the value is still the token the user was shown. */
  async forceRelease(name: string, expected: ForceExpectation): Promise<ReleaseResult> {
    const seen = await this.inspect(name);
    if (!seen || seen.holder === null) throw notFound(`lock ${name} is not held by a majority`, 'nothing to release');
    if (expected.holder !== null && seen.holder !== expected.holder) throw refused({ reason: 'changed-hands', name, holder: seen.holder, during: false });
    await this.deleteIfValue(name, seen.holder);
    return { name, released: true, remaining: 0, forced: true, previousHolder: seen.holder };
  }

  private async deleteIfValue(name: string, value: string): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.client.eval(FORCE_STRING, 1, name, value).catch(() => 0)));
  }
}
