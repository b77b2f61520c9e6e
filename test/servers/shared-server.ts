import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { buildJar } from '../interop/support.js';
import type { SharedRecord } from './shared-run.js';

/**
 * One server per key for a whole vitest run, shared by every test file and worker process: a JVM
 * server costs seconds to a minute and hundreds of MB, too much to start per file.
 *
 * The run directory comes from the globalSetup in shared-run.ts. The first process to ask for a key
 * claims it (an atomic mkdir of `<key>.claim`), starts the server in `<run>/<key>/` (which must end
 * up holding the server's `stop` script, see detached.ts) and publishes its connection facts as
 * `<key>.json` (or the failure as `<key>.error`, so the others fail at once with the same message
 * instead of starting it again). The others wait for one of the two files. The run's teardown
 * stops the servers.
 */
export interface SharedStartContext {
  /** The server's directory inside the run directory; the teardown runs its `stop` script. */
  dir: string;
  /** vitest's main process: the server's watchdog should stop it once that is gone. */
  ownerPid: number;
}

const memo = new Map<string, Promise<unknown>>();

// Generous: a cold start may build jars from an empty Maven cache (1-2 min each) before starting.
const WAIT_MS = 20 * 60_000;

/**
 * The server of `key`, started by `start` in the first process that asks during this run. The
 * value must be plain data (it crosses processes as JSON) with the server's pid and start time.
 */
export function sharedServer<T extends { pid: number; readySeconds: number }>(key: string, label: string, start: (ctx: SharedStartContext) => Promise<T>): Promise<T> {
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = obtain(key, label, start);
    memo.set(key, p);
  }
  return p;
}

function runDir(): { dir: string; ownerPid: number } {
  const run = inject('serverRun');
  if (!run?.dir) throw new Error('shared servers need the vitest globalSetup test/servers/shared-run.ts (see vitest.config.ts); run the tests through that config');
  return run;
}

async function obtain<T extends { pid: number; readySeconds: number }>(key: string, label: string, start: (ctx: SharedStartContext) => Promise<T>): Promise<T> {
  const run = runDir();
  const facts = join(run.dir, `${key}.json`);
  const failure = join(run.dir, `${key}.error`);
  const claim = join(run.dir, `${key}.claim`);
  if (tryMkdir(claim)) {
    writeFileSync(join(claim, 'pid'), String(process.pid));
    try {
      const value = await start({ dir: join(run.dir, key), ownerPid: run.ownerPid });
      const record: SharedRecord = { label, value };
      writeAtomic(facts, JSON.stringify(record));
      return value;
    } catch (e) {
      writeAtomic(failure, (e as Error).message);
      throw e;
    }
  }
  const until = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(facts)) return (JSON.parse(readFileSync(facts, 'utf8')) as SharedRecord).value as T;
    if (existsSync(failure)) throw new Error(`${label} (started by another test process) failed: ${readFileSync(failure, 'utf8')}`);
    const owner = readPid(join(claim, 'pid'));
    if (owner !== null && !alive(owner) && !existsSync(facts) && !existsSync(failure)) {
      throw new Error(`the test process (pid ${owner}) that was starting ${label} ended before the server was ready`);
    }
    if (Date.now() > until) throw new Error(`${label} was not ready within ${WAIT_MS / 60_000} min (another test process is starting it; see ${run.dir})`);
    await sleep(500);
  }
}

/**
 * Runs `fn` under the run-wide Maven lock: two Maven builds at once on 2 cores only slow each
 * other, and two builds of the same module would write the same target/ directory.
 */
export function withMavenLock<T>(fn: () => T | Promise<T>): Promise<T> {
  return withDirLock(join(runDir().dir, 'maven.lock'), fn);
}

/**
 * `buildJar` under the run-wide Maven lock; the seconds it took, waiting for the lock included
 * (1-2 s when the jar is up to date: buildJar checks for java and mvn first).
 */
export async function buildJarLocked(module: string, jar: string, label: string): Promise<number> {
  const t0 = Date.now();
  const before = existsSync(jar) ? statSync(jar).mtimeMs : 0;
  await withMavenLock(() => buildJar(module, jar));
  const seconds = (Date.now() - t0) / 1000;
  if (statSync(jar).mtimeMs !== before) process.stderr.write(`${label}: jar built in ${seconds.toFixed(1)} s (Maven lock wait included)\n`);
  return seconds;
}

function tryMkdir(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** A lock held while `fn` runs: a directory with the holder's pid; taken over when that process died. */
async function withDirLock<T>(lock: string, fn: () => T | Promise<T>): Promise<T> {
  for (;;) {
    if (tryMkdir(lock)) break;
    const owner = readPid(join(lock, 'pid'));
    if (owner !== null && !alive(owner)) rmSync(lock, { recursive: true, force: true });
    else await sleep(500);
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.${process.pid}.tmp`, text);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

function readPid(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8'));
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
