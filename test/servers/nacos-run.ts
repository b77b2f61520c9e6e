import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { nacosRssMb, stopNacosDir, type NacosEndpoint } from './nacos-server.js';

/**
 * vitest globalSetup (see vitest.config.ts): gives the run a directory where the shared Nacos
 * servers live (`sharedNacos`, nacos-shared.ts) and, when the run ends, stops every server started
 * in it. Setting up costs one empty temp dir: a server starts only when a test asks for one.
 */
export interface NacosRun {
  /** Where the shared servers, their locks and connection facts live for this run. */
  dir: string;
  /** vitest's main process: the shared servers' watchdogs stop them once it is gone. */
  ownerPid: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    nacosRun: NacosRun;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-nacos-run-'));
  project.provide('nacosRun', { dir, ownerPid: process.pid });
  // If vitest is killed, the teardown below never runs: each server's watchdog stops it, and this
  // one removes the run directory once those are done (no `stop` script left, or after 2 min).
  const cleanup = 'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 2; done; i=0; while ls "$2"/*/stop >/dev/null 2>&1 && [ $i -lt 60 ]; do sleep 2; i=$((i + 1)); done; rm -rf "$2"';
  spawn('sh', ['-c', cleanup, 'nacos-run-watchdog', String(process.pid), dir], { detached: true, stdio: 'ignore' }).unref();
  return async () => {
    const servers = readdirSync(dir).filter((f) => existsSync(join(dir, f, 'stop')));
    await Promise.all(
      servers.map(async (name) => {
        const factsFile = join(dir, `${name}.json`);
        if (existsSync(factsFile)) {
          const s = JSON.parse(readFileSync(factsFile, 'utf8')) as NacosEndpoint;
          const rss = nacosRssMb(s.pid);
          process.stderr.write(`nacos ${s.version} (${name}): ready after ${s.readySeconds.toFixed(1)} s; RSS ${rss ?? '?'} MB at the end of the run\n`);
        }
        await stopNacosDir(join(dir, name));
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
}
