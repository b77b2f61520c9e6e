import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { ADAPTERS } from '../../src/adapters/index.js';
import { defineOptions, str } from '../../src/adapters/kit/options.js';
import { loadProfiles, type BackendTypes } from '../../src/session/load-profiles.js';
import { BUILTIN_LOCAL } from '../../src/session/profile-types.js';

/** The real types of this build, and one more for the tests of unknown types. */
const KNOWN: BackendTypes = ADAPTERS;
const WITH_CONSUL: BackendTypes = { ...ADAPTERS, consul: { options: async () => defineOptions({ type: 'consul', readme: 'x' }, { url: str() }) } };
const ONLY_EMBEDDED: BackendTypes = { embedded: ADAPTERS.embedded! };
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
        '    metrics: {type: prometheus, url: "http://m:9090"}',
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
      registry: [{ type: 'embedded' }],
      config: [{ type: 'embedded', name: 'cfg' }],
      locks: [{ type: 'embedded' }, { type: 'embedded', name: 'second' }],
      metrics: { type: 'prometheus', url: 'http://m:9090' },
      source: path,
    });
    expect(set.profiles.get('prod')).toEqual({ name: 'prod', readOnly: false, production: true, registry: [], config: [], locks: [], source: path });
  });

  it('defaults to the built-in local profile when defaultProfile is absent', async () => {
    const set = await loadProfiles(file('profiles:\n  a:\n    readOnly: false\n'), true, KNOWN);
    expect(set.defaultProfile).toBe('local');
    expect([...set.profiles.keys()]).toEqual(['local', 'a']);
  });

  it('lets a file redefine the local profile', async () => {
    const path = file('profiles:\n  local:\n    readOnly: true\n');
    const set = await loadProfiles(path, true, KNOWN);
    expect(set.profiles.get('local')).toEqual({ name: 'local', readOnly: true, production: false, registry: [], config: [], locks: [], source: path });
  });

  it('treats an empty default file as only the built-in profile', async () => {
    const path = file('');
    const set = await loadProfiles(path, false, KNOWN);
    expect(set.file).toBe(path);
    expect(set.defaultProfile).toBe('local');
    expect([...set.profiles.entries()]).toEqual([['local', BUILTIN_LOCAL]]);
  });

  it('accepts a default file without a profiles key', async () => {
    const set = await loadProfiles(file('defaultProfile: local\n'), false, KNOWN);
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
    expect(e.hint).toBe('did you mean registry? a profile takes: description, readOnly, production, registry, config, locks, metrics, cache, tx, bench');
  });

  it('reads bench limits and points at a wrong one', async () => {
    const ok = await loadProfiles(file('profiles:\n  a:\n    bench: {allowedHosts: [LocalHost, "*.x.io"], maxRate: 50}\n'), true, KNOWN);
    expect(ok.profiles.get('a')!.bench).toEqual({ allowedHosts: ['localhost', '*.x.io'], maxRate: 50 });
    const path = file('profiles:\n  a:\n    bench:\n      maxConnections: 0\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:23: profile a: bench: maxConnections must be a whole number from 1 to 10000000`);
    const hosts = file('profiles:\n  a:\n    bench: {allowedHosts: localhost}\n');
    expect((await configError(hosts)).message).toBe(`${hosts}:3:27: profile a: bench: allowedHosts must be a list of host names`);
  });

  it('rejects an unknown backend type and names the supported ones', async () => {
    const path = file('profiles:\n  a:\n    registry: {type: consul}\n');
    const e = await configError(path, ONLY_EMBEDDED);
    expect(e.message).toBe(`${path}:3:22: profile a: registry: unknown backend type "consul"`);
    expect(e.hint).toBe('this build supports: embedded');
  });

  it('accepts the same backend type when it is known', async () => {
    const path = file('profiles:\n  a:\n    registry: {type: consul}\n');
    const set = await loadProfiles(path, true, WITH_CONSUL);
    expect(set.profiles.get('a')?.registry).toEqual([{ type: 'consul' }]);
  });

  it('takes registry and config as one backend or a list, each entry named for its backend column', async () => {
    const path = file(
      [
        'profiles:',
        '  migrating:',
        '    registry:',
        '      - {type: embedded, name: old}',
        '      - {type: consul, name: new}',
        '    config: [{type: embedded}]',
        '',
      ].join('\n'),
    );
    const set = await loadProfiles(path, true, WITH_CONSUL);
    expect(set.profiles.get('migrating')).toMatchObject({ registry: [{ type: 'embedded', name: 'old' }, { type: 'consul', name: 'new' }], config: [{ type: 'embedded' }] });
  });

  it('refuses two registry entries with the same name (an unnamed entry is named by its type), at the second one', async () => {
    const path = file(['profiles:', '  p:', '    registry:', '      - {type: embedded}', '      - {type: consul, name: embedded}', ''].join('\n'));
    const e = (await loadProfiles(path, true, WITH_CONSUL).catch((x: unknown) => x)) as OpsError;
    expect(e.kind).toBe('config');
    expect(e.message).toBe(`${path}:5:30: profile p: registry[1] is named embedded, as registry[0] is`);
    expect(e.hint).toMatch(/give each registry entry its own "name"/);
    const unnamed = file(['profiles:', '  p:', '    config:', '      - {type: consul}', '      - {type: consul}', ''].join('\n'));
    expect(((await loadProfiles(unnamed, true, WITH_CONSUL).catch((x: unknown) => x)) as OpsError).message).toBe(`${unnamed}:5:9: profile p: config[1] is named consul, as config[0] is`);
  });

  it('rejects a backend without a type', async () => {
    const path = file('profiles:\n  a:\n    config:\n      url: http://x\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:7: profile a: config needs a "type"`);
    expect(e.hint).toBe(`use one of: ${Object.keys(ADAPTERS).join(', ')}`);
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
    const path = file('profiles:\n  a:\n    locks:\n      - {type: embedded}\n      - {type: zookeepr}\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:5:16: profile a: locks[1]: unknown backend type "zookeepr"`);
    expect(e.hint).toMatch(/^did you mean zookeeper\? this build supports: embedded, redis, /);
  });
});

describe('loadProfiles: typos never fall back to the built-in profile (probe 8)', () => {
  it.each([
    ['profile:\n  ro:\n    readOnly: true\n', 1, 1, 'profile', 'profiles'],
    ['defaultprofile: prod\nprofiles:\n  prod:\n    readOnly: true\n', 1, 1, 'defaultprofile', 'defaultProfile'],
    ['profiels:\n  dev:\n    readOnly: true\n', 1, 1, 'profiels', 'profiles'],
  ])('an unknown top-level key is an error with its position and the key it resembles: %j', async (text, line, col, key, near) => {
    const path = file(text);
    for (const explicit of [true, false]) {
      const e = await configError(path, KNOWN, explicit);
      expect(e.message).toBe(`${path}:${line}:${col}: unknown key "${key}"`);
      expect(e.hint).toBe(`did you mean ${near}? the top level takes (and x- keys for anchors): profiles, defaultProfile`);
    }
  });

  it.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing yet\n'],
    ['only a defaultProfile', 'defaultProfile: local\n'],
    ['an empty profiles mapping', 'profiles: {}\n'],
    ['profiles with no value', 'profiles:\n'],
  ])('a file named with --config that defines no profiles is an error: %s', async (_, text) => {
    const path = file(text);
    const e = await configError(path, KNOWN, true);
    expect(e.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+:\\d+)?: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} defines no profiles$`));
    expect(e.hint).toMatch(/leave out --config \/ OPSDECK_CONFIG to use the built-in local profile/);
  });

  it('an unknown key inside a profile or a backend suggests the near one', async () => {
    const path = file('profiles:\n  a:\n    readonly: true\n');
    expect((await configError(path)).message).toBe(`${path}:3:5: profile a: unknown key "readonly"`);
    expect((await configError(path)).hint).toMatch(/^did you mean readOnly\? /);
    const opt = file('profiles:\n  a:\n    locks:\n      - type: redis\n        url: redis://h:6379\n        pasword: x\n');
    const e = await configError(opt);
    expect(e.message).toBe(`${opt}:6:9: profile a: locks[0]: unknown option pasword`);
    expect(e.hint).toBe('did you mean password? redis takes: url, urls, cluster, username, password, tls, db, connectTimeoutMs, commandTimeoutMs, scanCount, scanTimeMs, layout');
    expect(e.message + e.hint).not.toMatch(/\bx\b/);
  });

  it('a defaultProfile that names no profile suggests the near one', async () => {
    const path = file('defaultProfile: staging\nprofiles:\n  stageing:\n    readOnly: true\n');
    expect((await configError(path)).hint).toMatch(/^did you mean stageing\? /);
  });
});

describe('loadProfiles: backend options are checked when the file loads (probe 8)', () => {
  const metrics = (opts: string) => file(`profiles:\n  p:\n    metrics:\n      type: prometheus\n      url: http://prom:9090\n      ${opts}\n`);

  it.each([
    ['timeoutMs: "x"', 'timeoutMs must be a duration from 1ms to 24d: milliseconds (5000) or with a unit (5s), not "x"'],
    ['timeoutMs: -5', 'timeoutMs must be from 1ms to 24d, not -5'],
    ['timeoutMs: 0', 'timeoutMs must be from 1ms to 24d, not 0'],
    ['timeoutMs: 99999999999', 'timeoutMs must be from 1ms to 24d, not 99999999999'],
    ['maxResponseBytes: "lots"', 'maxResponseBytes must be a whole number of at least 1024, not "lots"'],
    ['maxResponseBytes: -1', 'maxResponseBytes must be a whole number of at least 1024, not -1'],
    ['maxResponseBytes: 1500.5', 'maxResponseBytes must be a whole number of at least 1024, not 1500.5'],
    ['dedup: "yes"', 'dedup must be true or false, not "yes"'],
    ['headers: [a]', 'headers must be a mapping of names to text, not a list'],
  ])('%s is a config error at the value', async (opts, detail) => {
    const path = metrics(opts);
    const e = await configError(path);
    expect(e.message).toBe(`${path}:6:${opts.indexOf(':') + 9}: profile p: metrics: ${detail}`);
  });

  it('a quoted number is refused with the fix', async () => {
    const e = await configError(metrics('timeoutMs: "5000"'));
    expect(e.message).toMatch(/timeoutMs must be .*, not the string "5000"$/);
    expect(e.hint).toBe('write it without quotes: timeoutMs: 5000');
  });

  it('accepts durations with units where a number of milliseconds is expected', async () => {
    const set = await loadProfiles(metrics('timeoutMs: 30s'), true, KNOWN);
    expect(set.profiles.get('p')?.metrics).toMatchObject({ timeoutMs: '30s' });
  });

  it('a required option that is missing points at its backend', async () => {
    const path = file('profiles:\n  p:\n    locks:\n      - {type: etcd, prefix: /locks/}\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:9: profile p: locks[0]: needs url`);
    expect(e.hint).toBe('for example url: http://etcd-0:2379');
  });

  it('Redis db 0, the default database, is accepted; a negative one is not', async () => {
    await expect(loadProfiles(file('profiles:\n  p:\n    cache: {type: redis, url: "redis://h:6379", db: 0}\n'), true, KNOWN)).resolves.toBeDefined();
    const path = file('profiles:\n  p:\n    cache: {type: redis, url: "redis://h:6379", db: -1}\n');
    expect((await configError(path)).message).toBe(`${path}:3:53: profile p: cache: db must be a whole number from 0 to 1000000, not -1`);
  });

  it('checks options nested in lists and mappings, naming the path', async () => {
    const path = file('profiles:\n  p:\n    locks:\n      - type: postgres\n        url: postgres://h/db\n        tables:\n          - {layout: shedlock}\n          - {layout: unique-key, table: t, columns: {name: n, owner: "o-x"}}\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:8:70: profile p: locks[0]: tables[1].columns.owner "o-x" is not a plain SQL identifier`);
  });

  it('a value holding a ${...} reference is checked when the backend connects, not at load', async () => {
    const set = await loadProfiles(metrics('timeoutMs: "${PROM_TIMEOUT}"'), true, KNOWN);
    expect(set.profiles.get('p')?.metrics).toMatchObject({ timeoutMs: '${PROM_TIMEOUT}' });
  });

  it("checks a URL's scheme even when a reference holds its password", async () => {
    const path = file('profiles:\n  p:\n    locks: [{type: postgres, url: "mysql://ops:${DB_PW}@db:3306/app"}]\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:3:35: profile p: locks[0]: url must be a postgres:// or postgresql:// URL, not "mysql://ops:\${DB_PW}@db:3306/app"`);
    expect(e.hint).toBe('the scheme decides the driver: postgres:// or postgresql:// for type postgres, mysql:// or mariadb:// for type mysql');
  });

  it('never shows a secret value in a message', async () => {
    const path = file('profiles:\n  p:\n    locks: [{type: etcd, url: "http://h:2379", username: u, password: 12345678}]\n');
    const e = await configError(path);
    expect(e.message).toMatch(/password must be text, not a number$/);
    expect(e.message + e.hint).not.toContain('12345678');
  });

  it('a name must be text, and embedded entries of one profile may not name two data dirs', async () => {
    expect((await configError(file('profiles:\n  p:\n    locks: [{type: embedded, name: ""}]\n'))).message).toMatch(/locks\[0\]: name must be non-empty text$/);
    const path = file('profiles:\n  p:\n    registry: {type: embedded, dataDir: /a}\n    locks: [{type: embedded, dataDir: /b}]\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:39: profile p: locks[0] names dataDir /b, but registry names /a`);
  });

  it('names an embedded entry in a registry list by its index when its dataDir disagrees', async () => {
    const path = file('profiles:\n  p:\n    registry: [{type: embedded, name: a, dataDir: /a}, {type: embedded, name: b, dataDir: /b}]\n');
    const e = await configError(path);
    expect(e.message).toBe(`${path}:3:91: profile p: registry[1] names dataDir /b, but registry[0] names /a`);
  });
});

describe('loadProfiles: anchors, aliases and merge keys (probe 12)', () => {
  it('an aliased backend, an x- block of anchors and a merged profile all load', async () => {
    const path = file(
      [
        'x-redis: &redis {type: redis, url: "redis://cache:6379", db: 2}',
        'profiles:',
        '  prod: &prod',
        '    production: true',
        '    registry: &reg {type: embedded}',
        '    locks: [*redis, {type: embedded}]',
        '  staging:',
        '    <<: *prod',
        '    production: false',
        '    readOnly: true',
        '    cache: *redis',
        '    config: *reg',
        '',
      ].join('\n'),
    );
    const set = await loadProfiles(path, true, KNOWN);
    const redis = { type: 'redis', url: 'redis://cache:6379', db: 2 };
    expect(set.profiles.get('prod')).toMatchObject({ production: true, readOnly: false, registry: [{ type: 'embedded' }], locks: [redis, { type: 'embedded' }] });
    expect(set.profiles.get('staging')).toMatchObject({ production: false, readOnly: true, registry: [{ type: 'embedded' }], config: [{ type: 'embedded' }], locks: [redis, { type: 'embedded' }], cache: redis });
  });

  it('a mistake inside an anchored block is reported where the block is written', async () => {
    const path = file(['x-redis: &redis', '  type: redis', '  url: "redis://cache:6379"', '  scanCont: 10', 'profiles:', '  a: {cache: *redis}', ''].join('\n'));
    const e = await configError(path);
    expect(e.message).toBe(`${path}:4:3: profile a: cache: unknown option scanCont`);
    expect(e.hint).toMatch(/^did you mean scanCount\? /);
  });

  it('a mistake in a merged profile is reported where the merged key is written', async () => {
    const path = file(['profiles:', '  base: &base', '    readOnly: maybe', '  derived:', '    <<: *base', ''].join('\n'));
    expect((await configError(path)).message).toBe(`${path}:3:15: profile base: readOnly must be true or false`);
  });

  it('refuses an alias bomb instead of expanding it', async () => {
    const lines = ['x-a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`x-${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    lines.push('profiles:', '  a: {readOnly: true}', '');
    const e = await configError(file(lines.join('\n')));
    expect(e.message).toMatch(/alias/i);
  });
});

describe('loadProfiles: size', () => {
  it('refuses a file over the size bound before parsing it', async () => {
    const path = file(`profiles:\n  a:\n    description: "${'x'.repeat(2 * 1024 * 1024)}"\n`);
    const e = await configError(path);
    expect(e.message).toBe(`config file ${path} is 2.0 MiB, more than the 2 MiB a profile file may be`);
  });
});
