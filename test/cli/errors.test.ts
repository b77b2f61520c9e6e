import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opsdeck, sandbox } from '../helpers/cli.js';

let box: ReturnType<typeof sandbox>;
const run = (...args: string[]) => opsdeck(box.env, args);

beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

/** Every error is exactly one line on stderr, names a next step, and never shows a stack trace. */
function expectOneLineError(r: { stderr: string; stdout: string }, pattern: RegExp) {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^opsdeck: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).toMatch(/\(hint: .+\)$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

function writeConfig(text: string): string {
  const dir = join(box.env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  return path;
}

describe('bad input gets one clear line and the right exit code', () => {
  it.each([
    [['bogus'], 2, /unknown command "bogus"/],
    [['servces', 'list'], 2, /unknown command "servces list"; did you mean services\?/],
    [['services', 'lst'], 2, /unknown command 'lst'; did you mean list\?/],
    [['services', 'list', '--bogus'], 2, /unknown option '--bogus'/],
    [['services'], 2, /needs a subcommand/],
    [['locks', 'acquire'], 2, /missing required argument 'name'/],
    [['locks', 'acquire', 'x', '--ttl', 'soon'], 2, /invalid --ttl "soon"/],
    [['locks', 'acquire', 'x', '--ttl', '0'], 2, /^opsdeck: --ttl must be greater than zero, not "0" \(hint: give a duration above zero, up to 24d\)$/],
    [['locks', 'acquire', 'x', '--ttl', '2147483647d'], 2, /^opsdeck: --ttl must be at most 24d, not "2147483647d"/],
    [['locks', 'acquire', ''], 2, /the lock name is empty/],
    [['locks', 'acquire', 'x', '--owner', ''], 2, /--owner is empty/],
    [['config', 'watch', 'a', '--count', '9223372036854775808'], 2, /--count must be at most 9007199254740991, not "9223372036854775808"/],
    [['instances', 'weight', 'a', '1.2.3.4:80', '10001'], 2, /weight must be a number from 0 to 10000, not "10001"/],
    [['instances', 'meta', 'a', '1.2.3.4:80'], 2, /instances meta needs --set k=v or --remove KEY/],
    [['instances', 'meta', 'a', '1.2.3.4:80', '--set', 'k=v', '--remove', 'k'], 2, /k is both set and removed/],
    [['config', 'set', 'a', '--value', 'x', '--if-md5', 'abc'], 2, /--if-md5 must be an md5 of 32 hex digits/],
    [['config', 'set', 'a', '--value', 'x', '--beta-ips', '1.2.3.4,,5.6.7.8'], 2, /--beta-ips takes addresses separated by commas/],
    [['config', 'rollback', 'a'], 2, /config rollback needs --to ID/],
    [['instances', 'drain', 'orders', ''], 2, /^opsdeck: the instance is empty \(hint: give one, for example 10\.0\.1\.11:8080\)$/],
    [['services', 'show', ' '], 2, /the service is empty/],
    [['config', 'get', ''], 2, /the dataId is empty/],
    [['config', 'diff', 'a', '--file', 'x', '--to', '3'], 2, /--file and --to both name what to diff to/],
    [['cache', 'keys', 'x*', '--limit', '5e225'], 2, /--limit must be a whole number from 1 to 1000000, not "5e225"/],
    [['services', 'list', '-o', 'xml'], 2, /Allowed choices are table, json, yaml/],
    [['instances', 'register', 'a', '1.2.3.4:99999'], 2, /invalid instance address/],
    [['instances', 'register', 'a', '1.2.3.4:80', '--meta', 'novalue'], 2, /key=value/],
    [['instances', 'register', 'a', '1.2.3.4:80', '--ttl', '5s'], 2, /--ttl applies only with --ephemeral/],
    [['config', 'set', 'a'], 2, /exactly one of --value or --file/],
    [['config', 'set', 'a', '--file', '/no/such/file'], 2, /cannot read \/no\/such\/file: it does not exist/],
    [['config', 'rollback', 'a'], 2, /needs --to/],
    [['config', 'get', 'nothing'], 1, /config nothing not found/],
    [['services', 'show', 'ghost'], 1, /service ghost not found/],
    [['locks', 'release', 'free-lock'], 1, /is not held/],
    [['--profile', 'nope', 'services', 'list'], 2, /no profile named nope/],
    [['--data-dir', '/definitely/not/here/data', 'services', 'list'], 2, /data dir's parent \/definitely\/not\/here does not exist/],
    [['--config', '/no/such/config.yaml', 'services', 'list'], 2, /cannot read config file/],
  ])('opsdeck %j exits %i', (args, code, pattern) => {
    const r = run(...(args as string[]));
    expect(r.code).toBe(code);
    expectOneLineError(r, pattern as RegExp);
  });

  it('malformed YAML names the file, line and column', () => {
    const path = writeConfig('profiles:\n  prod:\n    registry: {type: embedded\n');
    const r = run('services', 'list');
    expect(r.code).toBe(2);
    expectOneLineError(r, new RegExp(`${path.replace(/[/.]/g, '\\$&')}:\\d+:\\d+: invalid YAML`));
  });

  it('a subsystem pointed at a backend type that lacks it is a configuration error (exit 2) with a hint', () => {
    writeConfig('profiles:\n  emb:\n    cache: {type: embedded}\n    tx: {type: embedded}\n');
    for (const args of [['cache', 'stats'], ['cache', 'keys', 'x*'], ['tx', 'list']]) {
      const r = run('--profile', 'emb', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLineError(r, /^opsdeck: backend type embedded does not provide (cache|tx) \(hint: point "(cache|tx):" in the profile at a backend type that does/);
    }
  });

  it('an unknown backend type names its position', () => {
    const path = writeConfig('profiles:\n  prod:\n    registry: {type: zookeepr}\n');
    const r = run('--profile', 'prod', 'services', 'list');
    expect(r.code).toBe(2);
    expectOneLineError(r, new RegExp(`${path.replace(/[/.]/g, '\\$&')}:3:22: .*unknown backend type "zookeepr" \\(hint: did you mean zookeeper\\?`));
  });

  it('version and help still work with a broken config file', () => {
    writeConfig('profiles: [');
    expect(run('version').code).toBe(0);
    expect(run('help').code).toBe(0);
  });

  it('--debug adds a stack trace for internal errors only', () => {
    const r = run('config', 'get', 'nothing', '--debug');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^opsdeck: config nothing not found/);
  });
});

describe('profiles', () => {
  it('a read-only profile refuses every mutating command with exit 1 and allows reads', () => {
    writeConfig('profiles:\n  ro:\n    readOnly: true\n    registry: {type: embedded}\n    config: {type: embedded}\n    locks: [{type: embedded}]\n');
    run('instances', 'register', 'orders', '10.0.0.1:80');
    for (const args of [
      ['instances', 'drain', 'orders', '10.0.0.1:80'],
      ['instances', 'weight', 'orders', '10.0.0.1:80', '3'],
      ['instances', 'meta', 'orders', '10.0.0.1:80', '--set', 'a=b'],
      ['instances', 'heartbeat', 'orders', '10.0.0.1:80'],
      ['instances', 'deregister', 'orders', '10.0.0.1:80', '--yes'],
      ['config', 'rollback', 'a', '--to', '1'],
      ['config', 'beta-stop', 'a', '--yes'],
      ['config', 'set', 'a', '--value', 'b'],
      ['locks', 'acquire', 'x'],
      ['demo'],
    ]) {
      const r = run('--profile', 'ro', ...args);
      expect(r.code).toBe(1);
      expectOneLineError(r, /read-only/);
    }
    expect(run('--profile', 'ro', 'services', 'list').json().services).toHaveLength(1);
  });

  it('secrets come from ${ENV} and are never printed; unset ones are a config error', () => {
    // Port 1 refuses at once: with the secret set, the command gets as far as connecting.
    writeConfig(
      'defaultProfile: dev\nprofiles:\n  dev:\n    registry: {type: embedded}\n    locks: [{type: redis, url: "redis://app:hunter2@127.0.0.1:1", password: "${OPSDECK_TEST_SECRET}", connectTimeoutMs: 500}]\n',
    );
    const shown = opsdeck({ ...box.env, OPSDECK_TEST_SECRET: 'sup3r-s3cret' }, ['profile', 'show']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain('sup3r-s3cret');
    expect(shown.stdout).not.toContain('hunter2');
    expect(shown.json().locks[0].password).toBe('${OPSDECK_TEST_SECRET}');
    expect(shown.json().locks[0].url).toBe('redis://app:***@127.0.0.1:1');
    const unset = run('locks', 'list');
    expect(unset.code).toBe(2);
    expectOneLineError(unset, /profile dev: locks\[0\]\.password: environment variable OPSDECK_TEST_SECRET is not set/);
    expect(unset.stderr).not.toContain('sup3r');
    // A subsystem that does not use the secret never needs it.
    expect(run('services', 'list').code).toBe(0);
    const down = opsdeck({ ...box.env, OPSDECK_TEST_SECRET: 'sup3r-s3cret' }, ['locks', 'list']);
    expect(down.code).toBe(3);
    expect(down.stderr + down.stdout).not.toMatch(/sup3r|hunter2/);
  });

  it('--config and --profile pick a profile with its own data dir', () => {
    const other = join(box.dir, 'other-data');
    const path = join(box.dir, 'custom.yaml');
    writeFileSync(path, `profiles:\n  other:\n    registry: {type: embedded, dataDir: "${other}"}\n`);
    const env = { ...box.env };
    delete env.OPSDECK_DATA_DIR;
    expect(opsdeck(env, ['--config', path, '--profile', 'other', 'instances', 'register', 's', '1.1.1.1:1']).code).toBe(0);
    expect(opsdeck(env, ['--config', path, '--profile', 'other', 'services', 'list']).json().services).toHaveLength(1);
    expect(opsdeck(env, ['--config', path, '--profile', 'other', 'profile', 'show']).json().dataDir).toBe(other);
    const noLocks = opsdeck(env, ['--config', path, '--profile', 'other', 'locks', 'list']);
    expect(noLocks.code).toBe(2);
    expectOneLineError(noLocks, new RegExp(`has no locks backend \\(hint: add "locks:" to the profile in ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, or pick`));
  });

  it('the built-in profile, which has no file, says where a profile with the missing subsystem goes', () => {
    const r = opsdeck(box.env, ['metrics', 'query', 'up']);
    expect(r.code).toBe(2);
    expectOneLineError(r, /profile local has no metrics backend \(hint: write a profile with "metrics:" in \$XDG_CONFIG_HOME\/opsdeck\/config\.yaml/);
  });
});
