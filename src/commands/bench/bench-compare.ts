import { usage } from '../../core/errors.js';
import type { LoadResult } from '../../loadgen/load-types.js';
import { compareResults, type LoadComparison } from '../../loadgen/compare-results.js';
import { arg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import type { Ctx } from '../types.js';

/** `bench compare`'s answer: the engine's comparison, with the two files it read. */
export type BenchComparison = LoadComparison & { a: string; b: string };

export const benchCompare = defineCommand({
  path: ['bench', 'compare'],
  summary: 'Compare two saved bench runs (-o json) percentile by percentile, with req/s and errors',
  args: { a: arg({ summary: 'the first run (JSON from bench -o json)' }), b: arg({ summary: 'the second run' }) },
  options: {},
  examples: ['opsdeck bench compare before.json after.json', 'opsdeck bench compare before.json after.json -o json'],
  mutates: false,
  offline: true,
  async run(ctx, { args }) {
    const [a, b] = await Promise.all([readRun(ctx, args.a), readRun(ctx, args.b)]);
    return { a: args.a, b: args.b, ...compareResults(a, b) } satisfies BenchComparison;
  },
});

/** A saved run, checked for the parts a comparison reads, so a wrong file is one clear line. */
async function readRun(ctx: Pick<Ctx, 'readFile'>, path: string): Promise<LoadResult> {
  const text = await ctx.readFile(path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw usage(`${path} is not JSON`, 'save a run with "opsdeck bench URL -o json > FILE"');
  }
  const r = data as Partial<LoadResult> | null;
  const ok = typeof r === 'object' && r !== null && typeof r.requestsPerSec === 'number' && typeof r.requests === 'number' && typeof r.errors === 'object' && r.errors !== null &&
    typeof r.latency?.percentiles === 'object' && typeof r.latency.mean === 'number' && typeof r.plan === 'object' && r.plan !== null;
  if (!ok) throw usage(`${path} is not a bench result`, 'save a run with "opsdeck bench URL -o json > FILE"');
  return r as LoadResult;
}
