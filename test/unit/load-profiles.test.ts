import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { loadProfiles } from '../../src/session/load-profiles.js';
import { BUILTIN_LOCAL } from '../../src/session/profile-types.js';

const KNOWN = ['embedded'];
let dir: string;
let counter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-profiles-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(text: string): string {
  const path = join(dir, `profiles-${++counter}.yaml`);
  writeFileSync(path, text);
  return path;
}

async function configError(path: string, knownTypes = KNOWN, explicit = true): Promise<OpsError> {
  let err: unknown;
  try {
    await loadProfiles(path, explicit, knownTypes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(OpsError);
  expect((err as OpsError).kind).toBe('config');
  return err as OpsError;
}

describe('loadProfiles: valid files', () => {
  it('reads profiles, flags, backends and the default profile', async () => {
    const path = file(
      [
        'defaultProfile: staging',
        'profiles:',
        '  staging:',
        '    description: the staging fleet',
        '    readOnly: true',
        '    production: false',
        '    registry: {type: embedded}',
        '    config:',
        '      type: embedded',
        '      name: cfg',
        '    locks:',
        '      - {type: embedded}',
        '      - {type: embedded, name: second}',
        '    metrics: {type: embedded, url: "http://m:9090"}',
        '  prod:',
        '    production: true',
        '',
      ].join('\n'),
    );
    const set = await loadProfiles(path, true, KNOWN);
    expect(set.file).toBe(path);
    expect(set.defaultProfile).toBe('staging');
    expect([...set.profiles.keys()]).toEqual(['local', 'staging', 'prod']);
    expect(set.profiles.get('local')).toEqual(BUILTIN_LOCAL);
    expect(set.profiles.get('staging')).toEqual({
      name: 'staging',
      readOnly: true,
      production: false,
      registry: { type: 'embedded' },
      config: { type: 'embedded', name: 'cfg' },
      locks: [{ type: 'embedded' }, { type: 'embedded', name: 'second' }],
      metrics: { type: 'embedded', url: 'http://m:9090' },
      source: path,
    });
    expect(set.profiles.get('prod')).toEqual({ name: 'prod', readOnly: false, production: true, locks: [], source: path });
  });

  it('defaults to the built-in local profile when defaultProfile is absent', async () => {
    const set = await loadProfiles(file('profiles:\n  a:\n    readOnly: false\n'), true, KNOWN);
    expect(set.defaultProfile).toBe('local');
    expect([...set.profiles.keys()]).toEqual(['local', 'a']);
  });

  it('lets a file redefine the local profile', async () => {
    const path = file('profiles:\n  local:\n    readOnly: true\n');
    const set = await loadProfiles(path, true, KNOWN);
    expect(set.profiles.get('local')).toEqual({ name: 'local', readOnly: true, production: false, locks: [], source: path });
  });

  it('treats an empty file as only the built-in profile', async () => {
    const path = file('');
    const set = await loadProfiles(path, true, KNOWN);
    expect(set.file).toBe(path);
    expect(set.defaultProfile).toBe('local');
    expect([...set.profiles.entries()]).toEqual([['local', BUILTIN_LOCAL]]);
  });

  it('accepts a file without a profiles key', async () => {
    const set = await loadProfiles(file('defaultProfile: local\n'), true, KNOWN);
    expect([...set.profiles.keys()]).toEqual(['local']);
  });
});

describe('loadProfiles: missing files', () => {
  it('falls back to the built-in local profile when the default file is missing', async () => {
    const set = await loadProfiles(join(dir, 'no-such-default.yaml'), false, KNOWN);
    expect(set.file).toBeNull();
    expect(set.defaultProfile).toBe('local');
    expect([...set.profiles.entries()]).toEqual([['local', BUILTIN_LOCAL]]);
  });

  it('fails when an explicitly named file is missing', async () => {
    const path = join(dir, 'typo.yaml');
    const e = await configError(path);
    expect(e.message).toBe(`cannot read config file ${path}: it does not exist`);
    expect(e.hint).toBe('check the --config path');
  });

  it('fails for an unreadable default path other than a missing file', async () => {
    // A directory cannot be read as a file (EISDIR), which is not "no configuration".
    const e = await configError(dir, KNOWN, false);
    expect(e.message).toMatch(new RegExp(`^cannot read config file ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(e.message).not.toContain('it does not exist');
  });
});

describe('loadProfiles: errors with positions', () => {
  it('reports malformed YAML as a config error with file:LINE:COL', async () => {
    const path = file('profiles:\n  a:\n    readOnly: true\n  a:\n    readOnly: false\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:3: invalid YAML: Map keys must be unique`);
    expect(e.hint).toBe('fix the YAML syntax at that position');
  });

  it('reports unbalanced flow collections as invalid YAML with a position', async () => {
    const path = file('profiles:\n  a: [1, 2\n');
    const e = await configError(path);
    expect(e.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML: `));
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('rejects a top level that is not a mapping', async () => {
    const path = file('- a\n- b\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:1:1: the top level must be a mapping with a "profiles" key`);
  });

  it('rejects profiles that is not a mapping', async () => {
    const path = file('profiles:\n  - a\n');
    expect((await configError(path)).message).toBe(`${path}:2:3: "profiles" must be a mapping of profile names`);
  });

  it('rejects a profile that is not a mapping', async () => {
    const path = file('profiles:\n  a: 3\n');
    expect((await configError(path)).message).toBe(`${path}:2:3: profile a must be a mapping`);
  });

  it('rejects an unknown profile key and lists the allowed keys', async () => {
    const path = file('profiles:\n  a:\n    readOnly: true\n    registy: {type: embedded}\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:5: profile a: unknown key "registy"`);
    expect(e.hint).toBe('use one of: readOnly, production, registry, config, locks, metrics, cache, tx, description');
  });

  it('rejects an unknown backend type and names the supported ones', async () => {
    const path = file('profiles:\n  a:\n    registry: {type: consul}\n');
    const e = await configError(path, ['embedded']);
    expect(e.message).toBe(`${path}:3:15: profile a: registry: unknown backend type "consul"`);
    expect(e.hint).toBe('this build supports: embedded');
  });

  it('accepts the same backend type when it is known', async () => {
    const path = file('profiles:\n  a:\n    registry: {type: consul}\n');
    const set = await loadProfiles(path, true, ['embedded', 'consul']);
    expect(set.profiles.get('a')?.registry).toEqual({ type: 'consul' });
  });

  it('rejects a backend without a type', async () => {
    const path = file('profiles:\n  a:\n    config:\n      url: http://x\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:7: profile a: config needs a "type"`);
    expect(e.hint).toBe('use one of: embedded');
  });

  it('rejects a backend that is not a mapping', async () => {
    const path = file('profiles:\n  a:\n    metrics: embedded\n');
    expect((await configError(path)).message).toBe(`${path}:3:14: profile a: metrics must be a mapping like {type: embedded}`);
  });

  it.each([
    ['readOnly', '"yes"'],
    ['readOnly', 'yes'],
    ['readOnly', '1'],
    ['production', 'null'],
  ])('rejects %s: %s because it is not a boolean', async (flag, value) => {
    const path = file(`profiles:\n  a:\n    ${flag}: ${value}\n`);
    const e = await configError(path);
    expect(e.message).toBe(`${path}:3:${flag.length + 7}: profile a: ${flag} must be true or false`);
  });

  it('rejects a defaultProfile that is not defined and lists the defined ones', async () => {
    const path = file('defaultProfile: prod\nprofiles:\n  staging:\n    readOnly: true\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:1:17: defaultProfile "prod" is not defined`);
    expect(e.hint).toBe('define it under profiles, or use one of: local, staging');
  });

  it('rejects locks that is not a list', async () => {
    const path = file('profiles:\n  a:\n    locks: {type: embedded}\n');
    expect((await configError(path)).message).toBe(`${path}:3:12: profile a: locks must be a list of backends`);
  });

  it('checks each lock backend and names its index', async () => {
    const path = file('profiles:\n  a:\n    locks:\n      - {type: embedded}\n      - {type: zookeeper}\n');
    expect((await configError(path)).message).toBe(`${path}:5:9: profile a: locks[1]: unknown backend type "zookeeper"`);
  });
});
