import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, sandbox } from '../helpers/cli.js';
import { startHostile, type HostileServer } from '../servers/hostile-http.js';

/**
 * Ctrl-C ends a metrics command whose server never answers, long before the profile's deadline:
 * each call hands the command's signal to its request. Before, only range queries took a signal,
 * so `metrics query` against a hung Prometheus ignored Ctrl-C until timeoutMs (here 10 minutes)
 * and this test ran into its own timeout.
 */
let server: HostileServer;
let box: ReturnType<typeof sandbox>;

beforeAll(async () => {
  server = await startHostile(() => ({ kind: 'silent' }));
  box = sandbox();
  mkdirSync(join(box.dir, 'config', 'opsdeck'), { recursive: true });
  writeFileSync(join(box.dir, 'config', 'opsdeck', 'config.yaml'), `profiles:\n  prom: {metrics: {type: prometheus, url: "${server.url}", timeoutMs: 600000}}\n`);
});
afterAll(async () => {
  box?.cleanup();
  await server?.stop();
});

/** Starts the command, waits until its request reached the server, then sends SIGINT. */
function interrupted(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const seen = server.seen.length;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--profile', 'prom', ...args], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
    const poll = setInterval(() => {
      if (server.seen.length > seen) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 50);
  });
}

describe('Ctrl-C ends a metrics command waiting on a server that never answers', () => {
  it.each([
    ['metrics', 'query', 'up'],
    ['metrics', 'targets'],
    ['metrics', 'labels'],
    ['metrics', 'series', 'up'],
  ])('%s %s', async (...args) => {
    const r = await interrupted(args);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 60_000);
});
