import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { opsdeck, sandbox } from '../helpers/cli.js';

let box: ReturnType<typeof sandbox>;
const run = (...args: string[]) => opsdeck(box.env, args);

beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

// main.ts answers `version` with JSON output itself, before the command table loads; the answer
// must be the one the `version` command gives through the table (here, its YAML output).
describe('version answered before the command table loads', () => {
  it('gives the same data as the command, for every spelling of JSON output', () => {
    const full = parse(run('version', '-o', 'yaml').stdout) as Record<string, string>;
    expect(full.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const argv of [['version'], ['version', '-o', 'json'], ['version', '--output', 'json'], ['version', '--output=json']]) {
      const r = run(...argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual(full);
      expect(r.stdout.endsWith('}\n')).toBe(true);
    }
  });

  it('leaves anything else on the line to the command table', () => {
    expect(run('version', '--help').stdout).toContain('Usage: opsdeck version');
    const bad = run('version', '-o', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/xml/);
  });
});
