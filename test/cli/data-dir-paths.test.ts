import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, sandbox } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/one-line-error.js';

/**
 * A data dir path that cannot be used is a configuration error (exit 2) naming the path and the
 * problem, never an internal error or a hang (probe 10 in probe-findings.md).
 */

let box: ReturnType<typeof sandbox>;

beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

describe('data dir paths that cannot be used are exit 2, naming the path and the problem', () => {
  /** Runs with a hard bound, so a regression to an endless loop fails instead of hanging. */
  function bounded(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const env = { ...box.env, ...extraEnv };
    delete env.OPSDECK_DATA_DIR;
    const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'opsdeck did not finish within 20 s').toBeNull();
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('a name over 255 bytes', () => {
    const dir = join(box.dir, 'x'.repeat(300));
    const r = bounded(['--data-dir', dir, 'config', 'list']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot use the data dir .*x{300}: the path is too long \(a name over 255 bytes, or over 4095 bytes in all\) \(ENAMETOOLONG/);
  });

  it('a whole path over 4095 bytes, or too long for the files the store keeps in it', () => {
    let dir = box.dir;
    while (dir.length < 3800) dir = join(dir, 'd'.repeat(200));
    // 4080 bytes: the data dir itself (4085) can be created, its files (4085 + 18) cannot.
    dir = join(dir, 'e'.repeat(4079 - dir.length));
    expect(dir).toHaveLength(4080);
    mkdirSync(dir, { recursive: true });
    for (const target of [join(dir, 'data'), join(dir, 'f'.repeat(20), 'data')]) {
      const r = bounded(['--data-dir', target, 'config', 'list']);
      expect(r.code, r.stderr).toBe(2);
      expectOneLineError(r, /the path is too long .*\(ENAMETOOLONG/);
    }
  });

  it.each([
    ['the data dir itself', 'loop-a'],
    ['a directory inside the loop', 'loop-a/data'],
  ])('a symlink loop at %s', (_what, rel) => {
    symlinkSync(join(box.dir, 'loop-b'), join(box.dir, 'loop-a'));
    symlinkSync(join(box.dir, 'loop-a'), join(box.dir, 'loop-b'));
    const r = bounded(['--data-dir', join(box.dir, rel), 'config', 'list']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot use the data dir .*loop-a.*: the path runs into a loop of symbolic links \(ELOOP/);
  });

  it('a directory /proc will not create ends at once instead of spinning', () => {
    const r = bounded(['--data-dir', '/proc/1/opsdeck-data', 'config', 'list']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot use the data dir \/proc\/1\/opsdeck-data: its file system takes no new files or directories there \(ENOENT/);
  });

  it('a directory that exists where no file can be created (/proc/1) is exit 2 on the first write', () => {
    const list = bounded(['--data-dir', '/proc/1', 'config', 'list', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).configs).toEqual([]);
    const r = bounded(['--data-dir', '/proc/1', 'config', 'set', 'a', '--value', 'b']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot use the data dir \/proc\/1: its file system takes no new files or directories there \(ENOENT on \/proc\/1\/wal\.head\.tmp\)/);
  });

  it('a path through a file', () => {
    writeFileSync(join(box.dir, 'plain'), '');
    const r = bounded(['--data-dir', join(box.dir, 'plain', 'sub', 'data'), 'config', 'list']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot use the data dir .*plain\/sub\/data: a part of the path is a file, not a directory \(ENOTDIR/);
  });

  it('the default data dir under an XDG_DATA_HOME that runs into a loop', () => {
    symlinkSync(join(box.dir, 'xdg-loop'), join(box.dir, 'xdg-loop'));
    const r = bounded(['config', 'list'], { XDG_DATA_HOME: join(box.dir, 'xdg-loop') });
    expect(r.code).toBe(2);
    expectOneLineError(r, /cannot use the data dir .*xdg-loop\/opsdeck: the path runs into a loop of symbolic links \(ELOOP/);
  });

  it('a state dir under /proc (audit log, history) does not hang a command: the record is skipped, the write still happens', () => {
    const r = bounded(['--data-dir', join(box.dir, 'data'), 'config', 'set', 'proc.txt', '--value', 'x', '--type', 'text'], { XDG_STATE_HOME: '/proc/1/x' });
    expect(r.code, r.stderr).toBe(0);
    expect(bounded(['--data-dir', join(box.dir, 'data'), 'config', 'get', 'proc.txt', '-o', 'json']).code).toBe(0);
  });
});

