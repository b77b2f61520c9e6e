import type { Simulation } from '../../core/cache-sim/simulation.js';
import { optionalArg } from '../arg-types.js';
import { defineCommand } from '../define-command.js';
import { choiceOpt, durationOpt, intOpt, numberOpt } from '../option-types.js';
import { POLICIES_OPTION, SIZES_OPTION, ZIPF_OPTION } from './simulate-input.js';

/** `cache simulate`'s arguments and options, named so simulate-run.ts can type the input it gets. */
export const SIMULATE_ARGS = { file: optionalArg({ summary: 'trace file: one key per line, or "timestamp key" lines; gzip accepted' }) };

export const SIMULATE_OPTIONS = {
  zipf: ZIPF_OPTION,
  keys: intOpt({ summary: 'distinct keys of the Zipf trace', default: 100_000, min: 1 }),
  requests: intOpt({ summary: 'requests in the Zipf trace', default: 1_000_000, min: 1 }),
  seed: intOpt({ summary: 'seed of the Zipf trace (the same seed replays the same trace)', default: 1, min: 0, max: 2 ** 31 - 1 }),
  monitor: durationOpt({ summary: "sample the profile's Redis with MONITOR for this long (costly for the server while it runs)", max: '10m' }),
  format: choiceOpt({ summary: 'how trace lines are read (auto: decided by the first line)', value: 'format', choices: ['auto', 'keys', 'timestamped'] as const, default: 'auto' }),
  sizes: SIZES_OPTION,
  policies: POLICIES_OPTION,
  target: numberOpt({ summary: 'hit ratio to reach: the recommendation is the smallest size tried that does', value: 'ratio', default: '0.9', min: 0, max: 1 }),
  'max-keys': intOpt({ summary: 'refuse a trace with more distinct keys than this (memory bound)', default: 5_000_000, min: 1, max: 200_000_000 }),
  'max-requests': intOpt({ summary: 'refuse a trace longer than this; a MONITOR sample stops here (memory bound)', default: 20_000_000, min: 1, max: 500_000_000 }),
  'hash-runs': intOpt({ summary: "W-TinyLFU runs per size, each with its own sketch hash; the hit ratio is their mean", default: 3, min: 1, max: 20 }),
};

export const cacheSimulate = defineCommand({
  path: ['cache', 'simulate'],
  summary: 'Replay a key trace through LRU, W-TinyLFU (Caffeine), S3-FIFO and Bélády at several sizes: hit ratio curves and the size that reaches a target',
  args: SIMULATE_ARGS,
  options: SIMULATE_OPTIONS,
  examples: [
    'opsdeck cache simulate access.log.gz',
    'opsdeck cache simulate --zipf 1.0 --keys 100000 --requests 2000000 --target 0.8',
    'opsdeck cache simulate --monitor 30s --sizes 1%,5%,10% -o json',
  ],
  mutates: false,
  async run(ctx, input): Promise<Simulation> {
    // The policies and the trace readers load only when a simulation runs: every start reads this table.
    const { runSimulate } = await import('./simulate-run.js');
    return runSimulate(ctx, input);
  },
});
