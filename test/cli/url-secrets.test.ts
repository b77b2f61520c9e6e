import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';

/**
 * Probe 7: URL passwords the old redactors missed, through every place opsdeck prints or records
 * text: a password as a query parameter (`?password=`), and a raw `@` inside the userinfo (the
 * userinfo runs to the last `@`). The backends are unreachable (closed ports), so the URLs also
 * reach error messages, the status table and the audit log of a failed action.
 */
const SECRETS = ['Q9SECRETq', 'Z7SECRETz'];

let box: ReturnType<typeof sandbox>;
beforeAll(() => {
  box = sandbox();
  writeFileSync(
    join(box.dir, 'profiles.yaml'),
    [
      'profiles:',
      '  leaky:',
      '    registry: {type: embedded}',
      '    locks:',
      `      - {type: postgres, name: pgq, url: "postgres://ops@127.0.0.1:1/app?password=${SECRETS[0]}&sslmode=disable", tables: [{layout: shedlock, table: shedlock}], connectTimeoutMs: 300}`,
      `      - {type: redis, name: rat, url: "redis://:p@ss:${SECRETS[1]}@127.0.0.1:1", connectTimeoutMs: 300}`,
    ].join('\n') + '\n',
  );
});
afterAll(() => box.cleanup());

const run = (...args: string[]) => opsdeck(box.env, ['--config', join(box.dir, 'profiles.yaml'), '--profile', 'leaky', ...args]);

describe('URL passwords never leave opsdeck (probe 7)', () => {
  it.each([
    ['profile', 'show', '-o', 'json'],
    ['profile', 'show', '-o', 'yaml'],
    ['profile', 'show', '-o', 'table'],
    ['status', '-o', 'json'],
    ['status', '-o', 'table'],
    ['status', '-o', 'yaml'],
    ['locks', 'list', '-o', 'json'],
    ['locks', 'show', 'x', '-o', 'table'],
    ['locks', 'acquire', 'x', '--backend', 'pgq', '--ttl', '5s'],
    ['locks', 'acquire', 'x', '--backend', 'rat', '--ttl', '5s'],
    ['locks', 'release', 'x', '--backend', 'rat', '--force', '--yes'],
    ['status', '--debug'],
  ])('%s %s %s %s', (...args) => {
    const r = run(...args);
    // The command ran far enough to print something about the backends.
    expect(r.stdout + r.stderr).toMatch(/pgq|rat|127\.0\.0\.1/);
    for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('the audit log of the failed actions above holds neither password', () => {
    const audit = readFileSync(join(box.env.XDG_STATE_HOME!, 'opsdeck', 'audit.log'), 'utf8');
    expect(audit).toMatch(/locks acquire/);
    for (const s of SECRETS) expect(audit).not.toContain(s);
  });
});
