import { usage } from '../errors.js';
import type { InternedTrace } from './simulate.js';

export type TraceFormat = 'auto' | 'keys' | 'timestamped';

export interface TraceBounds {
  /** Distinct keys at most: each costs a map entry here and about 10 bytes per policy run. */
  maxKeys: number;
  /** Requests at most: each costs 4 bytes here and 4 more for Bélády's look-ahead. */
  maxRequests: number;
}

/** `timestamp key`: a number (unix seconds, with or without a fraction), blanks, then the key. */
const TIMESTAMPED = /^\s*\d+(?:\.\d+)?\s+(\S.*?)\s*$/;

/**
 * Builds a trace from keys as they come: interns each key to a small integer (the policies index
 * typed arrays by it) and grows one Int32Array. Refuses, with the bound that was hit, a trace that
 * would not fit its bounds, so a run never dies of memory half way.
 */
export class TraceBuilder {
  private readonly ids = new Map<string, number>();
  private keys = new Int32Array(1 << 16);
  private length = 0;
  private format: TraceFormat;

  constructor(
    private readonly bounds: TraceBounds,
    format: TraceFormat = 'auto',
    private readonly source = 'the trace',
  ) {
    this.format = format;
  }

  get requests(): number {
    return this.length;
  }

  get distinct(): number {
    return this.ids.size;
  }

  /**
   * One line of a trace file: a key, or `timestamp key`. With format `auto` the first non-empty
   * line decides, and every later line must have the same shape; blank lines are skipped.
   */
  addLine(line: string, lineNo: number): void {
    if (line.trim() === '') return;
    if (this.format === 'auto') this.format = TIMESTAMPED.test(line) ? 'timestamped' : 'keys';
    if (this.format === 'keys') return this.addKey(line.trim());
    const m = TIMESTAMPED.exec(line);
    if (!m) throw usage(`${this.source} line ${lineNo} is not "timestamp key": ${JSON.stringify(line.slice(0, 60))}`, 'every line of a timestamped trace starts with a number, or pass --format keys to read whole lines as keys');
    this.addKey(m[1]!);
  }

  /** Adds one request for `key`; throws a usage error naming the bound when it would pass one. */
  addKey(key: string): void {
    const refused = this.offer(key);
    if (refused === 'keys') {
      throw usage(`${this.source} has more than ${this.bounds.maxKeys.toLocaleString('en-US')} distinct keys, the bound for one run`, 'raise --max-keys if the machine has the memory (about 100 bytes a key), or simulate a sample of the trace');
    }
    if (refused === 'requests') {
      throw usage(`${this.source} has more than ${this.bounds.maxRequests.toLocaleString('en-US')} requests, the bound for one run`, 'raise --max-requests if the machine has the memory (8 bytes a request), or simulate a part of the trace');
    }
  }

  /** Adds one request for `key` unless that would pass a bound; returns the bound it would pass, or null. */
  offer(key: string): 'keys' | 'requests' | null {
    if (this.length >= this.bounds.maxRequests) return 'requests';
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.ids.size >= this.bounds.maxKeys) return 'keys';
      id = this.ids.size;
      this.ids.set(key, id);
    }
    if (this.length === this.keys.length) {
      const grown = new Int32Array(Math.min(this.keys.length * 2, this.bounds.maxRequests));
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[this.length++] = id;
    return null;
  }

  /** The trace so far (a view: no copy). */
  build(): InternedTrace {
    return { keys: this.keys.subarray(0, this.length), keyCount: this.ids.size };
  }
}
