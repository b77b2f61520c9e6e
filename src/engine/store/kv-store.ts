import { closeSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, statSync, writeSync, ftruncateSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from './crc32.js';
import { OpsError } from '../../core/errors.js';
import { SocketMutex } from './socket-mutex.js';
import { ensureDataDir } from './ensure-data-dir.js';

/** A JSON document stored under a key. */
export type Doc = unknown;

export interface ReadView {
  get<T = Doc>(key: string): T | undefined;
  /** Keys with the prefix, in sorted order. */
  scan<T = Doc>(prefix: string): Array<[string, T]>;
}

export interface WriteTx extends ReadView {
  put(key: string, value: Doc): void;
  del(key: string): void;
}

interface WalRecord {
  s: number;
  p?: Record<string, Doc>;
  d?: string[];
}

interface Snapshot {
  format: 1;
  seq: number;
  data: Record<string, Doc>;
}

const SNAPSHOT = 'snapshot.json';
const WAL = 'wal.log';

/**
 * The embedded backend's durable key-value store.
 *
 * Layout: `snapshot.json` (state up to a sequence number) plus `wal.log`, one line per committed
 * transaction: `<crc32 hex> <json>`. A write is acknowledged only after its WAL line is fsynced.
 * A process killed mid-append leaves a torn last line; the next process (under the mutex) sees the
 * bad checksum and cuts it off. That line was never acknowledged, so nothing acknowledged is lost.
 *
 * Every read and write runs under the cross-process mutex and first catches up with whatever other
 * processes appended, so all processes on one data dir see one serial history.
 */
export class KvStore {
  private data = new Map<string, Doc>();
  private seq = 0;
  private walFd = -1;
  private walIno = -1;
  private walOffset = 0;
  private sortedKeys: string[] | null = null;
  private readonly mutex: SocketMutex;
  private closed = false;

  private constructor(readonly dir: string, realDir: string, private readonly compactBytes: number) {
    // OPSDECK_STORE_TIMEOUT_MS bounds how long a command waits for a data dir another process holds.
    const timeout = Number(process.env.OPSDECK_STORE_TIMEOUT_MS);
    this.mutex = new SocketMutex(realDir, timeout > 0 ? timeout : undefined);
  }

  /**
   * Opens the store in `dir`, creating the directory if needed. Path problems (too long, a symlink
   * loop, a file system that takes no directories) are configuration errors.
   */
  static open(dir: string, opts: { compactBytes?: number } = {}): KvStore {
    const realDir = ensureDataDir(dir);
    const envBytes = Number(process.env.OPSDECK_WAL_COMPACT_BYTES);
    const compactBytes = opts.compactBytes ?? (envBytes > 0 ? envBytes : 8 * 1024 * 1024);
    return new KvStore(dir, realDir, compactBytes);
  }

  read<T>(fn: (view: ReadView) => T): Promise<T> {
    return this.mutex.withLock(async () => {
      this.catchUp();
      return fn(this.view());
    });
  }

  /**
   * Runs fn as one transaction. Its puts and deletes are applied atomically and are durable when
   * the returned promise resolves. If fn throws, nothing is written.
   */
  update<T>(fn: (tx: WriteTx) => T): Promise<T> {
    return this.mutex.withLock(async () => {
      this.catchUp();
      const staged = new Map<string, Doc | undefined>();
      const base = this.view();
      const tx: WriteTx = {
        get: <V>(key: string) => (staged.has(key) ? (staged.get(key) as V | undefined) : base.get<V>(key)),
        scan: <V>(prefix: string) => {
          const merged = new Map<string, V>(base.scan<V>(prefix));
          for (const [k, v] of staged) {
            if (!k.startsWith(prefix)) continue;
            if (v === undefined) merged.delete(k);
            else merged.set(k, v as V);
          }
          return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        },
        put: (key, value) => void staged.set(key, structuredClone(value)),
        del: (key) => void staged.set(key, undefined),
      };
      const result = fn(tx);
      if (staged.size > 0) this.commit(staged);
      return result;
    });
  }

  close(): void {
    if (this.walFd >= 0) closeSync(this.walFd);
    this.walFd = -1;
    this.closed = true;
  }

  private view(): ReadView {
    return {
      get: <T>(key: string) => this.data.get(key) as T | undefined,
      scan: <T>(prefix: string) => {
        const keys = this.keysSorted();
        const out: Array<[string, T]> = [];
        let i = lowerBound(keys, prefix);
        for (; i < keys.length && keys[i]!.startsWith(prefix); i++) out.push([keys[i]!, this.data.get(keys[i]!) as T]);
        return out;
      },
    };
  }

  private keysSorted(): string[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.data.keys()].sort();
    return this.sortedKeys;
  }

  private commit(staged: Map<string, Doc | undefined>): void {
    const record: WalRecord = { s: this.seq + 1 };
    for (const [k, v] of staged) {
      if (v === undefined) (record.d ??= []).push(k);
      else (record.p ??= {})[k] = v;
    }
    const json = JSON.stringify(record);
    const line = `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
    const bytes = Buffer.from(line);
    writeAll(this.walFd, bytes, this.walOffset);
    fsyncSync(this.walFd);
    this.walOffset += bytes.length;
    this.apply(record);
    if (this.walOffset > this.compactBytes) {
      try {
        this.compact();
      } catch {
        // The write above is already durable in the WAL; a failed compaction (disk full, a
        // permission) must not report it as failed. The next write over the threshold retries.
      }
    }
  }

  private apply(record: WalRecord): void {
    if (record.s <= this.seq) return;
    for (const [k, v] of Object.entries(record.p ?? {})) {
      if (!this.data.has(k)) this.sortedKeys = null;
      this.data.set(k, v);
    }
    for (const k of record.d ?? []) if (this.data.delete(k)) this.sortedKeys = null;
    this.seq = record.s;
  }

  /** Brings memory up to date with the files; called with the mutex held. */
  private catchUp(): void {
    if (this.closed) throw new OpsError('backend', 'the embedded store is closed');
    const walPath = join(this.dir, WAL);
    let ino = -1;
    let size = 0;
    try {
      const st = statSync(walPath);
      ino = st.ino;
      size = st.size;
    } catch {
      // No WAL yet: a fresh store, created below.
    }
    if (this.walFd >= 0 && ino === this.walIno && size >= this.walOffset) {
      if (size > this.walOffset) this.replayWal(this.walOffset, size);
      return;
    }
    this.loadFromScratch();
  }

  private loadFromScratch(): void {
    this.data = new Map();
    this.sortedKeys = null;
    this.seq = 0;
    const snapPath = join(this.dir, SNAPSHOT);
    if (existsSync(snapPath)) {
      let snap: Snapshot;
      try {
        snap = JSON.parse(readFileSync(snapPath, 'utf8')) as Snapshot;
      } catch (e) {
        throw new OpsError('backend', `the embedded store snapshot ${snapPath} is unreadable: ${(e as Error).message}`, 'restore it from a backup, or move the data dir aside to start empty');
      }
      this.data = new Map(Object.entries(snap.data));
      this.seq = snap.seq;
    }
    if (this.walFd >= 0) closeSync(this.walFd);
    this.walFd = openWal(join(this.dir, WAL));
    const st = fstatSync(this.walFd);
    this.walIno = st.ino;
    this.walOffset = 0;
    this.replayWal(0, st.size);
  }

  private replayWal(from: number, to: number): void {
    const buf = Buffer.alloc(to - from);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.walFd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    let pos = 0;
    while (pos < got) {
      const nl = buf.indexOf(10, pos);
      const record = nl < 0 ? null : parseLine(buf.subarray(pos, nl).toString('utf8'));
      if (!record) {
        // A torn or corrupt line. Only a tail can be torn by a crash: cut it off. A bad line with
        // good lines after it means the disk lied, and guessing would lose data, so stop.
        const rest = buf.subarray(nl < 0 ? got : nl + 1, got);
        if (nl >= 0 && rest.toString('utf8').trim().length > 0) {
          throw new OpsError('backend', `the embedded store log ${join(this.dir, WAL)} is corrupt at byte ${from + pos}`, 'copy the data dir for inspection, then restore from a backup');
        }
        ftruncateSync(this.walFd, from + pos);
        fsyncSync(this.walFd);
        this.walOffset = from + pos;
        return;
      }
      this.apply(record);
      pos = nl + 1;
    }
    this.walOffset = from + pos;
  }

  /**
   * Folds the WAL into a new snapshot. Order matters for crash safety: the snapshot is durable
   * before the WAL is replaced, and records already in the snapshot are skipped by sequence number.
   */
  private compact(): void {
    const snap: Snapshot = { format: 1, seq: this.seq, data: Object.fromEntries(this.data) };
    writeDurably(this.dir, SNAPSHOT, JSON.stringify(snap));
    writeDurably(this.dir, WAL, '');
    closeSync(this.walFd);
    // Marked closed first: if reopening fails, the next operation reloads from the files.
    this.walFd = -1;
    this.walFd = openWal(join(this.dir, WAL));
    this.walIno = fstatSync(this.walFd).ino;
    this.walOffset = 0;
  }
}

/** Opens the WAL for positional writes; O_APPEND would make Linux ignore the write position. */
function openWal(path: string): number {
  closeSync(openSync(path, 'a'));
  return openSync(path, 'r+');
}

function parseLine(line: string): WalRecord | null {
  const space = line.indexOf(' ');
  if (space !== 8) return null;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, '0') !== line.slice(0, 8)) return null;
  try {
    return JSON.parse(json) as WalRecord;
  } catch {
    return null;
  }
}

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, position + off);
}

function writeDurably(dir: string, name: string, text: string): void {
  const tmp = join(dir, `${name}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, Buffer.from(text), 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

function lowerBound(keys: string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
