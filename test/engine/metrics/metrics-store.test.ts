import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStaleNaN, staleNaN } from '../../../src/core/series-source.js';
import { MetricsDb } from '../../../src/engine/metrics/durable-metrics.js';
import { SeriesStore } from '../../../src/engine/metrics/series-store.js';
import { ChunkAppender, decodeChunk } from '../../../src/engine/metrics/xor-chunk.js';

const dirs: string[] = [];
const dbs: MetricsDb[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'opsdeck-metrics-'));
  dirs.push(d);
  return d;
};
const openDb = (dir: string, opts = {}) => {
  const db = new MetricsDb(dir, opts);
  dbs.push(db);
  return db;
};
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A deterministic pseudo-random walk, so failures reproduce. */
function walk(n: number, seed = 7): Array<[number, number]> {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: Array<[number, number]> = [];
  let t = 1_700_000_000_000;
  let v = 100;
  for (let i = 0; i < n; i++) {
    t += 15_000 + (rnd() < 0.1 ? Math.floor(rnd() * 2000) - 1000 : 0);
    v = rnd() < 0.3 ? v : v + Math.round(rnd() * 100) / 10;
    out.push([t, v]);
  }
  return out;
}

describe('XOR chunks', () => {
  it('round-trip every value exactly, special floats and odd gaps included', () => {
    const samples: Array<[number, number]> = [
      [-5000, 0],
      [0, -0],
      [1, NaN],
      [2, Infinity],
      [3, -Infinity],
      [1_000_000_000_003, Number.MAX_VALUE],
      [1_000_000_000_004, Number.MIN_VALUE],
      [1_000_000_008_196, 1e-300],
      [1_000_000_016_389, 0.1 + 0.2],
      [1_000_100_016_389, -123456.789],
      [1_000_100_016_390, staleNaN()],
      [1_000_100_016_391, 2 ** 53],
    ];
    const a = new ChunkAppender();
    for (const [t, v] of samples) a.append(t, v);
    const c = a.seal();
    const t = new Float64Array(c.count);
    const v = new Float64Array(c.count);
    decodeChunk(c.bytes, c.count, t, v);
    expect([...t]).toEqual(samples.map((s) => s[0]));
    expect([...v].slice(0, 10)).toEqual(samples.slice(0, 10).map((s) => s[1]));
    expect(Object.is(v[1], -0)).toBe(true);
    expect(isStaleNaN(v[10]!)).toBe(true);
    expect(v[11]).toBe(2 ** 53);
  });

  it('compress a regular scrape well below 16 bytes a sample', () => {
    const a = new ChunkAppender();
    const data = walk(120);
    for (const [t, v] of data) a.append(t, v);
    const c = a.seal();
    const t = new Float64Array(120);
    const v = new Float64Array(120);
    decodeChunk(c.bytes, 120, t, v);
    expect([...v]).toEqual(data.map((d) => d[1]));
    expect(c.bytes.length / 120).toBeLessThan(6);
  });
});

describe('SeriesStore', () => {
  it('selects by every matcher type through the index, with a missing label reading as ""', () => {
    const s = new SeriesStore();
    s.append({ __name__: 'up', job: 'api', instance: 'a' }, 1000, 1);
    s.append({ __name__: 'up', job: 'db', instance: 'b' }, 1000, 0);
    s.append({ __name__: 'req_total', job: 'api' }, 1000, 5);
    const names = (m: Parameters<SeriesStore['select']>[0]) => [...s.select(m, 0, 2000)].map((x) => `${x.labels.__name__}/${x.labels.job}`).sort();
    expect(names([{ name: '__name__', type: '=', value: 'up' }])).toEqual(['up/api', 'up/db']);
    expect(names([{ name: 'job', type: '!=', value: 'api' }])).toEqual(['up/db']);
    expect(names([{ name: 'job', type: '=~', value: 'a.*' }])).toEqual(['req_total/api', 'up/api']);
    expect(names([{ name: 'job', type: '=~', value: 'p' }])).toEqual([]); // anchored
    expect(names([{ name: 'job', type: '!~', value: 'api|db' }])).toEqual([]);
    expect(names([{ name: 'instance', type: '=', value: '' }])).toEqual(['req_total/api']);
    expect(s.labelNames()).toEqual(['__name__', 'instance', 'job']);
    expect(s.labelValues('job')).toEqual(['api', 'db']);
    expect(() => names([{ name: 'job', type: '=~', value: '(' }])).toThrow(/invalid regular expression "\("/);
  });

  it('returns only samples in [mint, maxt], across chunks, and refuses out-of-order samples', () => {
    const s = new SeriesStore();
    const data = walk(500);
    for (const [t, v] of data) s.append({ __name__: 'x' }, t, v);
    expect(s.append({ __name__: 'x' }, data[10]![0], 1)).toBe(false);
    const mint = data[100]![0];
    const maxt = data[399]![0];
    const [got] = [...s.select([{ name: '__name__', type: '=', value: 'x' }], mint, maxt)];
    expect([...got!.t]).toEqual(data.slice(100, 400).map((d) => d[0]));
    expect([...got!.v]).toEqual(data.slice(100, 400).map((d) => d[1]));
    expect([...s.select([], 0, 1)]).toEqual([]);
  });

  it('applies retention by time from the newest sample, and by bytes oldest chunk first', () => {
    const s = new SeriesStore({ timeMs: 3600_000, bytes: 1e9 });
    const data = walk(1000); // about 4 hours at 15 s
    for (const [t, v] of data) s.append({ __name__: 'x' }, t, v);
    s.append({ __name__: 'old' }, data[0]![0], 1);
    expect(s.applyRetention()).toBeGreaterThan(700);
    const [kept] = [...s.select([], 0, Infinity)];
    expect(kept!.t[0]!).toBeGreaterThanOrEqual(data[999]![0] - 3600_000 - 120 * 16_000);
    expect(s.seriesCount).toBe(1); // "old" is gone, index and all
    expect(s.labelValues('__name__')).toEqual(['x']);

    const b = new SeriesStore({ timeMs: 1e12, bytes: 3000 });
    for (const [t, v] of data) b.append({ __name__: 'x' }, t, v);
    b.applyRetention();
    expect(b.stats().bytes).toBeLessThanOrEqual(3000);
    const [rest] = [...b.select([], 0, Infinity)];
    expect(rest!.t[rest!.t.length - 1]).toBe(data[999]![0]);
  });
});

describe('MetricsDb on disk', () => {
  it('persists what a writer flushed so another process (a reader) sees it, and catches up incrementally', async () => {
    const dir = tempDir();
    const w = openDb(dir);
    expect(await w.tryBecomeWriter()).toBe(true);
    const r = openDb(dir);
    expect(await r.tryBecomeWriter()).toBe(false);
    const data = walk(300);
    for (const [t, v] of data.slice(0, 200)) w.append({ __name__: 'x', job: 'a' }, t, v);
    w.setMetadata('x', { type: 'gauge', help: 'an x', unit: '' });
    w.flush();
    r.refresh();
    expect([...r.mem.select([], 0, Infinity)][0]!.t.length).toBe(200);
    expect(r.mem.metadata.get('x')?.help).toBe('an x');
    for (const [t, v] of data.slice(200)) w.append({ __name__: 'x', job: 'a' }, t, v);
    w.flush();
    r.refresh();
    const [got] = [...r.mem.select([], 0, Infinity)];
    expect([...got!.v]).toEqual(data.map((d) => d[1]));
  });

  it('a reader applies the retention too, and keeps reading the series the writer goes on writing after it', async () => {
    const dir = tempDir();
    // Retention of 30 minutes, counted back from the newest sample; the data spans 300 × 15 s = 75
    // min in chunks of 120 samples, so the first chunk (its last sample 45 min old) is past it.
    const retention = { timeMs: 1_800_000, bytes: 256 * 1024 * 1024 };
    const w = openDb(dir, { retention });
    expect(await w.tryBecomeWriter()).toBe(true);
    const data = walk(300);
    for (const [t, v] of data) w.append({ __name__: 'x', job: 'a' }, t, v);
    w.flush();
    const r = openDb(dir, { retention });
    r.refresh();
    const newest = data.at(-1)![0];
    const [read] = [...r.mem.select([], 0, Infinity)];
    // Whole chunks older than the cut-off are gone, as in the writer's own memory.
    expect(read!.t[0]!).toBeGreaterThanOrEqual(newest - retention.timeMs - 120 * 16_000);
    expect(read!.t.length).toBeLessThan(data.length);
    const [written] = [...w.mem.select([], 0, Infinity)];
    expect(read!.t.length).toBe(written!.t.length);
    // A series the retention removed entirely comes back when the writer appends to it again.
    const later = newest + 10 * 3_600_000;
    w.append({ __name__: 'y', job: 'a' }, newest, 1);
    w.flush();
    r.refresh();
    w.append({ __name__: 'x', job: 'a' }, later, 42);
    w.append({ __name__: 'y', job: 'a' }, later, 43);
    w.flush();
    r.refresh();
    // Retention drops whole chunks (an open chunk with a new sample stays), so compare what both
    // processes hold rather than a fixed list: the reader holds exactly what the writer holds.
    const held = (db: MetricsDb) => Object.fromEntries([...db.mem.select([], 0, Infinity)].map((s) => [s.labels.__name__!, [...s.t]]));
    expect(held(r)).toEqual(held(w));
    expect(held(r).x!.at(-1)).toBe(later);
    expect(held(r).y!.at(-1)).toBe(later);
  });

  it('keeps the data across compaction and a new writer session, and ignores a torn tail', async () => {
    const dir = tempDir();
    const w = openDb(dir, { compactBytes: 1 });
    await w.tryBecomeWriter();
    const data = walk(400);
    for (const [t, v] of data.slice(0, 300)) w.append({ __name__: 'x' }, t, v);
    w.flush(); // compacts: the WAL is over 1 byte
    expect(readdirSync(join(dir, 'metrics')).sort()).toEqual(['snap-0000000001.odm', 'wal-0000000001-000000.odm']);
    for (const [t, v] of data.slice(300)) w.append({ __name__: 'x' }, t, v);
    w.close();
    // A crash mid-append leaves a partial record at the end of the newest WAL.
    const wal = join(dir, 'metrics', readdirSync(join(dir, 'metrics')).filter((n) => n.startsWith('wal-')).sort().at(-1)!);
    appendFileSync(wal, Buffer.from([40, 0, 0, 0, 1, 2, 3]));
    const again = openDb(dir);
    expect(await again.tryBecomeWriter()).toBe(true);
    const [got] = [...again.mem.select([], 0, Infinity)];
    expect([...got!.t]).toEqual(data.map((d) => d[0]));
    // The new session writes a file of its own and never touches the torn one.
    expect(readdirSync(join(dir, 'metrics')).filter((n) => n.startsWith('wal-')).length).toBe(2);
    const compact = openDb(dir);
    compact.refresh();
    expect(compact.mem.stats().samples).toBe(400);
  });

  it('never reads a damaged record as data: a flipped byte ends that file there', async () => {
    const dir = tempDir();
    const w = openDb(dir);
    await w.tryBecomeWriter();
    w.append({ __name__: 'x' }, 1000, 1);
    w.flush();
    w.append({ __name__: 'x' }, 2000, 2);
    w.flush();
    w.close();
    const wal = join(dir, 'metrics', readdirSync(join(dir, 'metrics'))[0]!);
    const bytes = readFileSync(wal);
    const size = statSync(wal).size;
    bytes[size - 3] = bytes[size - 3]! ^ 0xff; // inside the second record
    writeFileSync(wal, bytes);
    const r = openDb(dir);
    r.refresh();
    const [got] = [...r.mem.select([], 0, Infinity)];
    expect([...got!.v]).toEqual([1]);
    truncateSync(wal, 5);
    const r2 = openDb(dir);
    r2.refresh();
    expect(r2.mem.seriesCount).toBe(0);
  });

  it('refuses a second writer with a clear message', async () => {
    const dir = tempDir();
    await openDb(dir).tryBecomeWriter();
    await expect(openDb(dir).requireWriter('metrics import')).rejects.toThrow(/another opsdeck process is collecting metrics into .*, so metrics import cannot write there now/);
  });
});
