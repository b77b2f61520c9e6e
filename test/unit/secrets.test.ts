import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { resolveSecrets } from '../../src/session/secrets.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-secrets-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function secretFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function configError(fn: () => unknown): OpsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OpsError);
    expect((e as OpsError).kind).toBe('config');
    return e as OpsError;
  }
  throw new Error('expected a config error');
}

describe('resolveSecrets', () => {
  const env = { DB_USER: 'app', DB_PASS: 's3cr3t', EMPTY: '' };

  it('replaces ${NAME} with the environment variable', () => {
    expect(resolveSecrets('${DB_PASS}', env, 'p')).toBe('s3cr3t');
  });

  it('replaces several references inside one string', () => {
    expect(resolveSecrets('postgres://${DB_USER}:${DB_PASS}@db:5432/x', env, 'p')).toBe('postgres://app:s3cr3t@db:5432/x');
  });

  it('accepts an empty variable', () => {
    expect(resolveSecrets('[${EMPTY}]', env, 'p')).toBe('[]');
  });

  it('inserts values literally, without $-replacement patterns', () => {
    expect(resolveSecrets('${V}', { V: "a$&b$1c$'" }, 'p')).toBe("a$&b$1c$'");
  });

  it('leaves strings without references and $NAME without braces alone', () => {
    expect(resolveSecrets('plain $DB_PASS text', env, 'p')).toBe('plain $DB_PASS text');
  });

  it('walks objects and arrays, leaving other values unchanged', () => {
    const input = { type: 'x', url: 'http://${DB_USER}@h', port: 5432, tls: true, none: null, hosts: ['${DB_USER}-1', 'b'], nested: { pw: '${DB_PASS}' } };
    expect(resolveSecrets(input, env, 'p')).toEqual({
      type: 'x',
      url: 'http://app@h',
      port: 5432,
      tls: true,
      none: null,
      hosts: ['app-1', 'b'],
      nested: { pw: 's3cr3t' },
    });
  });

  it('does not modify its input', () => {
    const input = { pw: '${DB_PASS}', list: ['${DB_USER}'] };
    resolveSecrets(input, env, 'p');
    expect(input).toEqual({ pw: '${DB_PASS}', list: ['${DB_USER}'] });
  });

  it('reads ${file:PATH}, dropping one trailing newline', () => {
    const lf = secretFile('lf', 'from-file\n');
    const crlf = secretFile('crlf', 'from-file\r\n');
    const two = secretFile('two', 'x\n\n');
    const none = secretFile('none', 'raw');
    expect(resolveSecrets(`\${file:${lf}}`, {}, 'p')).toBe('from-file');
    expect(resolveSecrets(`\${file:${crlf}}`, {}, 'p')).toBe('from-file');
    expect(resolveSecrets(`\${file:${two}}`, {}, 'p')).toBe('x\n');
    expect(resolveSecrets(`\${file:${none}}`, {}, 'p')).toBe('raw');
    expect(resolveSecrets(`token=\${file:${lf}};`, {}, 'p')).toBe('token=from-file;');
  });

  it('reports an unset variable with the option path and a hint', () => {
    const e = configError(() => resolveSecrets({ auth: { password: '${NOPE}' } }, env, 'profile prod: registry'));
    expect(e.message).toBe('profile prod: registry.auth.password: environment variable NOPE is not set');
    expect(e.hint).toBe('export NOPE before running opsdeck');
  });

  it('reports an unset variable at the top level with the given location', () => {
    expect(configError(() => resolveSecrets('${NOPE}', {}, 'here')).message).toBe('here: environment variable NOPE is not set');
  });

  it('reports an unreadable secret file with its path and error code', () => {
    const missing = join(dir, 'does-not-exist');
    const e = configError(() => resolveSecrets({ pw: `\${file:${missing}}` }, {}, 'p'));
    expect(e.message).toBe(`p.pw: cannot read secret file ${missing}: ENOENT`);
    expect(e.hint).toBe('check the path and its permissions');
  });
});
