import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, opsdeck, sandbox } from '../helpers/cli.js';
import { filesOf } from '../helpers/files-of.js';

const ITERATIONS = 30;
/** Lines queued ahead of the writer, so it never idles waiting for input before the kill. */
const AHEAD = 32;

let box: ReturnType<typeof sandbox>;
const live = new Set<ChildProcessWithoutNullStreams>();

beforeEach(() => {
  box = sandbox();
});

afterEach(() => {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  live.clear();
  box.cleanup();
});

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

function start(env: NodeJS.ProcessEnv, args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  // Writing to a killed child's stdin fails with EPIPE; that is expected here.
  child.stdin.on('error', () => undefined);
  return child;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Splits a stream of pretty-printed JSON results (each ends with a "}" or "]" alone on a line, or
 * is a one-line "[]" or "{}") into the complete ones and the unfinished rest.
 */
function completeResults(text: string): { results: unknown[]; rest: string } {
  const results: unknown[] = [];
  let from = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
    const line = text.slice(from, nl);
    from = nl + 1;
    if (line === '}' || line === ']' || (start === from - line.length - 1 && (line === '[]' || line === '{}'))) {
      results.push(JSON.parse(text.slice(start, nl)));
      start = from;
    }
  }
  return { results, rest: text.slice(start) };
}

interface WriterOutcome {
  acked: Array<[string, string]>;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts a writer in replay-from-stdin mode, keeps `config set` lines flowing and SIGKILLs it
 * `killAfterMs` after it was started (`from: 'spawn'`, which also hits start-up and store opening)
 * or after its first acknowledgement (`from: 'first-ack'`, so the kill lands mid-stream even when a
 * loaded machine takes longer than 300 ms to start Node). A write counts as acknowledged once its
 * JSON result has been printed completely; every line handed to the writer is recorded in `sent`.
 */
async function writeUntilKilled(
  env: NodeJS.ProcessEnv,
  iteration: number,
  kill: { afterMs: number; from: 'spawn' | 'first-ack' },
  sent: Map<string, string>,
): Promise<WriterOutcome> {
  const child = start(env, []);
  const inFlight: Array<[string, string]> = [];
  const acked: Array<[string, string]> = [];
  let n = 0;
  const send = () => {
    const key = `k${iteration}-${n}`;
    const value = `v${iteration}.${n} ${Math.random().toString(36).slice(2)}`;
    n++;
    sent.set(key, value);
    inFlight.push([key, value]);
    child.stdin.write(`config set ${key} --value "${value}"\n`);
  };
  let stdout = '';
  let stderr = '';
  let protocolError: Error | null = null;
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    try {
      const { results, rest } = completeResults(stdout);
      stdout = rest;
      for (const r of results as Array<{ dataId?: string; content?: string; version?: number }>) {
        const expected = inFlight.shift();
        if (!expected || r.dataId !== expected[0] || r.content !== expected[1] || r.version !== 1) {
          throw new Error(`unexpected acknowledgement ${JSON.stringify(r)}; expected ${JSON.stringify(expected)}`);
        }
        acked.push(expected);
        if (acked.length === 1 && kill.from === 'first-ack') {
          clearTimeout(timer);
          timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
        }
        send();
      }
    } catch (e) {
      protocolError ??= e as Error;
    }
  });
  // With from: 'first-ack', this is only a backstop for a writer that never acknowledges anything.
  let timer = setTimeout(() => child.kill('SIGKILL'), kill.from === 'spawn' ? kill.afterMs : 15_000);
  for (let i = 0; i < AHEAD; i++) send();
  const { code, signal } = await exited(child);
  clearTimeout(timer);
  live.delete(child);
  if (protocolError) throw protocolError;
  return { acked, code, signal, stderr };
}

const crcOf = (text: string) => crc32(text).toString(16).padStart(8, '0');

/**
 * The files hold one unbroken history, checked here independently of the store's own reader:
 * the WAL starts with a valid header, every complete line passes its checksum and carries the next
 * sequence number, and wal.head names no write past the last one in the files. At most the last
 * line may be torn (no newline): a write that was killed inside its append and never acknowledged,
 * which only the next writer cuts off. Returns whether such a torn line is there.
 */
function expectConsistentFiles(dataDir: string): { torn: boolean } {
  const wal = readFileSync(join(dataDir, 'wal.log'), 'utf8');
  const lines = wal.split('\n');
  const rest = lines.pop()!;
  const header = /^opsdeck-wal 2 ([0-9a-f]{8}) (\{"base":(\d+),.*\})$/.exec(lines[0] ?? '');
  expect(header, `wal.log header: ${lines[0]}`).not.toBeNull();
  expect(crcOf(header![2]!)).toBe(header![1]);
  let seq = Number(header![3]);
  for (const line of lines.slice(1)) {
    expect(crcOf(line.slice(9)), `wal.log line after write ${seq} fails its checksum`).toBe(line.slice(0, 8));
    expect((JSON.parse(line.slice(9)) as { s: number }).s, 'wal.log sequence').toBe(seq + 1);
    seq++;
  }
  const head = readFileSync(join(dataDir, 'wal.head'), 'latin1');
  const copies = [0, 512].map((at) => /^opsdeck-head ([0-9a-f]{8}) (\{"seq":(\d+)\})/.exec(head.slice(at, at + 512))).filter((m) => m && crcOf(m[2]!) === m[1]);
  expect(copies.length, 'readable copies in wal.head').toBeGreaterThan(0);
  const acked = Math.max(...copies.map((m) => Number(m![3])));
  expect(acked, 'wal.head names a write the files do not reach').toBeLessThanOrEqual(seq);
  return { torn: rest !== '' };
}

/**
 * With one fresh process (a replay of `config list` and `config get`s): the store opens cleanly,
 * every acknowledged write is there with its value, nothing appears that was never sent, and
 * `config get` returns the exact content of the keys in getKeys.
 */
function verify(env: NodeJS.ProcessEnv, acked: Map<string, string>, sent: Map<string, string>, getKeys: string[]): void {
  const script = ['config list -o json', ...getKeys.map((k) => `config get ${k} -o json`)].join('\n') + '\n';
  const check = opsdeck(env, [], script);
  const { results, rest } = completeResults(check.stdout);
  // The listing comes first, so a lost write is reported by name even if a later get failed.
  expect(results.length, `the store did not open after a kill: ${check.stderr}`).toBeGreaterThan(0);
  const rows = (results[0] as { configs: Array<{ dataId: string; md5: string; version: number }> }).configs;
  const listed = new Map(rows.map((r) => [r.dataId, r]));
  const lost = [...acked].filter(([k]) => !listed.has(k)).map(([k]) => k);
  expect(lost, 'acknowledged writes missing after SIGKILL').toEqual([]);
  const wrong = [...acked].filter(([k, v]) => listed.get(k)!.md5 !== md5(v)).map(([k]) => k);
  expect(wrong, 'acknowledged writes with the wrong value after SIGKILL').toEqual([]);
  // Unacknowledged writes may or may not have landed, but only as written, and only once.
  const phantom = rows.filter((r) => !sent.has(r.dataId) || r.md5 !== md5(sent.get(r.dataId)!) || r.version !== 1).map((r) => r.dataId);
  expect(phantom, 'entries that were never written like this').toEqual([]);

  expect(check.code, `reading the store after a kill: ${check.stderr}`).toBe(0);
  expect(check.stderr).toBe('');
  expect(rest).toBe('');
  expect(results).toHaveLength(1 + getKeys.length);
  const contents = (results.slice(1) as Array<{ dataId: string; content: string }>).map((r) => [r.dataId, r.content]);
  expect(contents).toEqual(getKeys.map((k) => [k, acked.get(k)]));
}

/** The compaction temp files in dataDir, with their sizes and times, as one comparable string. */
function tmpFiles(dataDir: string): string {
  if (!existsSync(dataDir)) return '';
  return readdirSync(dataDir)
    .filter((f) => f.endsWith('.tmp'))
    .map((f) => {
      const st = statSync(join(dataDir, f));
      return `${f}:${st.size}:${st.mtimeMs}:${st.ino}`;
    })
    .join(',');
}

/** Kills writers at random moments, checking the store after each kill with a fresh process. */
async function killLoop(
  env: NodeJS.ProcessEnv,
  acked = new Map<string, string>(),
): Promise<{ acked: number; iterationsWithAcks: number; killsMidCompaction: number; tornTails: number }> {
  const dataDir = env.OPSDECK_DATA_DIR!;
  const sent = new Map(acked);
  let iterationsWithAcks = 0;
  let killsMidCompaction = 0;
  let tornTails = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const tmpBefore = tmpFiles(dataDir);
    const kill = { afterMs: 5 + Math.floor(Math.random() * 296), from: i % 2 === 0 ? ('spawn' as const) : ('first-ack' as const) };
    const out = await writeUntilKilled(env, i, kill, sent);
    expect(out.signal, `writer ${i} ended by itself (exit ${out.code}) before the kill ${kill.afterMs} ms after ${kill.from}:\n${out.stderr}`).toBe('SIGKILL');
    for (const [k, v] of out.acked) acked.set(k, v);
    if (out.acked.length > 0) iterationsWithAcks++;
    // A new temp file left behind means the kill landed inside a compaction's durable rewrite.
    const tmpAfter = tmpFiles(dataDir);
    if (tmpAfter !== '' && tmpAfter !== tmpBefore) killsMidCompaction++;

    // Content check: this iteration's writes plus a sample of older ones. The check only reads,
    // so it must leave every byte as the killed writer left it, torn last line included.
    // (No WAL yet only when the first writer was killed before its first write.)
    if (existsSync(join(dataDir, 'wal.log')) && expectConsistentFiles(dataDir).torn) tornTails++;
    const before = existsSync(dataDir) ? filesOf(dataDir) : {};
    const older = [...acked.keys()].filter((k) => !k.startsWith(`k${i}-`));
    const sample = older.filter((_, j) => j % Math.max(1, Math.floor(older.length / 10)) === 0);
    verify(env, acked, sent, [...sample, ...out.acked.map(([k]) => k)]);
    expect(existsSync(dataDir) ? filesOf(dataDir) : {}, 'a read-only process changed the data dir').toEqual(before);
  }
  // The final fresh process reads back every acknowledged value.
  verify(env, acked, sent, [...acked.keys()]);
  // One more write repairs whatever the last kill left: the log ends cleanly afterwards.
  const last = opsdeck(env, ['config', 'set', 'after-the-loop', '--value', 'clean']);
  expect(last.code, last.stderr).toBe(0);
  expect(expectConsistentFiles(dataDir).torn).toBe(false);
  // Without acknowledged writes this test would prove nothing.
  expect(acked.size).toBeGreaterThan(0);
  expect(iterationsWithAcks).toBeGreaterThan(0);
  return { acked: acked.size, iterationsWithAcks, killsMidCompaction, tornTails };
}

/** The abstract socket that is the store mutex of dataDir (see socket-mutex.ts). */
function mutexName(dataDir: string): string {
  return `@opsdeck-store-${createHash('sha1').update(realpathSync(dataDir)).digest('hex').slice(0, 24)}`;
}

/** Whether any process holds that mutex. Node binds the abstract name padded with NULs to the full sun_path, shown as "@" in /proc. */
function mutexHeld(name: string): boolean {
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .some((line) => {
      const path = line.slice(line.lastIndexOf(' ') + 1);
      return path.startsWith(name) && /^@*$/.test(path.slice(name.length));
    });
}

function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

describe('SIGKILL never loses an acknowledged write', () => {
  it(`default compaction threshold: ${ITERATIONS} writers killed at random moments`, async () => {
    const env = { ...box.env };
    delete env.OPSDECK_WAL_COMPACT_BYTES;
    const stats = await killLoop(env);
    console.info(`sigkill (default threshold): ${stats.acked} acknowledged writes over ${stats.iterationsWithAcks}/${ITERATIONS} iterations, ${stats.tornTails} torn last lines read around`);
  }, 120_000);

  it(`small compaction threshold: ${ITERATIONS} writers killed, often mid-compaction`, async () => {
    // Bulky data first (no compaction yet), so each later compaction rewrites a ~1 MB snapshot and
    // a good share of the writers' time, and so of the kills, falls inside compaction.
    const bulk = new Map<string, string>();
    for (let i = 0; i < 100; i++) bulk.set(`bulk-${i}`, `${i} ${'x'.repeat(5000)}${Math.random().toString(36).slice(2)}`);
    const fill = opsdeck({ ...box.env, OPSDECK_WAL_COMPACT_BYTES: String(1 << 30) }, [], [...bulk].map(([k, v]) => `config set ${k} --value "${v}"\n`).join(''));
    expect(fill.code, fill.stderr).toBe(0);
    expect(existsSync(join(box.env.OPSDECK_DATA_DIR!, 'snapshot.json'))).toBe(false);

    const env: NodeJS.ProcessEnv = { ...box.env, OPSDECK_WAL_COMPACT_BYTES: '2000' };
    const stats = await killLoop(env, bulk);
    // The threshold was honoured: the WAL was folded into a snapshot along the way.
    expect(existsSync(join(env.OPSDECK_DATA_DIR!, 'snapshot.json'))).toBe(true);
    console.info(
      `sigkill (2000-byte threshold): ${stats.acked} acknowledged writes over ${stats.iterationsWithAcks}/${ITERATIONS} iterations, ${stats.killsMidCompaction} kills left a compaction temp file, ${stats.tornTails} torn last lines read around`,
    );
  }, 120_000);
});

describe('a process killed while holding the store mutex', () => {
  it('does not block the next process, and its place in the lock queue lapses', async () => {
    const env = box.env;
    const first = opsdeck(env, ['locks', 'acquire', 'X', '--owner', 'A', '--ttl', '60s', '-o', 'json']);
    expect(first.code, first.stderr).toBe(0);
    const tokenA = first.json<{ token: number }>().token;
    const name = mutexName(env.OPSDECK_DATA_DIR!);
    expect(mutexHeld(name)).toBe(false);

    const waiter = start(env, ['locks', 'acquire', 'X', '--owner', 'B', '--wait', '60s', '-o', 'json']);
    let waiterErr = '';
    waiter.stderr.setEncoding('utf8').on('data', (d: string) => (waiterErr += d));

    // Wait until B is queued, i.e. it is inside its polling loop.
    let queued = false;
    for (let attempt = 0; attempt < 100 && !queued; attempt++) {
      const show = opsdeck(env, ['locks', 'show', 'X', '-o', 'json']);
      expect(show.code, show.stderr).toBe(0);
      queued = show.json<{ locks: Array<{ waiters: Array<{ owner: string }> }> }>().locks[0]!.waiters.some((w) => w.owner === 'B');
      if (!queued) await new Promise((r) => setTimeout(r, 50));
    }
    expect(queued, `B never queued for X: ${waiterErr}`).toBe(true);

    // Catch B holding the mutex: freeze it, and confirm it still holds the mutex while frozen.
    const pid = waiter.pid!;
    // This loop blocks the event loop, so it bounds itself rather than relying on the test timeout.
    let caught = false;
    const giveUpAt = Date.now() + 20_000;
    while (!caught && Date.now() < giveUpAt) {
      if (!mutexHeld(name)) continue;
      process.kill(pid, 'SIGSTOP');
      const stopBy = Date.now() + 5000;
      while (processState(pid) !== 'T') if (Date.now() > stopBy) throw new Error(`waiter ${pid} did not stop`);
      caught = mutexHeld(name);
      if (!caught) process.kill(pid, 'SIGCONT');
    }
    expect(caught, 'never caught the waiter holding the store mutex').toBe(true);
    process.kill(pid, 'SIGKILL');
    const end = await exited(waiter);
    live.delete(waiter);
    expect(end.signal).toBe('SIGKILL');

    // The kernel freed the mutex with the process: nothing stale is left to wait for.
    expect(mutexHeld(name)).toBe(false);
    const other = opsdeck(env, ['locks', 'acquire', 'Y', '--owner', 'C', '-o', 'json']);
    expect(other.code, other.stderr).toBe(0);
    const write = opsdeck(env, ['config', 'set', 'after-kill', '--value', 'ok', '-o', 'json']);
    expect(write.code, write.stderr).toBe(0);
    const show = opsdeck(env, ['locks', 'show', 'X', '-o', 'json']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.json<{ locks: Array<{ holder: string }> }>().locks[0]!.holder).toBe('A');

    // The dead waiter stops refreshing its place in line, so it cannot block the lock forever.
    const rel = opsdeck(env, ['locks', 'release', 'X', '--owner', 'A', '-o', 'json']);
    expect(rel.code, rel.stderr).toBe(0);
    const next = opsdeck(env, ['locks', 'acquire', 'X', '--owner', 'C', '--wait', '20s', '-o', 'json']);
    expect(next.code, next.stderr).toBe(0);
    const got = next.json<{ holder: string; token: number }>();
    expect(got.holder).toBe('C');
    expect(got.token).toBeGreaterThan(tokenA);
  }, 120_000);
});
