import { recommend, sweep } from '../../core/cache-sim/simulate.js';
import type { Simulation, SimulationSource } from '../../core/cache-sim/simulation.js';
import { TraceBuilder, type TraceBounds } from '../../core/cache-sim/trace-builder.js';
import { zipfTrace } from '../../core/cache-sim/zipf.js';
import { usage } from '../../core/errors.js';
import { readTraceLines } from '../../lib/read-trace-lines.js';
import { requireCapability } from '../capability.js';
import type { Ctx, TypedInput } from '../types.js';
import type { SIMULATE_ARGS, SIMULATE_OPTIONS } from './simulate.js';
import { resolveSizes } from './simulate-input.js';

type SimulateInput = TypedInput<typeof SIMULATE_ARGS, typeof SIMULATE_OPTIONS>;

/** What `cache simulate` runs: read the trace, replay it through the policies at each size, recommend. */
export async function runSimulate(ctx: Ctx, { args, opts, given }: SimulateInput): Promise<Simulation> {
  for (const flag of ['keys', 'requests', 'seed'] as const) {
    if (given.has(flag) && opts.zipf === undefined) throw usage(`--${flag} only applies to a Zipf trace`, 'add --zipf S, or drop it');
  }
  const sources = [args.file !== undefined, opts.zipf !== undefined, opts.monitor !== undefined].filter(Boolean).length;
  if (sources !== 1) throw usage(sources === 0 ? 'cache simulate needs a trace' : 'cache simulate takes one trace source at a time', 'give a FILE, or --zipf S, or --monitor DURATION');
  const bounds: TraceBounds = { maxKeys: opts['max-keys'], maxRequests: opts['max-requests'] };
  const { trace, source } = await readSource(ctx, args.file, opts, bounds);
  if (trace.keys.length === 0) throw usage(`${describe(source)} holds no requests`, 'give a trace with at least one key');
  const sizes = resolveSizes(opts.sizes, trace.keyCount);
  const total = opts.policies.reduce((n, p) => n + (p === 'w-tinylfu' ? opts['hash-runs'] : 1), 0) * sizes.length;
  let done = 0;
  const points = await sweep(trace, sizes, opts.policies, {
    hashRuns: opts['hash-runs'],
    between: async () => {
      ctx.progress(`simulating: ${++done} of ${total} runs`);
      await new Promise((r) => setImmediate(r));
      if (ctx.signal.aborted) throw usage('cache simulate was cancelled', 'run it again, with fewer --sizes or --policies to finish sooner');
    },
  });
  ctx.progress(null);
  return { source, requests: trace.keys.length, distinctKeys: trace.keyCount, target: opts.target, sizes, points, recommendations: recommend(points, opts.policies, opts.target) };
}

type SourceOpts = { zipf: number | undefined; keys: number; requests: number; seed: number; monitor: number | undefined; format: 'auto' | 'keys' | 'timestamped' };

async function readSource(ctx: Ctx, file: string | undefined, o: SourceOpts, bounds: TraceBounds) {
  if (o.zipf !== undefined) {
    if (o.keys > bounds.maxKeys) throw usage(`--keys ${o.keys} is above --max-keys ${bounds.maxKeys}`, 'use fewer keys, or raise --max-keys if the machine has the memory');
    if (o.requests > bounds.maxRequests) throw usage(`--requests ${o.requests} is above --max-requests ${bounds.maxRequests}`, 'use fewer requests, or raise --max-requests if the machine has the memory');
    const zipf = { s: o.zipf, keys: o.keys, requests: o.requests, seed: o.seed };
    return { trace: { keys: zipfTrace(zipf), keyCount: o.keys }, source: { kind: 'zipf', zipf } as SimulationSource };
  }
  if (file !== undefined) {
    const builder = new TraceBuilder(bounds, o.format, `trace ${file}`);
    let lineNo = 0;
    for await (const line of readTraceLines(file, ctx.signal)) {
      builder.addLine(line, ++lineNo);
      if ((lineNo & 0xfffff) === 0) ctx.progress(`reading ${file}: ${builder.requests.toLocaleString('en-US')} requests`);
    }
    return { trace: builder.build(), source: { kind: 'file', file } as SimulationSource };
  }
  const cache = requireCapability(await ctx.session.cache(), 'keyTrace', 'sample a key trace');
  ctx.warn(`MONITOR makes ${cache.name} copy every command it serves to opsdeck for up to ${Math.round(o.monitor! / 1000)} s: expect lower throughput on a busy server`);
  const builder = new TraceBuilder(bounds, 'keys', `the MONITOR sample of ${cache.name}`);
  ctx.progress(`sampling ${cache.name} with MONITOR`);
  let bound: 'keys' | 'requests' | null = null;
  const summary = await cache.keyTrace({ timeMs: o.monitor!, signal: ctx.signal, onKey: (k) => (bound = builder.offer(k)) === null });
  ctx.progress(null);
  if (summary.stoppedBy === 'bound') ctx.warn(`the MONITOR sample stopped at --max-${bound} before the ${Math.round(o.monitor! / 1000)} s were up`);
  return { trace: builder.build(), source: { kind: 'redis-monitor', monitor: { stoppedBy: summary.stoppedBy, commands: summary.commands, bound } } as SimulationSource };
}

function describe(s: SimulationSource): string {
  return s.kind === 'file' ? `trace ${s.file}` : s.kind === 'zipf' ? 'the Zipf trace' : 'the MONITOR sample';
}
