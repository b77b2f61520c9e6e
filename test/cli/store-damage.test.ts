import { cpSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/one-line-error.js';
import { filesOf as filesOfDir } from '../helpers/files-of.js';

/**
 * The embedded store through the real binary: damage to its files is exit 2 with one line that
 * names the file and the next step, and a read-only command never changes a file (probe 3 in
 * probe-findings.md).
 */

let box: ReturnType<typeof sandbox>;
let data: string;

beforeEach(() => {
  box = sandbox();
  data = box.env.OPSDECK_DATA_DIR!;
});
afterEach(() => box.cleanup());

const run = (...args: string[]) => opsdeck(box.env, args);
const file = (name: string) => join(data, name);

const filesOf = () => filesOfDir(data);

/** Twelve configs: the first eight folded into a snapshot by a compaction, four more in the WAL. */
function populate(): void {
  const set = (i: number, env = box.env) => {
    const r = opsdeck(env, ['config', 'set', `app${i}.yaml`, '--value', `port: ${8000 + i}\nreplicas: ${i}`]);
    expect(r.code, r.stderr).toBe(0);
  };
  for (let i = 1; i <= 7; i++) set(i);
  set(8, { ...box.env, OPSDECK_WAL_COMPACT_BYTES: '1' });
  for (let i = 9; i <= 12; i++) set(i);
  expect(readFileSync(file('wal.log'), 'utf8').split('\n').filter((l) => /^[0-9a-f]{8} /.test(l))).toHaveLength(4);
}

/** `config list` (read-only) refuses with exit 2 and the pattern, and changes no file. */
function expectRefused(pattern: RegExp): void {
  const before = filesOf();
  const list = run('config', 'list');
  expect(list.code, list.stderr).toBe(2);
  expect(list.stdout).toBe('');
  expectOneLineError(list, new RegExp(`the embedded store in ${data.replace(/[/.]/g, '\\$&')} is damaged: ${pattern.source}.*nothing was changed \\(hint: restore the data dir from a backup, or move it aside`));
  const set = run('config', 'set', 'new.yaml', '--value', 'x');
  expect(set.code, set.stderr).toBe(2);
  expect(filesOf()).toEqual(before);
}

describe('a damaged data dir is refused with exit 2 and one line', () => {
  it('a byte changed inside a value in snapshot.json', () => {
    populate();
    writeFileSync(file('snapshot.json'), readFileSync(file('snapshot.json'), 'utf8').replace('port: 8003', 'port: 8903'));
    expectRefused(/snapshot\.json fails its checksum/);
  });

  it('snapshot.json deleted while wal.log is kept', () => {
    populate();
    unlinkSync(file('snapshot.json'));
    expectRefused(/snapshot\.json is missing, but wal\.log continues a snapshot of write 8/);
  });

  it.each([
    ['truncated at a line boundary', () => writeFileSync(file('wal.log'), readFileSync(file('wal.log'), 'utf8').split('\n').slice(0, -3).join('\n') + '\n'), /wal\.log ends at write 10, but writes up to 12 were acknowledged/],
    ['truncated to 0 bytes', () => truncateSync(file('wal.log'), 0), /wal\.log ends at write 8, but writes up to 12 were acknowledged/],
    ['deleted', () => unlinkSync(file('wal.log')), /wal\.log is missing, but writes up to 12 were acknowledged/],
    ['without its last byte', () => truncateSync(file('wal.log'), readFileSync(file('wal.log')).length - 1), /the line at byte \d+ of wal\.log is incomplete and holds write 12/],
  ])('wal.log %s', (_what, damage, pattern) => {
    populate();
    damage();
    expectRefused(pattern);
  });

  it('a null snapshot is a refusal, not an internal error', () => {
    populate();
    writeFileSync(file('snapshot.json'), 'null');
    expectRefused(/snapshot\.json is unreadable/);
  });
});

describe('a read-only command never changes a file', () => {
  it('config list reads around a torn last line and leaves it; the next write cuts it off', () => {
    populate();
    writeFileSync(file('wal.log'), readFileSync(file('wal.log'), 'utf8') + '1234abcd {"s":13,"p":{"cfg/pub');
    const torn = filesOf();
    const list = run('config', 'list', '-o', 'json');
    expect(list.code, list.stderr).toBe(0);
    expect(list.json().configs).toHaveLength(12);
    expect(run('config', 'get', 'app12.yaml', '-o', 'json').json().content).toBe('port: 8012\nreplicas: 12');
    expect(filesOf()).toEqual(torn);
    expect(run('config', 'set', 'app13.yaml', '--value', 'x').code).toBe(0);
    expect(readFileSync(file('wal.log'), 'utf8')).not.toContain('cfg/pub\n');
    expect(run('config', 'list', '-o', 'json').json().configs).toHaveLength(13);
  });

  it('a first-format data dir is read unchanged, and upgraded by the first write', () => {
    cpSync(resolve(__dirname, '../fixtures/embedded-store-v1/data'), data, { recursive: true });
    const before = filesOf();
    const list = run('config', 'list', '-o', 'json');
    expect(list.code, list.stderr).toBe(0);
    expect(list.json<{ configs: Array<{ dataId: string }> }>().configs.map((r) => r.dataId)).toEqual(['app1.yaml', 'app2.yaml', 'app3.yaml', 'app4.yaml', 'app5.yaml', 'app7.yaml']);
    expect(run('locks', 'show', 'deploy/orders', '-o', 'json').json().locks[0]).toMatchObject({ holder: 'alice', token: 1 });
    expect(run('services', 'list', '-o', 'json').json().services).toHaveLength(1);
    expect(filesOf()).toEqual(before);

    expect(run('config', 'set', 'app8.yaml', '--value', 'y').code).toBe(0);
    expect(Object.keys(filesOf())).toEqual(['snapshot.json', 'wal.head', 'wal.log']);
    expect(readFileSync(file('snapshot.json'), 'utf8')).toMatch(/^\{"format":2,/);
    expect(run('config', 'get', 'app1.yaml', '-o', 'json').json()).toMatchObject({ content: 'port: 8001\nname: svc-1 v2', version: 2 });
    expect(run('config', 'list', '-o', 'json').json().configs).toHaveLength(7);
  });
});
