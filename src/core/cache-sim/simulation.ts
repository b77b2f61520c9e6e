import type { Recommendation, SimPoint } from './simulate.js';

export interface SimulationSource {
  kind: 'file' | 'zipf' | 'redis-monitor';
  file?: string;
  zipf?: { s: number; keys: number; requests: number; seed: number };
  /** For a MONITOR sample: how it ended, the commands the server reported, and the bound that stopped it. */
  monitor?: { stoppedBy: 'time' | 'bound' | 'aborted'; commands: number; bound: 'keys' | 'requests' | null };
}

/** What `cache simulate` returns: the curve of every policy and the size each needs for the target. */
export interface Simulation {
  source: SimulationSource;
  requests: number;
  distinctKeys: number;
  target: number;
  sizes: number[];
  points: SimPoint[];
  recommendations: Recommendation[];
}
