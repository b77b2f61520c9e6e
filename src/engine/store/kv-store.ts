import { closeSync, fstatSync, fsyncSync, openSync, readSync, statSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { OpsError } from '../../core/errors.js';
import { onDataDir } from '../../core/data-dir-error.js';
import { SocketMutex } from './socket-mutex.js';
import { ensureDataDir } from './ensure-data-dir.js';
import { writeAll, writeDurably } from './durable-write.js';
import { createHead, HEAD, readHead, writeHead } from './head-file.js';
import { encodeSnapshot, readSnapshot } from './snapshot-file.js';
import { storeDamaged, storeTooNew } from './store-damage.js';
import { encodeRecord, encodeWalHeader, isWalHeader, parseRecord, parseWalHeader, type WalRecord } from './wal-format.js';

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

const SNAPSHOT = 'snapshot.json';
const WAL = 'wal.log';

/** A bad last line of the WAL, left for the next writer to cut off (readers read around it). */
interface Tail {
  at: number;
  /** Whether it ends in a newline: then it was written whole and failed its checksum. */
  complete: boolean;
}

/**
 * The embedded backend's durable key-value store. The file formats, how a torn last line is told
 * apart from damage, and the migration from the first format are in ARCHITECTURE.md
 * ("The embedded store").
 *
 * Every read and write first catches up with whatever other processes appended, so all processes on
 * one data dir see one serial history. Writes run under the cross-process mutex; reads try without
 * it first. Reads never change a file; only a write repairs a torn tail or upgrades the format, and
 * only after the checks that prove nothing acknowledged is lost.
 */
export class KvStore {
  private data = new Map<string, Doc>();
  private seq = 0;
  private sortedKeys: string[] | null = null;
  private readonly mutex: SocketMutex;
  private closed = false;

  /** What the last catch-up found on disk. */
  private snapSeq = 0;
  private snapSha: string | null = null;
  private snapFormat: 1 | 2 | null = null;
  private headSeq: number | null = null;
  private walFd = -1;
  private walWritable = false;
  private walIno = -1;
  /** The end of the last good WAL line read; the next record is written here. */
  private walOffset = 0;
  /** 2 with a header line; 1 for the first format (no header; also an empty file). */
  private walFormat: 1 | 2 = 1;
  /** The seq the next WAL record must carry; null before the first record of a first-format WAL. */
  private walNext: number | null = null;
  private tail: Tail | null = null;

  private constructor(readonly dir: string, realDir: string, private readonly compactBytes: number) {
    // OPSDECK_STORE_TIMEOUT_MS bounds how long a command waits for a data dir another process holds.
    const timeout = Number(process.env.OPSDECK_STORE_TIMEOUT_MS);
    this.mutex = new SocketMutex(realDir, timeout > 0 ? timeout : undefined);
  }

  /**
   * Opens the store in `dir`, creating the directory (never a file in it) if needed. Path problems
   * (too long, a symlink loop, a file system that takes no directories) are configuration errors.
   */
  static open(dir: string, opts: { compactBytes?: number } = {}): KvStore {
    const realDir = ensureDataDir(dir);
    const envBytes = Number(process.env.OPSDECK_WAL_COMPACT_BYTES);
    const compactBytes = opts.compactBytes ?? (envBytes > 0 ? envBytes : 8 * 1024 * 1024);
    return new KvStore(dir, realDir, compactBytes);
  }

  /**
   * Runs fn over the store as it is now. A read first tries without the mutex: the files only ever
   * change by appends and atomic renames, so what it reads is either one state some write left, or
   * a mix that the catch-up checks refuse (ARCHITECTURE.md, "Reads take no lock"). Only then, or
   * while this process has a write queued, does it wait for the mutex, whose catch-up is the one
   * that reports damage. A one-shot read so skips binding the socket, and readers never wait for
   * writers in other processes.
   */
  read<T>(fn: (view: ReadView) => T): Promise<T> {
    if (this.mutex.idle && this.catchUpWithoutLock()) {
      try {
        return Promise.resolve(fn(this.view()));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this.mutex.withLock(async () => {
      onDataDir(this.dir, () => this.catchUp());
      return fn(this.view());
    });
  }

  /**
   * Runs fn as one transaction. Its puts and deletes are applied atomically and are durable when
   * the returned promise resolves. If fn throws, nothing is written.
   */
  update<T>(fn: (tx: WriteTx) => T): Promise<T> {
    return this.mutex.withLock(async () => {
      onDataDir(this.dir, () => this.catchUp());
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
      // Writing creates files in a directory that exists: ENOENT means its file system refused.
      if (staged.size > 0) onDataDir(this.dir, () => this.commit(staged), true);
      return result;
    });
  }

  close(): void {
    this.closeWal();
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
    this.prepareToWrite();
    const record: WalRecord = { s: this.seq + 1 };
    for (const [k, v] of staged) {
      if (v === undefined) (record.d ??= []).push(k);
      else (record.p ??= {})[k] = v;
    }
    const bytes = Buffer.from(encodeRecord(record));
    try {
      writeAll(this.walFd, bytes, this.walOffset);
      fsyncSync(this.walFd);
    } catch (e) {
      // Leave no partial line behind for the next write to land after.
      try {
        ftruncateSync(this.walFd, this.walOffset);
      } catch {
        // The torn line, if any, is past the head and is cut off by the next writer.
      }
      throw e;
    }
    this.walOffset += bytes.length;
    this.walNext = record.s + 1;
    this.apply(record);
    // Only now is the write acknowledged: its line is on disk, and the head says so.
    writeHead(this.dir, record.s);
    this.headSeq = record.s;
    if (this.walOffset > this.compactBytes) {
      try {
        this.compact();
      } catch {
        // The write above is already durable in the WAL; a failed compaction (disk full, a
        // permission) must not report it as failed. The next write over the threshold retries.
      }
    }
  }

  /**
   * What a writer does before appending, each step safe only because catchUp has just proved that
   * every acknowledged write is in memory: cut off a torn tail (it holds nothing acknowledged),
   * create the head, and bring first-format files to the current format.
   */
  private prepareToWrite(): void {
    if (this.tail) {
      this.openWalForWriting();
      ftruncateSync(this.walFd, this.tail.at);
      fsyncSync(this.walFd);
      this.tail = null;
    }
    // The head comes first: from here on a lost WAL or snapshot is detected.
    if (this.headSeq === null) {
      createHead(this.dir, this.seq);
      this.headSeq = this.seq;
    }
    if (this.snapFormat === 1) this.compact();
    else if (this.walFd < 0 || this.walFormat !== 2) {
      // Nothing past the snapshot: a header-only WAL loses nothing. Otherwise fold it all in.
      if (this.seq === this.snapSeq) this.startWal(this.seq, this.snapSha);
      else this.compact();
    }
    this.openWalForWriting();
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

  /** Whether a catch-up without the mutex read one consistent state; anything it threw is retried under the mutex. */
  private catchUpWithoutLock(): boolean {
    try {
      this.catchUp();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Brings memory up to date with the files, and refuses damage. Under the mutex its refusal is
   * final; without it, a refusal may be a write caught half-way, and the caller retries locked.
   */
  private catchUp(): void {
    if (this.closed) throw new OpsError('backend', 'the embedded store is closed');
    try {
      const st = statSync(join(this.dir, WAL), { throwIfNoEntry: false });
      this.headSeq = readHead(this.dir);
      if (this.walFd >= 0 && st && st.ino === this.walIno && st.size >= this.walOffset) {
        this.tail = null;
        if (st.size > this.walOffset) this.replayWal(this.walOffset, st.size);
      } else {
        this.loadFromScratch();
      }
      this.checkAcknowledged();
    } catch (e) {
      // Memory may hold part of what was read: the next operation starts again from the files,
      // so a long-lived process (the console) refuses until they are whole, then sees all of them.
      this.closeWal();
      throw e;
    }
  }

  private loadFromScratch(): void {
    this.data = new Map();
    this.sortedKeys = null;
    this.tail = null;
    const snap = readSnapshot(this.dir, join(this.dir, SNAPSHOT));
    this.snapFormat = snap?.format ?? null;
    this.snapSeq = snap?.seq ?? 0;
    this.snapSha = snap?.sha256 ?? null;
    this.seq = this.snapSeq;
    if (snap) this.data = new Map(Object.entries(snap.data));
    this.closeWal();
    this.walFormat = 1;
    this.walNext = null;
    this.walOffset = 0;
    try {
      this.walFd = openSync(join(this.dir, WAL), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    const st = fstatSync(this.walFd);
    this.walIno = st.ino;
    this.replayWal(0, st.size);
  }

  /** Reads WAL lines in [from, to), checking each record's checksum and place in the sequence. */
  private replayWal(from: number, to: number): void {
    const buf = Buffer.alloc(to - from);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.walFd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    let pos = 0;
    if (from === 0 && got > 0 && isWalHeader(buf.toString('latin1', 0, Math.min(got, 12)))) {
      const nl = buf.indexOf(10);
      const header = nl < 0 ? null : parseWalHeader(buf.toString('utf8', 0, nl));
      if (!header) throw storeDamaged(this.dir, `${WAL} has a damaged header line`);
      if (header.format !== 2) throw storeTooNew(this.dir, WAL, header.format);
      this.checkContinues(header.base, header.snapshot);
      this.walFormat = 2;
      this.walNext = header.base + 1;
      pos = nl + 1;
      this.walOffset = pos;
    }
    while (pos < got) {
      const nl = buf.indexOf(10, pos);
      const record = nl < 0 ? null : parseRecord(buf.toString('utf8', pos, nl));
      if (!record) {
        // Only the last line can be torn by a crash; whether it may be dropped is decided by
        // checkAcknowledged. A bad line with anything after it is damage.
        if (nl >= 0 && nl + 1 < got) {
          throw storeDamaged(this.dir, `${WAL} has a damaged line at byte ${from + pos}, with more lines after it`);
        }
        this.tail = { at: from + pos, complete: nl >= 0 };
        return;
      }
      if (this.walNext === null && record.s > this.seq + 1) {
        throw storeDamaged(this.dir, `${WAL} starts at write ${record.s}, but ${SNAPSHOT} ${this.snapFormat ? `ends at write ${this.seq}` : 'is missing'}`);
      }
      const expected = this.walNext ?? record.s;
      if (record.s !== expected) {
        throw storeDamaged(this.dir, `${WAL} has write ${record.s} at byte ${from + pos} where write ${expected} belongs (a line is missing or repeated)`);
      }
      this.walNext = record.s + 1;
      this.apply(record);
      pos = nl + 1;
      this.walOffset = from + pos;
    }
  }

  /** The WAL header names the snapshot it continues; check that it is the one on disk. */
  private checkContinues(base: number, snapshot: string | null): void {
    if (base === 0 && snapshot === null) return;
    if (!this.snapFormat) throw storeDamaged(this.dir, `${SNAPSHOT} is missing, but ${WAL} continues a snapshot of write ${base}`);
    if (this.snapSeq < base) throw storeDamaged(this.dir, `${SNAPSHOT} ends at write ${this.snapSeq}, older than the write ${base} ${WAL} continues (was an old copy put back?)`);
    // A newer snapshot next to an older WAL is a compaction that stopped between its two renames.
    if (this.snapSeq === base && this.snapSha !== snapshot) throw storeDamaged(this.dir, `${SNAPSHOT} is not the snapshot ${WAL} continues (their checksums differ)`);
  }

  /** Every acknowledged write must be in memory now; a bad last line may go only if it is past them. */
  private checkAcknowledged(): void {
    const walFiles = this.walFormat === 2 || this.snapFormat === 2;
    if (this.headSeq === null) {
      // Without a head, the store is new or in the first format, which cannot tell more.
      if (walFiles) throw storeDamaged(this.dir, `${HEAD} is missing, so lost writes cannot be ruled out`);
      return;
    }
    if (this.seq >= this.headSeq) return;
    const lost = `writes up to ${this.headSeq} were acknowledged (${HEAD})`;
    if (this.tail) {
      const what = this.tail.complete ? 'fails its checksum' : 'is incomplete';
      throw storeDamaged(this.dir, `the line at byte ${this.tail.at} of ${WAL} ${what} and holds write ${this.seq + 1}, but ${lost}`);
    }
    if (this.walFd < 0) throw storeDamaged(this.dir, `${WAL} is missing, but ${lost}`);
    throw storeDamaged(this.dir, `${WAL} ends at write ${this.seq}, but ${lost}: the log was cut short or replaced`);
  }

  /**
   * Folds the WAL into a new snapshot. Order matters for crash safety: the snapshot is durable
   * before the WAL is replaced, and a WAL left behind by a crash between the two holds only
   * writes the snapshot already has, which replay skips by sequence number.
   */
  private compact(): void {
    const { text, sha256 } = encodeSnapshot(this.seq, Object.fromEntries(this.data));
    writeDurably(this.dir, SNAPSHOT, text);
    this.snapFormat = 2;
    this.snapSeq = this.seq;
    this.snapSha = sha256;
    this.startWal(this.seq, sha256);
  }

  /** Replaces the WAL with a header-only one continuing the snapshot at base. */
  private startWal(base: number, snapshot: string | null): void {
    const header = encodeWalHeader(base, snapshot);
    writeDurably(this.dir, WAL, header);
    // Marked closed first: if reopening fails, the next operation reloads from the files.
    this.closeWal();
    this.walFd = openSync(join(this.dir, WAL), 'r+');
    this.walWritable = true;
    this.walIno = fstatSync(this.walFd).ino;
    this.walOffset = Buffer.byteLength(header);
    this.walFormat = 2;
    this.walNext = base + 1;
    this.tail = null;
  }

  /** Readers hold the WAL read-only; the first write reopens it for positional writes. */
  private openWalForWriting(): void {
    if (this.walWritable) return;
    const fd = openSync(join(this.dir, WAL), 'r+');
    if (fstatSync(fd).ino !== this.walIno) {
      closeSync(fd);
      throw new OpsError('backend', `the embedded store log ${join(this.dir, WAL)} was replaced while opsdeck held the data dir`, 'retry the command');
    }
    closeSync(this.walFd);
    this.walFd = fd;
    this.walWritable = true;
  }

  private closeWal(): void {
    if (this.walFd >= 0) closeSync(this.walFd);
    this.walFd = -1;
    this.walWritable = false;
    this.walIno = -1;
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
