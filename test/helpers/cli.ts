import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The real entry point, as a user runs it: tests go through the built bundle, not the sources. */
export const BIN = resolve(__dirname, '../../bin/opsdeck.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/** A fresh data dir and config home per test, so no test sees another's state. */
export function sandbox(): { dir: string; env: NodeJS.ProcessEnv; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-test-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPSDECK_DATA_DIR: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_STATE_HOME: join(dir, 'state'),
    NO_COLOR: '1',
  };
  delete env.OPSDECK_PROFILE;
  delete env.OPSDECK_CONFIG;
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a sandbox's default profile file ($XDG_CONFIG_HOME/opsdeck/config.yaml) and returns its path. */
export function writeProfileFile(env: NodeJS.ProcessEnv, text: string): string {
  const dir = join(env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  return path;
}

function result(code: number | null, stdout: string, stderr: string): RunResult {
  return {
    code: code ?? -1,
    stdout,
    stderr,
    json() {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`);
      }
    },
  };
}

/** Runs opsdeck synchronously with stdin closed (not a TTY). */
export function opsdeck(env: NodeJS.ProcessEnv, args: string[], input = ''): RunResult {
  // maxBuffer: spawnSync kills a child past 1 MiB of output by default, which big replays reach.
  const r = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  // A child the harness stopped (timeout, too much output) says so, instead of a bare exit -1.
  const why = r.error ? `\n[test harness: ${r.error.message}]` : r.signal ? `\n[test harness: ended by ${r.signal}]` : '';
  return result(r.status, r.stdout, r.stderr + why);
}

/** Runs opsdeck without blocking the test's event loop (for races between processes). */
export function opsdeckAsync(env: NodeJS.ProcessEnv, args: string[], input = ''): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolvePromise(result(code, stdout, stderr)));
    child.stdin.end(input);
  });
}
