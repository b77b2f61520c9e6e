import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';

/**
 * The profile file through the real binary (probe 8, parts of 11 and 12): a typo never sends a
 * command to the writable built-in profile, backend options are config errors (exit 2) with
 * their position when the file loads, YAML aliases work, and the data dir says where it came from.
 */
let box: ReturnType<typeof sandbox>;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

function configFile(text: string, name = 'f.yaml'): string {
  const path = join(box.dir, name);
  writeFileSync(path, text);
  return path;
}

function oneLine(r: { stderr: string }): string {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^opsdeck: .*\(hint: .+\)$/);
  return lines[0]!;
}

describe('typos in the profile file are errors, never a fallback to the built-in profile', () => {
  it('a top-level "profile:" holding a read-only profile: locks acquire exits 2, nothing is written', () => {
    const path = configFile('profile:\n  ro:\n    readOnly: true\n    locks: [{type: embedded}]\n');
    const r = opsdeck(box.env, ['--config', path, 'locks', 'acquire', 'deploy/x', '--ttl', '30s']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe(`opsdeck: ${path}:1:1: unknown key "profile" (hint: did you mean profiles? the top level takes (and x- keys for anchors): profiles, defaultProfile)`);
    expect(opsdeck(box.env, ['locks', 'list']).json().locks).toEqual([]);
  });

  it('"defaultprofile: prod" is an error for config set, and nothing is published', () => {
    const path = configFile('defaultprofile: prod\nprofiles:\n  prod:\n    readOnly: true\n    config: {type: embedded}\n');
    const r = opsdeck(box.env, ['--config', path, 'config', 'set', 'app.yaml', '--value', 'a: 1']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/f\.yaml:1:1: unknown key "defaultprofile" \(hint: did you mean defaultProfile\?/);
    expect(opsdeck(box.env, ['config', 'list']).json().configs).toEqual([]);
  });

  it('"profiels:" names the key it resembles instead of "no profile named dev"', () => {
    const path = configFile('profiels:\n  dev:\n    registry: {type: embedded}\n');
    const r = opsdeck(box.env, ['--config', path, '--profile', 'dev', 'services', 'list']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/unknown key "profiels" \(hint: did you mean profiles\?/);
  });

  it('an OPSDECK_CONFIG file that defines no profiles is an error, not the built-in profile', () => {
    const path = configFile('');
    const r = opsdeck({ ...box.env, OPSDECK_CONFIG: path }, ['services', 'list']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe(`opsdeck: ${path}: ${path} defines no profiles (hint: add "profiles:" with at least one profile (README "Profiles"), or leave out --config / OPSDECK_CONFIG to use the built-in local profile)`);
  });
});

describe('backend options are checked when the file loads', () => {
  it('status with a bad literal option is exit 2 naming the position, not exit 3 "unreachable"', () => {
    const path = configFile('profiles:\n  p:\n    metrics: {type: prometheus, url: "http://127.0.0.1:1", timeoutMs: -5}\n');
    const r = opsdeck(box.env, ['--config', path, '--profile', 'p', 'status']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/f\.yaml:3:71: profile p: metrics: timeoutMs must be from 1ms to 24d, not -5 /);
  });

  it('an unknown backend option is exit 2 with the option it resembles', () => {
    const path = configFile('profiles:\n  p:\n    locks:\n      - type: redis\n        url: redis://127.0.0.1:1\n        pasword: hunter2\n');
    const r = opsdeck(box.env, ['--config', path, '--profile', 'p', 'status']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/f\.yaml:6:9: profile p: locks\[0\]: unknown option pasword \(hint: did you mean password\?/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('a value from a ${...} reference is checked when the backend connects: status is exit 2 naming the key and the reference', () => {
    const path = configFile('profiles:\n  p:\n    metrics: {type: prometheus, url: "http://127.0.0.1:1", timeoutMs: "${PROM_TIMEOUT}"}\n');
    const r = opsdeck({ ...box.env, PROM_TIMEOUT: 'soon' }, ['--config', path, '--profile', 'p', 'status']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toMatch(/^opsdeck: profile p: metrics: timeoutMs must be a duration .*, not "soon" \(read from \$\{PROM_TIMEOUT\}\) \(hint: /);
    // Resolved to a good value, the same profile gets as far as the (closed) port: exit 3.
    expect(opsdeck({ ...box.env, PROM_TIMEOUT: '1500' }, ['--config', path, '--profile', 'p', 'status']).code).toBe(3);
  });
});

describe('YAML anchors, aliases and merge keys', () => {
  it('an aliased backend and a merged profile load and work', () => {
    const path = configFile(
      ['x-store: &store {type: embedded}', 'profiles:', '  base: &base', '    registry: *store', '    locks: [*store]', '  ro:', '    <<: *base', '    readOnly: true', ''].join('\n'),
    );
    const shown = opsdeck(box.env, ['--config', path, '--profile', 'ro', 'profile', 'show']);
    expect(shown.code).toBe(0);
    expect(shown.json()).toMatchObject({ name: 'ro', readOnly: true, registry: [{ type: 'embedded' }], locks: [{ type: 'embedded' }] });
    expect(opsdeck(box.env, ['--config', path, '--profile', 'base', 'instances', 'register', 'svc', '10.0.0.1:80']).code).toBe(0);
    const refused = opsdeck(box.env, ['--config', path, '--profile', 'ro', 'instances', 'register', 'svc', '10.0.0.2:80']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/read-only/);
  });
});

describe('the data dir: --data-dir, then OPSDECK_DATA_DIR, then the profile, and profile show says which', () => {
  it('prints the effective data dir and where it came from', () => {
    const fromProfile = join(box.dir, 'profile-data');
    const fromEnv = join(box.dir, 'env-data');
    const fromFlag = join(box.dir, 'flag-data');
    const path = configFile(`profiles:\n  p:\n    registry: {type: embedded, dataDir: "${fromProfile}"}\n    locks: [{type: embedded}]\n`);
    const env = { ...box.env };
    delete env.OPSDECK_DATA_DIR;
    const show = (e: NodeJS.ProcessEnv, ...extra: string[]) => opsdeck(e, ['--config', path, '--profile', 'p', ...extra, 'profile', 'show']).json();
    expect(show(env)).toMatchObject({ dataDir: fromProfile, dataDirFrom: 'profile (registry.dataDir)' });
    expect(show({ ...env, OPSDECK_DATA_DIR: fromEnv })).toMatchObject({ dataDir: fromEnv, dataDirFrom: 'OPSDECK_DATA_DIR', registry: [{ dataDir: fromProfile }] });
    expect(show({ ...env, OPSDECK_DATA_DIR: fromEnv }, '--data-dir', fromFlag)).toMatchObject({ dataDir: fromFlag, dataDirFrom: '--data-dir' });
    const builtIn = opsdeck({ ...env, XDG_DATA_HOME: join(box.dir, 'xdg') }, ['profile', 'show']).json();
    expect(builtIn).toMatchObject({ dataDir: join(box.dir, 'xdg', 'opsdeck'), dataDirFrom: 'default' });
    // And the store really is the one shown.
    expect(opsdeck(env, ['--config', path, '--profile', 'p', 'instances', 'register', 'svc', '10.0.0.1:80']).code).toBe(0);
    expect(opsdeck({ ...env, OPSDECK_DATA_DIR: fromProfile }, ['services', 'list']).json().services).toHaveLength(1);
  });

  it('a dataDir from a reference is resolved like any secret reference', () => {
    mkdirSync(join(box.dir, 'ref-data'));
    const path = configFile('profiles:\n  p:\n    registry: {type: embedded, dataDir: "${OPS_DATA}"}\n');
    const env: NodeJS.ProcessEnv = { ...box.env, OPS_DATA: join(box.dir, 'ref-data') };
    delete env.OPSDECK_DATA_DIR;
    expect(opsdeck(env, ['--config', path, '--profile', 'p', 'profile', 'show']).json()).toMatchObject({ dataDir: join(box.dir, 'ref-data'), dataDirFrom: 'profile (registry.dataDir)' });
  });
});
