import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { rssMb, stopDir } from './detached.js';

/**
 * vitest globalSetup (see vitest.config.ts): gives the run a directory where servers shared by all
 * test files live (`sharedServer`, shared-server.ts: Nacos, Eureka) and, when the run ends, stops
 * every one started in it. Setting up costs one empty temp dir: a server starts only when a test
 * asks for one.
 */
export interface ServerRun {
  /** Where the shared servers, their locks and connection facts live for this run. */
  dir: string;
  /** vitest's main process: the shared servers' watchdogs stop them once it is gone. */
  ownerPid: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    serverRun: ServerRun;
  }
}

/** What `sharedServer` writes to `<dir>/<key>.json`: the label and facts of a started server. */
export interface SharedRecord {
  label: string;
  value: { pid: number; readySeconds: number };
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-server-run-'));
  project.provide('serverRun', { dir, ownerPid: process.pid });
  // If vitest is killed, the teardown below never runs: each server's watchdog stops it, and this
  // one removes the run directory once those are done (no `stop` script left, or after 2 min).
  const cleanup = 'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 2; done; i=0; while ls "$2"/*/stop >/dev/null 2>&1 && [ $i -lt 60 ]; do sleep 2; i=$((i + 1)); done; rm -rf "$2"';
  spawn('sh', ['-c', cleanup, 'server-run-watchdog', String(process.pid), dir], { detached: true, stdio: 'ignore' }).unref();
  return async () => {
    const servers = readdirSync(dir).filter((f) => existsSync(join(dir, f, 'stop')));
    await Promise.all(
      servers.map(async (name) => {
        const factsFile = join(dir, `${name}.json`);
        let label = name;
        if (existsSync(factsFile)) {
          const r = JSON.parse(readFileSync(factsFile, 'utf8')) as SharedRecord;
          label = r.label;
          process.stderr.write(`${r.label} (${name}): ready after ${r.value.readySeconds.toFixed(1)} s; RSS ${rssMb(r.value.pid) ?? '?'} MB at the end of the run\n`);
        }
        await stopDir(join(dir, name), label);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
}
