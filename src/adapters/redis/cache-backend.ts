import type { Redis } from 'ioredis';
import type { CacheBackend, CacheKey, CacheScanOptions, CacheStats, KeyTraceOptions, KeyTraceSummary } from '../../core/cache.js';
import { OpsError } from '../../core/errors.js';
import { connectClient, mapRedisError, type RedisClient } from './client.js';
import { combineStats, type NodeFacts } from './combine-stats.js';
import { keyDetails } from './key-details.js';
import type { RedisOptions } from './options.js';
import { keyspaceKeys, parseInfo } from './parse-info.js';
import { isRefusal, pipelined } from './pipelined.js';
import { redactText } from '../../core/redact.js';
import { masters } from './bounded-scan.js';
import { openMonitor } from './monitor-connector.js';
import { readKeys } from './read-keys.js';
import { scanBatches } from './scan-batches.js';
import { TopKeys, type Ranked } from './top-keys.js';

/**
 * Read-only inspection of a Redis node or cluster: INFO for stats, and bounded SCANs (never KEYS)
 * whose per-key lookups are pipelined one batch at a time. In a cluster every master is scanned.
 */
export class RedisCache implements CacheBackend {
  readonly name: string;
  private readonly url: string;

  constructor(
    private readonly client: RedisClient,
    private readonly opts: RedisOptions,
  ) {
    this.name = opts.name;
    this.url = opts.urls[0]!;
  }

  stats(): Promise<CacheStats> {
    return this.guard(async () => {
      const nodes = await this.masters();
      return combineStats(this.name, await Promise.all(nodes.map((n) => nodeFacts(n))));
    });
  }

  keys(pattern: string, o: CacheScanOptions): Promise<CacheKey[]> {
    return this.guard(async () => {
      const nodes = await this.masters();
      const found: CacheKey[] = [];
      const summary = await scanBatches(nodes, this.bounds(pattern, o.limit, o), async (node, batch) => {
        for (const row of await keyDetails(node, batch, { memory: true, size: false })) if (row) found.push(row);
      });
      o.onScanEnd?.(summary);
      return found.sort(byKey);
    });
  }

  bigKeys(o: CacheScanOptions): Promise<CacheKey[]> {
    return this.guard(async () => {
      const nodes = await this.masters();
      const top = new TopKeys(o.limit);
      const summary = await scanBatches(nodes, this.bounds('*', Infinity, o), async (node, batch) => {
        const usage = await pipelined(node, (p) => batch.forEach((k) => p.memory('USAGE', k)));
        usage.forEach((bytes, i) => {
          if (isRefusal(bytes)) throw this.refused('MEMORY USAGE', bytes, 'bigkeys needs it: allow "memory" for this user');
          if (typeof bytes === 'number') top.offer({ node, key: batch[i]!, score: bytes });
        });
      });
      o.onScanEnd?.(summary);
      const rows = await details(top.result(), { memory: false, size: true }, (row, r) => (row.memoryBytes = r.score));
      return rows.sort((a, b) => (b.memoryBytes ?? 0) - (a.memoryBytes ?? 0) || byKey(a, b));
    });
  }

  hotKeys(o: CacheScanOptions): Promise<CacheKey[]> {
    return this.guard(async () => {
      const nodes = await this.masters();
      // Ask first, so a server without LFU gets a clear answer instead of a scan of errors.
      for (const facts of await Promise.all(nodes.map((n) => nodeFacts(n)))) {
        if (facts.policy !== null && !facts.policy.includes('lfu')) throw noLfu(facts.policy);
      }
      const top = new TopKeys(o.limit);
      // OBJECT FREQ leaves the counters it reads alone, but Redis counts it in keyspace_hits.
      const summary = await scanBatches(nodes, this.bounds('*', Infinity, o), async (node, batch) => {
        const freqs = await pipelined(node, (p) => batch.forEach((k) => p.object('FREQ', k)));
        freqs.forEach((freq, i) => {
          // The policy could not be read (or changed since): the server's own refusal says why.
          if (freq instanceof Error && /LFU/.test(freq.message)) throw noLfu(null);
          if (isRefusal(freq)) throw this.refused('OBJECT FREQ', freq, 'hotkeys needs it: allow "object" for this user');
          if (typeof freq === 'number') top.offer({ node, key: batch[i]!, score: freq });
        });
      });
      o.onScanEnd?.(summary);
      const rows = await details(top.result(), { memory: true, size: false }, (row, r) => (row.frequency = r.score));
      return rows.sort((a, b) => (b.frequency ?? 0) - (a.frequency ?? 0) || byKey(a, b));
    });
  }

  /**
   * MONITOR on every master until the time bound, the caller's bound or an abort. Each monitoring
   * connection makes the server copy every command to it, so the bounds are firm and the
   * connections are closed in every case.
   */
  keyTrace(o: KeyTraceOptions): Promise<KeyTraceSummary> {
    return this.guard(async () => {
      const nodes = await this.masters();
      const opened = await Promise.allSettled(nodes.map((n) => openMonitor(n)));
      const monitors = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = opened.find((r) => r.status === 'rejected');
      if (failed) {
        for (const m of monitors) m.disconnect();
        throw failed.reason;
      }
      const summary: KeyTraceSummary = { requests: 0, commands: 0, stoppedBy: 'time' };
      try {
        await new Promise<void>((resolve, reject) => {
          const stop = (why: KeyTraceSummary['stoppedBy']) => {
            summary.stoppedBy = why;
            clearTimeout(timer);
            o.signal?.removeEventListener('abort', onAbort);
            for (const m of monitors) m.removeAllListeners('monitor');
            resolve();
          };
          const onAbort = () => stop('aborted');
          const timer = setTimeout(() => stop('time'), o.timeMs);
          o.signal?.addEventListener('abort', onAbort, { once: true });
          if (o.signal?.aborted) return stop('aborted');
          for (const m of monitors) {
            m.on('error', reject);
            m.on('monitor', (_time: string, args: string[]) => {
              summary.commands++;
              for (const key of readKeys(args)) {
                if (!o.onKey(key)) return stop('bound');
                summary.requests++;
              }
            });
          }
        });
      } finally {
        for (const m of monitors) m.disconnect();
      }
      return summary;
    });
  }

  private bounds(match: string, limit: number, o: CacheScanOptions) {
    return { match, count: this.opts.scanCount, limit, timeMs: o.timeMs, signal: o.signal };
  }

  /** The nodes to ask: the client itself, or each master of a cluster, connected. */
  private async masters(): Promise<Redis[]> {
    await connectClient(this.client, this.url);
    const nodes = await masters(this.client);
    if (nodes.length === 0) throw new OpsError('unreachable', `redis cluster ${redactText(this.url)} reports no masters`, 'check CLUSTER NODES on a seed');
    return nodes;
  }

  private refused(command: string, e: Error, hint: string): OpsError {
    return new OpsError('unsupported', `redis ${redactText(this.url)} refused ${command}: ${e.message}`, hint);
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapRedisError(e, this.url, this.client);
    }
  }
}

/** INFO sections in one round trip; CONFIG GET only where INFO did not say (it is often not allowed). */
async function nodeFacts(node: Redis): Promise<NodeFacts> {
  const [server, memory, stats, keyspace] = await pipelined(node, (p) => p.info('server').info('memory').info('stats').info('keyspace'));
  const fields = new Map([server, memory, stats].flatMap((t) => (typeof t === 'string' ? [...parseInfo(t)] : [])));
  let policy = fields.get('maxmemory_policy') ?? null;
  let maxMemory = fields.has('maxmemory') ? Number(fields.get('maxmemory')) : null;
  if (policy === null || maxMemory === null) {
    const [p, m] = await pipelined(node, (q) => q.config('GET', 'maxmemory-policy').config('GET', 'maxmemory'));
    policy ??= configValue(p);
    maxMemory ??= configValue(m) === null ? null : Number(configValue(m));
  }
  return { fields, policy, maxMemory: Number.isFinite(maxMemory) ? maxMemory : null, keys: typeof keyspace === 'string' ? keyspaceKeys(keyspace) : null };
}

/** CONFIG GET replies [name, value]; a refusal or an empty reply is unknown. */
function configValue(reply: unknown): string | null {
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
}

/** Type, TTL and the rest for the ranked keys, node by node, with the score written back by `put`. */
async function details(ranked: Ranked[], want: { memory: boolean; size: boolean }, put: (row: CacheKey, r: Ranked) => void): Promise<CacheKey[]> {
  const byNode = new Map<Redis, Ranked[]>();
  for (const r of ranked) byNode.set(r.node, [...(byNode.get(r.node) ?? []), r]);
  const out: CacheKey[] = [];
  for (const [node, list] of byNode) {
    const rows = await keyDetails(node, list.map((r) => r.key), want);
    rows.forEach((row, i) => {
      if (row) {
        put(row, list[i]!);
        out.push(row);
      }
    });
  }
  return out;
}

function byKey(a: CacheKey, b: CacheKey): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function noLfu(policy: string | null): OpsError {
  const now = policy === null ? 'the server does not track access frequency' : `maxmemory-policy is ${policy}`;
  return new OpsError(
    'unsupported',
    `hot keys need an LFU eviction policy (allkeys-lfu or volatile-lfu), but ${now}`,
    'use "opsdeck cache bigkeys" instead, or CONFIG SET maxmemory-policy allkeys-lfu if LFU eviction suits this cache',
  );
}
