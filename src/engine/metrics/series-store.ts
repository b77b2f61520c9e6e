import type { LabelMatcher, Labels, SeriesSamples, SeriesSource } from '../../core/series-source.js';
import { compileMatcher } from '../../promql/matchers.js';
import type { FamilyMetadata } from './exposition-parser.js';
import { ChunkAppender, CHUNK_SAMPLES, decodeChunk, type SealedChunk } from './xor-chunk.js';

/**
 * The in-memory sample store: each series is a list of compressed chunks plus one open chunk,
 * found through an inverted index (label name → value → series ids). It implements the
 * SeriesSource the PromQL evaluator reads. No I/O: persistence is `durable-metrics.ts`.
 */

export interface Retention {
  /** Samples older than the newest sample in the store minus this are dropped (ms). */
  timeMs: number;
  /** Chunks are dropped oldest first while the store holds more than this. */
  bytes: number;
}

export const DEFAULT_RETENTION: Retention = { timeMs: 24 * 3600_000, bytes: 256 * 1024 * 1024 };

/** What one series costs besides its chunks (labels, index entries, objects), for the byte bound. */
const SERIES_OVERHEAD = 200;

export interface AppendResult {
  appended: number;
  /** Out of order or a second value at a time already stored: Prometheus refuses those too. */
  rejected: number;
}

export class MemSeries {
  chunks: SealedChunk[] = [];
  head: ChunkAppender | null = null;
  lastT = -Infinity;
  lastV = NaN;
  /** Time of the last sample written to disk; later ones go into the next flush. */
  flushedT = -Infinity;
  /** Set when retention removed the series from the store: holders of it must look it up again. */
  dropped = false;
  readonly labelBytes: number;

  constructor(readonly id: number, readonly labels: Labels, readonly key: string) {
    this.labelBytes = key.length * 2;
  }

  get minT(): number {
    return this.chunks[0]?.minT ?? this.head?.minT ?? Infinity;
  }

  get samples(): number {
    let n = this.head?.count ?? 0;
    for (const c of this.chunks) n += c.count;
    return n;
  }

  /** Every chunk, the open one sealed on the fly. */
  allChunks(): SealedChunk[] {
    return this.head && this.head.count > 0 ? [...this.chunks, this.head.seal()] : this.chunks;
  }

  /** Samples in [mint, maxt]. */
  read(mint: number, maxt: number): { t: Float64Array; v: Float64Array } {
    // The open chunk is decoded straight away, so a view of it does instead of a copy per query.
    const open = this.head && this.head.count > 0 ? [this.head.peek()] : [];
    const parts = [...this.chunks, ...open].filter((c) => c.maxT >= mint && c.minT <= maxt);
    const total = parts.reduce((n, c) => n + c.count, 0);
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    let at = 0;
    for (const c of parts) at = decodeChunk(c.bytes, c.count, t, v, at);
    let from = 0;
    while (from < total && t[from]! < mint) from++;
    let to = total;
    while (to > from && t[to - 1]! > maxt) to--;
    // The arrays were just decoded for this read alone, so views of them are as good as copies
    // and spare a second allocation per series per query.
    return from === 0 && to === total ? { t, v } : { t: t.subarray(from, to), v: v.subarray(from, to) };
  }
}

/** The canonical text of a label set: sorted names, so equal sets give equal keys. */
export function labelsKey(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

export class SeriesStore implements SeriesSource {
  private readonly byKey = new Map<string, MemSeries>();
  private readonly byId = new Map<number, MemSeries>();
  private postings = new Map<string, Map<string, number[]>>();
  private nextId = 1;
  private chunkBytes = 0;
  /** The newest sample time in the store: retention counts back from it, not from the clock. */
  maxT = -Infinity;
  readonly metadata = new Map<string, FamilyMetadata>();

  constructor(public retention: Retention = DEFAULT_RETENTION) {}

  get seriesCount(): number {
    return this.byKey.size;
  }

  series(): Iterable<MemSeries> {
    return this.byKey.values();
  }

  /** Chunk bytes (closed and open) and the estimated per-series overhead. */
  stats(): { series: number; samples: number; chunkBytes: number; bytes: number } {
    let samples = 0;
    let open = 0;
    let labelBytes = 0;
    for (const s of this.byKey.values()) {
      samples += s.samples;
      open += s.head?.byteLength ?? 0;
      labelBytes += s.labelBytes;
    }
    const chunkBytes = this.chunkBytes + open;
    return { series: this.byKey.size, samples, chunkBytes, bytes: chunkBytes + labelBytes + SERIES_OVERHEAD * this.byKey.size };
  }

  getOrCreate(labels: Labels): MemSeries {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (!s) {
      s = new MemSeries(this.nextId++, { ...labels }, key);
      this.byKey.set(key, s);
      this.byId.set(s.id, s);
      for (const [name, value] of Object.entries(labels)) {
        let values = this.postings.get(name);
        if (!values) this.postings.set(name, (values = new Map()));
        const ids = values.get(value);
        if (ids) ids.push(s.id);
        else values.set(value, [s.id]);
      }
    }
    return s;
  }

  /** Appends one sample; false when it is not newer than the series' last one. */
  appendTo(s: MemSeries, t: number, v: number): boolean {
    if (!(t > s.lastT)) return false;
    if (!s.head) s.head = new ChunkAppender();
    s.head.append(t, v);
    s.lastT = t;
    s.lastV = v;
    if (t > this.maxT) this.maxT = t;
    if (s.head.count >= CHUNK_SAMPLES) this.sealHead(s);
    return true;
  }

  append(labels: Labels, t: number, v: number): boolean {
    return this.appendTo(this.getOrCreate(labels), t, v);
  }

  /** Takes a chunk read from disk as is (it must follow the series' samples). */
  adoptChunk(s: MemSeries, c: SealedChunk): boolean {
    if (c.count === 0 || !(c.minT > s.lastT)) return false;
    if (s.head) this.sealHead(s);
    s.chunks.push(c);
    this.chunkBytes += c.bytes.length;
    s.lastT = c.maxT;
    const t = new Float64Array(c.count);
    const v = new Float64Array(c.count);
    decodeChunk(c.bytes, c.count, t, v);
    s.lastV = v[c.count - 1]!;
    if (c.maxT > this.maxT) this.maxT = c.maxT;
    return true;
  }

  private sealHead(s: MemSeries): void {
    const sealed = s.head!.seal();
    s.head = null;
    if (sealed.count === 0) return;
    s.chunks.push(sealed);
    this.chunkBytes += sealed.bytes.length;
  }

  /**
   * Drops whole chunks older than the time bound, then the oldest chunks while over the byte
   * bound, then series left with nothing. Returns the number of samples dropped.
   */
  applyRetention(): number {
    let dropped = 0;
    const cutoff = this.maxT - this.retention.timeMs;
    const emptied: MemSeries[] = [];
    for (const s of this.byKey.values()) {
      while (s.chunks.length > 0 && s.chunks[0]!.maxT < cutoff) dropped += this.dropFirst(s);
      if (s.chunks.length === 0 && s.head && s.head.maxT < cutoff) {
        dropped += s.head.count;
        s.head = null;
      }
      if (s.chunks.length === 0 && !s.head) emptied.push(s);
    }
    if (this.stats().bytes > this.retention.bytes) {
      const all: Array<{ s: MemSeries; maxT: number }> = [];
      for (const s of this.byKey.values()) for (const c of s.chunks) all.push({ s, maxT: c.maxT });
      all.sort((a, b) => a.maxT - b.maxT);
      let bytes = this.stats().bytes;
      for (const { s } of all) {
        if (bytes <= this.retention.bytes) break;
        const size = s.chunks[0]!.bytes.length;
        dropped += this.dropFirst(s);
        bytes -= size;
        if (s.chunks.length === 0 && !s.head) emptied.push(s);
      }
    }
    if (emptied.length > 0) this.forget(emptied);
    return dropped;
  }

  private dropFirst(s: MemSeries): number {
    const c = s.chunks.shift()!;
    this.chunkBytes -= c.bytes.length;
    return c.count;
  }

  private forget(gone: MemSeries[]): void {
    for (const s of gone) {
      s.dropped = true;
      this.byKey.delete(s.key);
      this.byId.delete(s.id);
    }
    // Rebuilt rather than edited: retention runs seldom, and the lists stay sorted by id.
    this.postings = new Map();
    for (const s of this.byId.values()) {
      for (const [name, value] of Object.entries(s.labels)) {
        let values = this.postings.get(name);
        if (!values) this.postings.set(name, (values = new Map()));
        const ids = values.get(value);
        if (ids) ids.push(s.id);
        else values.set(value, [s.id]);
      }
    }
  }

  /** Series matching every matcher (Prometheus semantics: a missing label reads as ""). */
  matching(matchers: readonly LabelMatcher[]): MemSeries[] {
    // The evaluator's own matchers: RE2 syntax translated, anchored, a missing label reads as "".
    const tests = matchers.map((m) => {
      const test = compileMatcher(m);
      return (l: Labels) => test(l[m.name] ?? '');
    });
    let candidates: Iterable<MemSeries> | null = null;
    // Start from the shortest postings list among the equality matchers that need the label.
    let best: number[] | null = null;
    for (const m of matchers) {
      if (m.type !== '=' || m.value === '') continue;
      const ids = this.postings.get(m.name)?.get(m.value) ?? [];
      if (!best || ids.length < best.length) best = ids;
    }
    if (best) candidates = best.map((id) => this.byId.get(id)!).filter(Boolean);
    const out: MemSeries[] = [];
    for (const s of candidates ?? this.byKey.values()) {
      if (tests.every((test) => test(s.labels))) out.push(s);
    }
    return out;
  }

  *select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesSamples> {
    for (const s of this.matching(matchers)) {
      if (s.lastT < mint || s.minT > maxt) continue;
      const { t, v } = s.read(mint, maxt);
      if (t.length > 0) yield { labels: s.labels, t, v };
    }
  }

  labelNames(mint = -Infinity, maxt = Infinity): string[] {
    const names = new Set<string>();
    for (const s of this.inRange(mint, maxt)) for (const n of Object.keys(s.labels)) names.add(n);
    return [...names].sort();
  }

  labelValues(name: string, mint = -Infinity, maxt = Infinity): string[] {
    const values = new Set<string>();
    for (const s of this.inRange(mint, maxt)) {
      const v = s.labels[name];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort();
  }

  private *inRange(mint: number, maxt: number): Iterable<MemSeries> {
    for (const s of this.byKey.values()) if (s.lastT >= mint && s.minT <= maxt) yield s;
  }
}
