import { closeSync, fstatSync, fsyncSync, openSync, readdirSync, readSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { digestHex } from '../../lib/hash.js';
import { OpsError } from '../../core/errors.js';
import { dataDirError } from '../../core/data-dir-error.js';
import type { Labels } from '../../core/series-source.js';
import { writeAll, writeDurably } from '../store/durable-write.js';
import { ensureDataDir } from '../store/ensure-data-dir.js';
import type { FamilyMetadata } from './exposition-parser.js';
import { decodeRecords, encodeRecord, MAGIC, type RecordBody } from './segment-file.js';
import { DEFAULT_RETENTION, type MemSeries, type Retention, SeriesStore } from './series-store.js';
import { ChunkAppender, CHUNK_SAMPLES, decodeChunk, type SealedChunk } from './xor-chunk.js';

/**
 * The metrics store of one data dir: a SeriesStore in memory, persisted under `<dataDir>/metrics/`.
 *
 * - One writer per data dir: the process that binds the abstract socket named after the dir
 *   (as the KV store's mutex does, the kernel frees it when the process dies, SIGKILL included).
 *   The collector (`metrics collect`, or the console) and `metrics import` are writers; every
 *   other process is a reader that catches up from the files before it answers.
 * - `snap-<S>.odm`: everything the writer held at compaction S, written to a temp file, fsynced
 *   and renamed. `wal-<S>-<n>.odm`: what was flushed after snapshot S, appended and fsynced by
 *   writer session n (a new writer never appends to a file a crashed one may have torn).
 * - A crash loses at most what was not yet flushed; a torn record at the end of a file is ignored
 *   (its flush was never acknowledged) and nothing already on disk is ever rewritten in place.
 * - Compaction writes snap-<S+1> from memory, starts wal-<S+1>-0, then deletes the older files.
 */

const DIR = 'metrics';
const SNAP = /^snap-(\d{10})\.odm$/;
const WAL = /^wal-(\d{10})-(\d{6})\.odm$/;
const RECORD_CHUNKS = 20_000;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

export interface DbOptions {
  retention?: Retention;
  /** Compact once the WAL is larger than this or than the snapshot, whichever is larger. */
  compactBytes?: number;
}

interface FileState {
  offset: number;
  refs: Map<number, MemSeries>;
}

export class MetricsDb {
  readonly mem: SeriesStore;
  readonly dir: string;
  private writerSocket: Server | null = null;
  private snapSeq = -1;
  private readonly files = new Map<string, FileState>();
  // Writer state.
  private walName: string | null = null;
  private walFd: number | null = null;
  private walBytes = 0;
  private walRefs = new Map<MemSeries, number>();
  private dirtyMeta = new Set<string>();
  private lastSnapBytes = 0;
  private readonly compactBytes: number;
  /** Problems met while reading (torn tails, damage), for `metrics status`. */
  readonly problems: string[] = [];

  constructor(readonly dataDir: string, opts: DbOptions = {}) {
    this.mem = new SeriesStore(opts.retention ?? DEFAULT_RETENTION);
    this.dir = join(dataDir, DIR);
    this.compactBytes = opts.compactBytes ?? 8 * 1024 * 1024;
  }

  get isWriter(): boolean {
    return this.writerSocket !== null;
  }

  /**
   * Becomes the data dir's writer if no other process is; false when one is. Loads what is on
   * disk first either way.
   */
  async tryBecomeWriter(): Promise<boolean> {
    if (this.writerSocket) return true;
    const socket = await bindExclusive(writerAddress(this.dataDir));
    if (!socket) return false;
    this.writerSocket = socket;
    try {
      ensureDataDir(this.dir);
      this.refresh();
      this.mem.applyRetention();
      for (const s of this.mem.series()) s.flushedT = s.lastT;
      this.openWal();
    } catch (e) {
      this.releaseWriter();
      throw dataDirError(this.dir, e) ?? e;
    }
    return true;
  }

  /** Writer or nothing: for import, which must not race a collector. */
  async requireWriter(what: string): Promise<void> {
    if (await this.tryBecomeWriter()) return;
    throw new OpsError('conflict', `another opsdeck process is collecting metrics into ${this.dataDir}, so ${what} cannot write there now`, 'stop "opsdeck metrics collect" (or the console) on this data dir and retry, or use another --data-dir');
  }

  /**
   * Catches up with what the writer appended (readers); a no-op for the writer. The store's
   * retention applies here as in the writer's flush, so a reader never answers with samples the
   * writer has already let go of (the files keep them until the next compaction).
   */
  refresh(): void {
    if (this.walFd !== null) return;
    const before = this.mem.maxT;
    this.catchUp();
    if (this.mem.maxT !== before) this.mem.applyRetention();
  }

  private catchUp(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw dataDirError(this.dir, e) ?? e;
    }
    const snaps = names.map((n) => SNAP.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => b - a);
    const newest = snaps[0] ?? 0;
    if (newest !== this.snapSeq && this.snapSeq >= 0) {
      this.reset();
    }
    if (this.snapSeq < 0) {
      this.snapSeq = newest;
      if (snaps.length > 0 && !this.readFile(`snap-${pad(newest, 10)}.odm`)) {
        // Deleted under us by a compaction: start over from the newer files.
        this.reset();
        return this.catchUp();
      }
    }
    const wals = names
      .map((n) => WAL.exec(n))
      .filter((m) => m !== null && Number(m[1]) === this.snapSeq)
      .map((m) => m![0])
      .sort();
    for (const name of wals) {
      if (!this.readFile(name)) {
        this.reset();
        return this.catchUp();
      }
    }
  }

  private reset(): void {
    const retention = this.mem.retention;
    Object.assign(this, { mem: new SeriesStore(retention) });
    this.files.clear();
    this.snapSeq = -1;
  }

  /** Reads the new part of one file into memory; false when the file is gone. */
  private readFile(name: string): boolean {
    let state = this.files.get(name);
    let buf: Buffer;
    try {
      buf = readFrom(join(this.dir, name), state?.offset ?? 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw dataDirError(this.dir, e) ?? e;
    }
    if (state) {
      // Only the part not read yet was loaded: decode it as if it started the file.
      if (buf.length === 0) return true;
      const { records, validEnd } = decodeRecords(buf, 0);
      for (const r of records) this.apply(r, state.refs);
      state.offset += validEnd;
      return true;
    }
    if (buf.length < MAGIC.length) return true; // being created; read again next time
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) {
      this.note(`${name} is not an opsdeck metrics file; it was skipped`);
      this.files.set(name, { offset: buf.length, refs: new Map() });
      return true;
    }
    state = { offset: MAGIC.length, refs: new Map() };
    this.files.set(name, state);
    const { records, validEnd, problem } = decodeRecords(buf, state.offset);
    for (const r of records) this.apply(r, state.refs);
    state.offset = validEnd;
    if (problem && name.startsWith('snap-')) this.note(`${name}: ${problem}; the samples before it were read`);
    return true;
  }

  private note(problem: string): void {
    if (!this.problems.includes(problem)) this.problems.push(problem);
  }

  private apply(r: RecordBody, refs: Map<number, MemSeries>): void {
    for (const d of r.defs) refs.set(d.ref, this.mem.getOrCreate(Object.fromEntries(JSON.parse(d.key) as Array<[string, string]>)));
    for (const { ref, chunk } of r.chunks) {
      let s = refs.get(ref);
      if (!s) continue;
      // Retention removed the series since its definition was read: the writer's later samples
      // start it again in the store.
      if (s.dropped) refs.set(ref, (s = this.mem.getOrCreate(s.labels)));
      // Full chunks are taken as they are; the small ones of frequent flushes are re-packed, and so
      // are the long ones of one big flush (an import), so that retention can drop their old part.
      if (chunk.count >= CHUNK_SAMPLES / 2 && chunk.count <= CHUNK_SAMPLES && !s.head) {
        if (this.mem.adoptChunk(s, chunk)) continue;
      }
      const t = new Float64Array(chunk.count);
      const v = new Float64Array(chunk.count);
      decodeChunk(chunk.bytes, chunk.count, t, v);
      for (let i = 0; i < chunk.count; i++) this.mem.appendTo(s, t[i]!, v[i]!);
    }
    for (const [family, meta] of Object.entries(r.metadata)) this.mem.metadata.set(family, meta);
  }

  setMetadata(family: string, meta: FamilyMetadata): void {
    const old = this.mem.metadata.get(family);
    if (old && old.type === meta.type && old.help === meta.help && old.unit === meta.unit) return;
    this.mem.metadata.set(family, meta);
    this.dirtyMeta.add(family);
  }

  append(labels: Labels, t: number, v: number): boolean {
    return this.mem.append(labels, t, v);
  }

  /**
   * Writes what was appended since the last flush to the WAL and fsyncs it, then applies
   * retention and compacts when the WAL has grown. Returns the bytes written.
   */
  flush(): number {
    if (this.walFd === null) throw new OpsError('internal', 'flush without being the writer');
    const defs: RecordBody['defs'] = [];
    const chunks: RecordBody['chunks'] = [];
    for (const s of this.mem.series()) {
      if (!(s.lastT > s.flushedT)) continue;
      const chunk = newSince(s, s.flushedT);
      s.flushedT = s.lastT;
      if (!chunk) continue;
      let ref = this.walRefs.get(s);
      if (ref === undefined) {
        this.walRefs.set(s, (ref = this.walRefs.size + 1));
        defs.push({ ref, key: s.key });
      }
      chunks.push({ ref, chunk });
    }
    const metadata: Record<string, FamilyMetadata> = {};
    for (const f of this.dirtyMeta) metadata[f] = this.mem.metadata.get(f)!;
    this.dirtyMeta.clear();
    let written = 0;
    if (chunks.length > 0 || Object.keys(metadata).length > 0) {
      const rec = encodeRecord({ defs, chunks, metadata });
      writeAll(this.walFd, rec, this.walBytes);
      fsyncSync(this.walFd);
      this.walBytes += rec.length;
      written = rec.length;
    }
    this.mem.applyRetention();
    if (this.walBytes > Math.max(this.compactBytes, this.lastSnapBytes)) this.compact();
    return written;
  }

  /** Writes memory as snapshot S+1, starts its WAL, and deletes the older files. */
  compact(): void {
    if (this.walFd === null) throw new OpsError('internal', 'compact without being the writer');
    this.mem.applyRetention();
    const next = this.snapSeq + 1;
    const parts: Buffer[] = [MAGIC];
    let defs: RecordBody['defs'] = [];
    let chunks: RecordBody['chunks'] = [];
    const meta = Object.fromEntries(this.mem.metadata);
    let ref = 0;
    const push = () => {
      parts.push(encodeRecord({ defs, chunks, metadata: parts.length === 1 ? meta : {} }));
      defs = [];
      chunks = [];
    };
    for (const s of this.mem.series()) {
      defs.push({ ref: ++ref, key: s.key });
      for (const c of s.allChunks()) chunks.push({ ref, chunk: c });
      s.flushedT = s.lastT;
      if (chunks.length >= RECORD_CHUNKS) push();
    }
    push();
    const content = Buffer.concat(parts);
    writeDurably(this.dir, `snap-${pad(next, 10)}.odm`, content);
    this.lastSnapBytes = content.length;
    const old = this.snapSeq;
    closeSync(this.walFd);
    this.walFd = null;
    this.snapSeq = next;
    this.openWal();
    for (const n of readdirSync(this.dir)) {
      const m = SNAP.exec(n) ?? WAL.exec(n);
      if (m && Number(m[1]) <= old && n !== this.walName) unlinkSync(join(this.dir, n));
    }
  }

  /** On-disk bytes of the current snapshot and WAL files. */
  diskBytes(): number {
    let total = 0;
    try {
      for (const n of readdirSync(this.dir)) if (SNAP.test(n) || WAL.test(n)) total += statSync(join(this.dir, n)).size;
    } catch {
      return 0;
    }
    return total;
  }

  private openWal(): void {
    if (this.snapSeq < 0) this.snapSeq = 0;
    const names = readdirSync(this.dir);
    let n = 0;
    for (const name of names) {
      const m = WAL.exec(name);
      if (m && Number(m[1]) === this.snapSeq) n = Math.max(n, Number(m[2]) + 1);
    }
    this.walName = `wal-${pad(this.snapSeq, 10)}-${pad(n, 6)}.odm`;
    this.walFd = openSync(join(this.dir, this.walName), 'wx');
    writeAll(this.walFd, MAGIC, 0);
    fsyncSync(this.walFd);
    this.walBytes = MAGIC.length;
    this.walRefs = new Map();
    // Metadata is repeated in each WAL so a reader of this file alone has it.
    for (const f of this.mem.metadata.keys()) this.dirtyMeta.add(f);
  }

  /** Flushes (writer), closes the WAL and gives up the writer role. */
  close(): void {
    if (this.walFd !== null) {
      try {
        this.flush();
      } finally {
        closeSync(this.walFd);
        this.walFd = null;
      }
    }
    this.releaseWriter();
  }

  private releaseWriter(): void {
    this.writerSocket?.close();
    this.writerSocket = null;
  }
}

/** The bytes of a file from offset to its current end (a reader catching up reads only what is new). */
function readFrom(path: string, offset: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const buf = Buffer.alloc(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The samples of s after time `after`, as one fresh chunk (null when none). */
function newSince(s: MemSeries, after: number): SealedChunk | null {
  const { t, v } = s.read(after === -Infinity ? -Infinity : after + 1, Infinity);
  if (t.length === 0) return null;
  const a = new ChunkAppender();
  for (let i = 0; i < t.length; i++) a.append(t[i]!, v[i]!);
  return a.seal();
}

function writerAddress(dataDir: string): string {
  let real = dataDir;
  try {
    real = realpathSync(dataDir);
  } catch {
    // Not created yet: the path as given names it.
  }
  return `\0opsdeck-metrics-writer-${digestHex('sha1', real).slice(0, 24)}`;
}

function bindExclusive(address: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(null) : reject(new OpsError('backend', `cannot claim the metrics store: ${e.message}`, 'opsdeck needs Linux abstract sockets for the embedded store'))));
    server.listen(address, () => {
      // The claim must not keep a finished command alive.
      server.unref();
      resolve(server);
    });
  });
}

const open = new Map<string, MetricsDb>();

/** The process's one MetricsDb for a data dir (the collector and the queries share it). */
export function metricsDbFor(dataDir: string, opts: DbOptions = {}): MetricsDb {
  let db = open.get(dataDir);
  if (!db) open.set(dataDir, (db = new MetricsDb(dataDir, opts)));
  else if (opts.retention) db.mem.retention = opts.retention;
  return db;
}

export function forgetMetricsDb(dataDir: string): void {
  open.get(dataDir)?.close();
  open.delete(dataDir);
}
