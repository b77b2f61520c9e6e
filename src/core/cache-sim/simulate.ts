import { Belady, nextUses } from './belady.js';
import { Lru } from './lru.js';
import { S3Fifo } from './s3-fifo.js';
import { WTinyLfu } from './w-tinylfu.js';
import type { PolicyName } from './policy-names.js';

/** A trace as the simulator reads it: keys interned to 0 … keyCount - 1. */
export interface InternedTrace {
  keys: Int32Array;
  keyCount: number;
}

export interface SimPoint {
  policy: PolicyName;
  size: number;
  /** Mean hits over the runs (W-TinyLFU), else the hits of the one deterministic run. */
  hits: number;
  requests: number;
  hitRatio: number;
  /** W-TinyLFU only: the lowest and highest hit ratio among its runs; null for the others. */
  range: [number, number] | null;
}

export interface SweepOptions {
  /**
   * W-TinyLFU runs per size, each with its own sketch hash. One hash is one sample: the window
   * climber amplifies hash collisions, so at small sizes runs differ by a point or two (as real
   * Caffeine's do across key sets); the mean is the policy's expected hit ratio.
   */
  hashRuns?: number;
  /** Runs after each replay (the command yields there so Ctrl-C is seen). */
  between?: () => Promise<void>;
}

export interface Recommendation {
  policy: PolicyName;
  /** The smallest size tried that reached the target, or null when none did. */
  size: number | null;
  hitRatio: number | null;
}

/**
 * Replays a trace through one policy at one size and returns its hits. Bélády needs the trace's
 * next uses; pass them in when several sizes share one trace, so they are computed once.
 */
export function hitsOf(policy: PolicyName, size: number, trace: InternedTrace, next?: Int32Array, seed = 0): number {
  const { keys, keyCount } = trace;
  switch (policy) {
    case 'lru':
      return new Lru(size, keyCount).run(keys);
    case 'w-tinylfu':
      return new WTinyLfu(size, keyCount, { seed }).run(keys);
    case 's3-fifo':
      return new S3Fifo(size, keyCount).run(keys);
    case 'belady':
      return new Belady(size, keyCount, next ?? nextUses(keys, keyCount)).run(keys);
  }
}

/** Every policy at every size, in order. */
export async function sweep(trace: InternedTrace, sizes: readonly number[], policies: readonly PolicyName[], o: SweepOptions = {}): Promise<SimPoint[]> {
  const next = policies.includes('belady') ? nextUses(trace.keys, trace.keyCount) : undefined;
  const requests = trace.keys.length;
  const ratio = (hits: number) => (requests === 0 ? 0 : hits / requests);
  const points: SimPoint[] = [];
  for (const policy of policies) {
    for (const size of sizes) {
      const runs = policy === 'w-tinylfu' ? Math.max(1, o.hashRuns ?? 1) : 1;
      const all: number[] = [];
      for (let r = 0; r < runs; r++) {
        all.push(hitsOf(policy, size, trace, next, r));
        await o.between?.();
      }
      const hits = all.reduce((a, b) => a + b, 0) / runs;
      const range: [number, number] | null = policy === 'w-tinylfu' ? [ratio(Math.min(...all)), ratio(Math.max(...all))] : null;
      points.push({ policy, size, hits, requests, hitRatio: ratio(hits), range });
    }
  }
  return points;
}

/** The smallest size per policy whose hit ratio reached `target`. */
export function recommend(points: readonly SimPoint[], policies: readonly PolicyName[], target: number): Recommendation[] {
  return policies.map((policy) => {
    const hit = points.filter((p) => p.policy === policy && p.hitRatio >= target).sort((a, b) => a.size - b.size)[0];
    return { policy, size: hit?.size ?? null, hitRatio: hit?.hitRatio ?? null };
  });
}
