import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizesFor } from '../../src/core/cache-sim/policy-names.js';
import { sweep } from '../../src/core/cache-sim/simulate.js';
import { zipfTrace } from '../../src/core/cache-sim/zipf.js';
import { buildJarLocked } from '../servers/shared-server.js';

/**
 * Fidelity of opsdeck's W-TinyLFU against real Caffeine 3 (test/interop/caffeine-sim/): both
 * replay the same traces, written to files here, with maximumSize(N) at 1% … 20% of the key space,
 * and opsdeck must stay within 1.5 points of Caffeine at every size.
 * One run of either is one sample: Caffeine's window climber amplifies which keys collide in its
 * frequency sketch, so a run's hit ratio depends on the key names by up to ±1.5 points at small
 * sizes. So both sides average RUNS samples: Caffeine replays the trace under RUNS renamings of
 * the keys (other hash codes, same access pattern), opsdeck uses RUNS sketch hashes (its
 * `hashRuns`, what `cache simulate` reports as the hit ratio and its range).
 */

const MODULE = resolve(__dirname, 'caffeine-sim');
const JAR = join(MODULE, 'target', 'caffeine-sim.jar');
const KEYS = 50_000;
const REQUESTS = 2_000_000;
const RUNS = 3;
const TOLERANCE_POINTS = 1.5;
const run = promisify(execFile);

/** Zipf 0.9 traffic broken every 20,000 requests by a one-pass scan of 5,000 keys never seen again. */
function scanMix(): { keys: Int32Array; keyCount: number } {
  const zipf = zipfTrace({ s: 0.9, keys: KEYS, requests: REQUESTS, seed: 3 });
  const keys = new Int32Array(REQUESTS);
  let next = KEYS;
  let z = 0;
  for (let i = 0; i < REQUESTS; ) {
    for (let j = 0; j < 20_000 && i < REQUESTS; j++) keys[i++] = zipf[z++]!;
    for (let j = 0; j < 5_000 && i < REQUESTS; j++) keys[i++] = next++;
  }
  return { keys, keyCount: next };
}

const TRACES = {
  'zipf 0.8': () => ({ keys: zipfTrace({ s: 0.8, keys: KEYS, requests: REQUESTS, seed: 1 }), keyCount: KEYS }),
  'zipf 1.0': () => ({ keys: zipfTrace({ s: 1.0, keys: KEYS, requests: REQUESTS, seed: 2 }), keyCount: KEYS }),
  'scan mix': scanMix,
};

let dir: string;
const table: string[] = [];

beforeAll(async () => {
  await buildJarLocked(MODULE, JAR, 'caffeine-sim');
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-caffeine-sim-'));
}, 400_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (table.length > 0) process.stderr.write(`W-TinyLFU, opsdeck vs Caffeine (mean of ${RUNS} runs, hit ratio %):\n${table.join('\n')}\n`);
});

describe('W-TinyLFU against real Caffeine', () => {
  for (const [name, make] of Object.entries(TRACES)) {
    it(`stays within ${TOLERANCE_POINTS} points on ${name} at 1% … 20% of the key space`, async () => {
      const trace = make();
      const file = join(dir, `${name.replace(/\W+/g, '-')}.txt`);
      writeFileSync(file, trace.keys.join('\n') + '\n');
      // The key space the sizes are shares of: the Zipf keys (the scan's one-off keys are extra).
      const sizes = sizesFor(KEYS);
      const { stdout } = await run('java', ['-jar', JAR, file, sizes.join(','), String(RUNS)], { maxBuffer: 1 << 20 });
      const caffeine = new Map(
        stdout
          .trim()
          .split('\n')
          .map((line) => {
            const [size, requests, ...hits] = line.split(' ').map(Number);
            expect(requests).toBe(REQUESTS);
            expect(hits).toHaveLength(RUNS);
            return [size!, hits.reduce((a, b) => a + b, 0) / hits.length / requests!] as const;
          }),
      );
      const ours = await sweep(trace, sizes, ['w-tinylfu'], { hashRuns: RUNS });
      expect(ours.map((p) => p.size)).toEqual([...caffeine.keys()]);
      for (const p of ours) {
        const real = caffeine.get(p.size)!;
        const diff = (p.hitRatio - real) * 100;
        table.push(`${name.padEnd(9)} ${String(p.size).padStart(6)}  caffeine ${(real * 100).toFixed(2)}  opsdeck ${(p.hitRatio * 100).toFixed(2)}  diff ${diff >= 0 ? '+' : ''}${diff.toFixed(2)}`);
        expect(Math.abs(diff), `${name} at ${p.size}: opsdeck ${(p.hitRatio * 100).toFixed(2)}% vs Caffeine ${(real * 100).toFixed(2)}%`).toBeLessThanOrEqual(TOLERANCE_POINTS);
      }
      // Not a degenerate agreement: the sizes spread the hit ratio over a wide range.
      expect(ours[ours.length - 1]!.hitRatio - ours[0]!.hitRatio).toBeGreaterThan(0.2);
    }, 400_000);
  }
});
