import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../src/frontends/tui/recorder.js';
import { tokenize } from '../../src/shell/tokenize.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'opsdeck-rec-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const commandLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith('expect '));

describe('session recorder', () => {
  it('writes each command with its exit status, and attaches files beside the script', () => {
    const file = join(dir, 's.ops');
    const r = new Recorder(file, 'dev', new Date('2026-01-01T00:00:00Z'));
    r.command('instances deregister orders 10.0.0.1:80 --yes', 0);
    r.command('services show orders', 1);
    const attached = r.attach('orders.yaml', 'pool: 5\n');
    const text = readFileSync(file, 'utf8');
    expect(text).toBe('# opsdeck console session, profile dev, started 2026-01-01T00:00:00.000Z\n# replay with: opsdeck replay s.ops --profile dev\ninstances deregister orders 10.0.0.1:80 --yes\nexpect exit 0\nservices show orders\nexpect exit 1\n');
    expect(readFileSync(attached, 'utf8')).toBe('pool: 5\n');
    expect(attached.startsWith(`${file}.files/`)).toBe(true);
  });

  it('probe 6: a secret becomes ${SECRET_n}, the line keeps its quotes, and a header names what to set', () => {
    const file = join(dir, 'rec.ops');
    const r = new Recorder(file, 'dev', new Date('2026-01-01T00:00:00Z'));
    r.command('services list', 0);
    r.command("config set pw3.txt --value 'token: X9secret' --type text", 0);
    r.command('config set db.properties --value "url=postgres://app:pg-s3cret@db:5432/x password=hunter22"', 0);
    const text = readFileSync(file, 'utf8');
    for (const secret of ['X9secret', 'pg-s3cret', 'hunter22']) expect(text).not.toContain(secret);
    expect(text).toContain("config set pw3.txt --value 'token: '${SECRET_1} --type text\nexpect exit 0\n");
    expect(text.split('\n').slice(0, 6)).toEqual([
      '# This recording leaves secrets out. Replay it with each one set:',
      '#   opsdeck replay rec.ops --profile dev --var SECRET_1=… --var SECRET_2=… --var SECRET_3=…',
      '#   SECRET_1  the value of --value of "config set"',
      '#   SECRET_2  the value of --value of "config set"',
      '#   SECRET_3  the value of --value of "config set"',
      '# (end of the secrets this recording needs)',
    ]);
    // Valid replay syntax: with the variables every line reads back as the command that ran, without them none runs.
    const vars: Record<string, string> = { SECRET_1: 'X9secret', SECRET_2: 'pg-s3cret', SECRET_3: 'hunter22' };
    expect(commandLines(text).map((l) => tokenize(l, (n) => vars[n]))).toEqual([
      ['services', 'list'],
      ['config', 'set', 'pw3.txt', '--value', 'token: X9secret', '--type', 'text'],
      ['config', 'set', 'db.properties', '--value', 'url=postgres://app:pg-s3cret@db:5432/x password=hunter22'],
    ]);
    expect(() => tokenize(commandLines(text)[1]!, () => undefined)).toThrow(/SECRET_1 is not set/);
  });

  it('a second session appended to the file numbers its secrets after the first one', () => {
    const file = join(dir, 'rec.ops');
    new Recorder(file, 'dev', new Date()).command('config set a --value password=one1', 0);
    new Recorder(file, 'dev', new Date()).command('config set b --value password=two2', 0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('config set a --value password=${SECRET_1}\n');
    expect(text).toContain('config set b --value password=${SECRET_2}\n');
    expect(text.match(/^# This recording leaves secrets out/gm)).toHaveLength(1);
    expect(text).toMatch(/#   SECRET_1  the value of --value of "config set"\n#   SECRET_2  /);
    expect(text).toMatch(/^# opsdeck console session/m);
    expect(text).not.toMatch(/one1|two2/);
  });

  it('a line that does not parse is left out, secret and all, with a note why', () => {
    const file = join(dir, 'rec.ops');
    new Recorder(file, 'dev', new Date()).command("config set a --value 'token: abc", 2);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('abc');
    expect(text).toContain("# a line that did not parse was left out here (unclosed ' quote)\n");
    expect(commandLines(text)).toEqual([]);
  });
});
