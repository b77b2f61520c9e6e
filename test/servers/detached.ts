import { execFile, spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Long-running test processes (JVM servers and applications) that must not outlive the test run.
 *
 * Each process gets a directory of its own with an executable `stop` script, the one way to stop
 * it: the caller's `stop()`, the run's teardown (shared-run.ts) and a watchdog all call it. The
 * watchdog is a detached shell that runs the script once the owner process has gone (a vitest worker,
 * or vitest's main process for servers shared across workers), so a killed run leaves no JVM behind.
 * The script only signals the process if its command line still holds a marker unique to that
 * directory, so a recycled pid is never hit.
 */
export interface DetachedProcess {
  pid: number;
  /** The process's directory: the `stop` script, its log and whatever it writes. */
  dir: string;
  /** stdout and stderr of the process. */
  log: string;
  /** True once the process has exited (by itself or stopped). */
  exited(): boolean;
  /** The last lines of its log, for failure messages. */
  logTail(lines?: number): string;
  /** Stops the process (TERM, then KILL after 30 s) and removes its directory. */
  stop(): Promise<void>;
  /** Ends the process at once (KILL), as a crash would: it deregisters nothing. The directory stays until `stop`. */
  crash(): Promise<void>;
}

export interface LaunchOptions {
  /** Names the process in messages and in the stop script. */
  label: string;
  /** The directory (created if missing); the process runs in it. */
  dir: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** A string that occurs in the process's command line and nowhere else (e.g. a -D property naming `dir`). */
  marker: string;
  /** Whose exit stops the process; default: this process. */
  ownerPid?: number;
}

/** Starts `cmd` detached, logging to `<dir>/process.log`, with a stop script and a watchdog. */
export function launchDetached(o: LaunchOptions): DetachedProcess {
  mkdirSync(o.dir, { recursive: true });
  const log = `${o.dir}/process.log`;
  const out = openSync(log, 'w');
  // Detached: a server shared across vitest workers outlives the worker that started it.
  const child = spawn(o.cmd, o.args, { cwd: o.dir, env: o.env ?? process.env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  let gone = false;
  child.once('exit', () => (gone = true));
  const pid = child.pid!;
  writeStopScript(o.dir, o.label, [
    `pid=${pid}`,
    `ours() { kill -0 "$pid" 2>/dev/null && tr '\\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- ${shq(o.marker)}; }`,
    'ours || exit 0',
    'kill -TERM "$pid" 2>/dev/null',
    // Spring applications deregister on TERM; give them time, then make sure.
    'i=0; while ours && [ $i -lt 60 ]; do sleep 0.5; i=$((i + 1)); done',
    'ours && kill -KILL "$pid" 2>/dev/null',
    'exit 0',
  ]);
  startWatchdog(o.dir, o.ownerPid ?? process.pid);
  return {
    pid,
    dir: o.dir,
    log,
    exited: () => gone,
    logTail: (lines = 60) => fileTail(log, lines),
    stop: () => stopDir(o.dir, o.label),
    async crash() {
      if (gone) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(pid, 'SIGKILL');
      await exited;
    },
  };
}

/** Runs the directory's `stop` script (if the start got that far) and removes the directory. */
export async function stopDir(dir: string, label: string): Promise<void> {
  const script = `${dir}/stop`;
  if (existsSync(script)) {
    try {
      await runScript(script, 60_000);
    } catch (e) {
      process.stderr.write(`${label}: stopping the process in ${dir} failed: ${(e as Error).message}\n`);
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

export function writeStopScript(dir: string, label: string, body: string[]): void {
  const file = `${dir}/stop`;
  writeFileSync(file, ['#!/bin/sh', `# Stops ${label.replace(/\n/g, ' ')} of this directory (written by the opsdeck tests).`, ...body, ''].join('\n'));
  chmodSync(file, 0o755);
}

/**
 * A detached shell that waits for the owner process to end, then runs the directory's stop script
 * and removes the directory. It ends by itself once the directory is gone (stopped normally).
 */
export function startWatchdog(dir: string, ownerPid: number): void {
  const script = 'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 2; done; [ -d "$2" ] || exit 0; "$2/stop"; rm -rf "$2"';
  spawn('sh', ['-c', script, 'opsdeck-test-watchdog', String(ownerPid), dir], { detached: true, stdio: 'ignore' }).unref();
}

/** A process's resident memory in MB (Linux), or null when it is not running. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Polls `check` every 300 ms until it is true (→ true), `gaveUp` is true or the time is up (→ false). */
export async function pollUntil(ms: number, gaveUp: () => boolean, check: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (gaveUp() || Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The HTTP status of a GET, or 0 when nothing answered. */
export async function httpStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  try {
    const r = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

/** Whether a TCP port can be bound on `host` right now. */
export function canBind(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive ports P, P+1, … in 21000-29999 (below Linux's ephemeral range, so no
 * kernel-chosen port takes one while a slow JVM starts) that are free on every interface (some
 * servers bind extra ports there whatever their address setting says).
 */
export async function freePortBlock(count = 1): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 21000 + Math.floor(Math.random() * (9000 - count));
    const ports = Array.from({ length: count }, (_, k) => p + k);
    if ((await Promise.all(ports.map((q) => canBind(q)))).every(Boolean)) return p;
  }
  throw new Error(`no ${count} free consecutive ports in 21000-29999`);
}

/** True when a JVM's log says it could not bind its port (another process took it meanwhile). */
export function lostPortRace(log: string): boolean {
  return /Address already in use|BindException|Port \d+ was already in use/.test(log);
}

export function fileTail(file: string, lines = 60): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Single-quotes a string for sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function runScript(script: string, timeout: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(script, [], { timeout }, (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()));
  });
}
