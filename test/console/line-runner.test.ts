import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readGlobals } from '../../src/commands/global-options.js';
import { SessionPool } from '../../src/frontends/session-pool.js';
import { lineRunner } from '../../src/frontends/tui/line-runner.js';
import { PLAIN } from '../../src/render/style.js';
import type { Scope } from '../../src/core/scope.js';

let dir: string;
let pool: SessionPool;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsdeck-line-'));
  const configDir = join(dir, 'config', 'opsdeck');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'config.yaml'), 'profiles:\n  prod:\n    production: true\n    registry: {type: embedded}\n  dev:\n    registry: {type: embedded}\n');
});
afterEach(async () => {
  await pool.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A line runner on a real embedded backend, with a scripted dialog that records what it was asked. */
function runner(profile: 'prod' | 'dev', answers: boolean[], scope: Scope = {}) {
  const env = { ...process.env, OPSDECK_DATA_DIR: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state') };
  pool = new SessionPool('test', env);
  const asked: Array<{ message: string; typeToConfirm: string | null }> = [];
  const recorded: string[] = [];
  const notices: string[] = [];
  const run = lineRunner({
    pool,
    globals: { ...readGlobals({}), profile },
    env,
    version: 'test',
    profileName: profile,
    style: PLAIN,
    width: () => 120,
    log: () => 1,
    amendLog: () => undefined,
    ask: async (message, typeToConfirm) => {
      asked.push({ message, typeToConfirm });
      return answers.shift() ?? false;
    },
    notice: (t) => void (t && notices.push(t)),
    openMetrics: () => undefined,
    record: (line, code) => void recorded.push(`${line} => ${code}`),
    scope: () => scope,
  });
  const line = (text: string) => run(text, new AbortController().signal);
  return { line, asked, recorded, notices };
}

describe('console line runner', () => {
  it("runs a line that names no namespace in the console's, and records it with the flag", async () => {
    const r = runner('dev', [], { namespace: 'staging' });
    expect((await r.line('instances register orders 10.0.0.1:80')).exitCode).toBe(0);
    const shown = await r.line('services show orders -o json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ namespace: 'staging' });
    // A line that names its namespace keeps it (here one where orders is not: not found).
    expect((await r.line('services show orders --namespace=elsewhere')).exitCode).toBe(1);
    expect(r.recorded).toEqual(['instances register orders 10.0.0.1:80 --namespace staging => 0', 'services show orders -o json --namespace staging => 0', 'services show orders --namespace=elsewhere => 1']);
  });

  it('ignores --yes on a console line: a destructive command asks, and declining changes nothing', async () => {
    const r = runner('dev', [false, true]);
    expect((await r.line('instances register orders 10.0.0.1:80')).exitCode).toBe(0);
    expect((await r.line('instances register orders 10.0.0.2:80')).exitCode).toBe(0);
    const declined = await r.line('instances deregister orders 10.0.0.1:80 --yes');
    expect(declined.exitCode).toBe(1);
    expect(declined.stderr).toMatch(/cancelled; nothing was changed/);
    expect(r.asked).toEqual([{ message: expect.stringMatching(/^Deregister 10\.0\.0\.1:80 from orders/), typeToConfirm: null }]);
    expect(r.notices).toContain('--yes is ignored in the console: it asks instead (use it in scripts and on the command line)');
    expect(JSON.parse((await r.line('services show orders -o json')).stdout).instances).toHaveLength(2);

    expect((await r.line('instances deregister orders 10.0.0.1:80')).exitCode).toBe(0);
    expect(r.asked).toHaveLength(2);
    expect(JSON.parse((await r.line('services show orders -o json')).stdout).instances).toHaveLength(1);
    // The recording: the declined command is left out; the confirmed one carries --yes for an unattended replay.
    expect(r.recorded).toEqual(['instances register orders 10.0.0.1:80 => 0', 'instances register orders 10.0.0.2:80 => 0', 'services show orders -o json => 0', 'instances deregister orders 10.0.0.1:80 --yes => 0', 'services show orders -o json => 0']);
  });

  it('on a production profile the question demands the profile name', async () => {
    const r = runner('prod', [false]);
    await r.line('instances register orders 10.0.0.1:80');
    await r.line('instances deregister orders 10.0.0.1:80 --yes');
    expect(r.asked).toEqual([{ message: expect.stringMatching(/^Deregister/), typeToConfirm: 'prod' }]);
  });

  it('a line that does not parse is a usage error (exit 2), not an internal error', async () => {
    const r = runner('dev', []);
    const res = await r.line("config set a --value 'token: x");
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe("opsdeck: unclosed ' quote (hint: fix the quoting or set the variable, then run the line again)\n");
  });
});
