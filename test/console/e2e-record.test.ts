import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

const ctx = useConsoleSandbox();

const configContent = (env: NodeJS.ProcessEnv, id: string) => {
  const r = opsdeck(env, ['config', 'get', id]);
  return r.code === 0 ? (r.json().content as string) : null;
};

describe('console --record with secrets, in a real terminal', () => {
  it('probe 6: the recording never holds a secret, parses, and replays only with the secrets given back', async () => {
    const file = join(ctx.box.dir, 'rec.ops');
    startConsoleIn(ctx.term, ctx.box.env, `--record ${file}`);
    await ctx.term.waitFor(/local›/);
    const lines = [
      "config set pw3.txt --value 'token: X9-secret-token' --type text",
      "config set db.properties --value 'url=postgres://app:pg-s3cret@db:5432/x' --type properties",
      'instances register orders 10.0.0.1:8080',
    ];
    for (const line of lines) {
      ctx.term.type(line);
      ctx.term.keys('Enter');
      await ctx.term.waitFor(finished(line));
    }
    ctx.term.keys('C-d');
    await ctx.term.waitFor(/EXITED:0/);

    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/X9-secret-token|pg-s3cret/);
    expect(text).toContain("config set pw3.txt --value 'token: '${SECRET_1} --type text\nexpect exit 0\n");
    expect(text).toContain('config set db.properties --value url=postgres://app:${SECRET_2}@db:5432/x --type properties\nexpect exit 0\n');
    expect(text).toMatch(/^# This recording leaves secrets out\. Replay it with each one set:\n#   opsdeck replay rec\.ops --profile local --var SECRET_1=… --var SECRET_2=…\n#   SECRET_1  the value of --value of "config set"\n/);

    const fresh = sandbox();
    try {
      expect(opsdeck(fresh.env, ['config', 'set', 'pw3.txt', '--value', 'token: before', '--type', 'text']).code).toBe(0);
      // Without the variables: refused at the first secret, naming it; nothing is published. (Exit 4
      // today; 2 once replay checks every line before running any, which another branch adds.)
      const refused = opsdeck(fresh.env, ['replay', file]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/variable SECRET_1 is not set \(pass --var SECRET_1=/);
      expect(configContent(fresh.env, 'pw3.txt')).toBe('token: before');
      expect(configContent(fresh.env, 'db.properties')).toBeNull();
      expect(opsdeck(fresh.env, ['services', 'list']).json().services).toEqual([]);

      // With them: the session as it was.
      const replayed = opsdeck(fresh.env, ['replay', file, '--var', 'SECRET_1=X9-secret-token', '--var', 'SECRET_2=pg-s3cret']);
      expect(replayed.stderr).toBe('');
      expect(replayed.code).toBe(0);
      expect(configContent(fresh.env, 'pw3.txt')).toBe('token: X9-secret-token');
      expect(configContent(fresh.env, 'db.properties')).toBe('url=postgres://app:pg-s3cret@db:5432/x');
      expect(opsdeck(fresh.env, ['services', 'list']).json().services).toEqual([expect.objectContaining({ name: 'orders', instances: 1 })]);
    } finally {
      fresh.cleanup();
    }
  }, 90_000);
});
