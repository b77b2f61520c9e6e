import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';

/**
 * A reader that stops early, like `head -c 10`: it takes the first chunk of stdout and closes its
 * end of the pipe, so opsdeck's next write fails with EPIPE. Resolves with the exit status and
 * everything opsdeck wrote to stderr.
 */
function runIntoClosingReader(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string; got: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let got = 0;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', (d: Buffer) => {
      got = d.length;
      child.stdout.destroy();
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, got }));
  });
}

let box: ReturnType<typeof sandbox>;
beforeAll(async () => {
  box = sandbox();
  // About 3 MB: far more than a pipe buffers (64 KiB), so opsdeck is still writing when the reader
  // closes, as with the probe's `config get big.txt -o json | head -c 10`.
  const path = join(box.dir, 'big.txt');
  writeFileSync(path, 'line of content\n'.repeat(200_000));
  // Async: `config set` echoes the 3 MB back, more than spawnSync buffers.
  const set = await opsdeckAsync(box.env, ['config', 'set', 'big.txt', '--file', path]);
  expect(set.code, set.stderr).toBe(0);
});
afterAll(() => box?.cleanup());

describe('output into a pipe whose reader goes away', () => {
  it('one-shot: stops quietly with status 141 (128 + SIGPIPE), no trace on stderr', async () => {
    const r = await runIntoClosingReader(box.env, ['config', 'get', 'big.txt', '-o', 'json']);
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  }, 60_000);

  it('replay -c: stops quietly with 141 and runs no line after the one whose output was cut', async () => {
    const r = await runIntoClosingReader(box.env, ['-c', 'config get big.txt -o json', '-c', 'config set after.txt --value never']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
    expect(opsdeck(box.env, ['config', 'get', 'after.txt']).code).toBe(1);
  }, 60_000);

  it('a script file: the same, and the status is not the 130 of a Ctrl-C stop', async () => {
    const path = join(box.dir, 'cut.ops');
    writeFileSync(path, 'config get big.txt -o yaml\nconfig get big.txt -o json\nconfig set after2.txt --value never\n');
    const r = await runIntoClosingReader(box.env, ['replay', path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
    expect(opsdeck(box.env, ['config', 'get', 'after2.txt']).code).toBe(1);
  }, 60_000);

  it('another write error (a full disk) is said once on stderr and exits 1, never a trace', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'config', 'get', 'big.txt', '-o', 'json'], { env: box.env, stdio: ['ignore', full, 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (d) => (stderr += d));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
      expect(r.stderr).toBe('opsdeck: cannot write to stdout: ENOSPC (hint: check where the output goes)\n');
      expect(r.code).toBe(1);
    } finally {
      closeSync(full);
    }
  }, 60_000);
});
