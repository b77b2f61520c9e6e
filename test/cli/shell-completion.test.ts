import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, opsdeck, sandbox } from '../helpers/cli.js';
import { Tmux } from '../helpers/tmux.js';

/**
 * `opsdeck completion bash|zsh|fish` in the real shells: each script is loaded into an interactive
 * shell in tmux, a partial command line is typed and Tab pressed, and the line must come back
 * completed from the command table and from live data (the demo fleet's services and instances).
 */
let box: ReturnType<typeof sandbox>;
let env: NodeJS.ProcessEnv;
let bin: string;

beforeAll(() => {
  box = sandbox();
  expect(opsdeck(box.env, ['demo']).code).toBe(0);
  // The scripts call `opsdeck` by name, as an installed one would be.
  bin = join(box.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'opsdeck'), `#!/bin/sh\nexec ${process.execPath} ${BIN} "$@"\n`);
  chmodSync(join(bin, 'opsdeck'), 0o755);
  env = { ...box.env, PATH: `${bin}:${process.env.PATH}`, HOME: box.dir, TERM: 'xterm-256color' };
});
afterAll(() => box.cleanup());

const SHELLS = {
  bash: { start: 'bash --norc --noprofile', load: 'source <(opsdeck completion bash)' },
  zsh: { start: 'zsh -f', load: 'source <(opsdeck completion zsh)' },
  // Autosuggestions would draw the completed text in grey before Tab, which tmux cannot tell apart.
  fish: { start: 'fish --no-config', load: 'set -g fish_autosuggestion_enabled 0; opsdeck completion fish | source' },
} as const;

describe.each(Object.entries(SHELLS))('completion in %s', (shell, how) => {
  let term: Tmux;
  beforeAll(async () => {
    term = new Tmux(160, 30);
    // tmux gives a new pane the client's PATH whatever -e says, so the shell gets it from env(1).
    term.start(`env PATH=${bin}:${process.env.PATH} ${how.start}`, env);
    term.type(how.load);
    term.keys('Enter');
    term.type('echo loaded');
    term.keys('Enter');
    await term.waitFor(/^loaded$/m);
  });
  afterAll(() => term.kill());

  /** Types a partial line, presses Tab, and returns the screen once the line shows `expected`. */
  async function tab(partial: string, expected: RegExp): Promise<string> {
    term.keys('C-u');
    term.type(partial);
    term.keys('Tab');
    try {
      return await term.waitFor(expected, 20_000);
    } finally {
      term.keys('C-u');
    }
  }

  it('completes a command word from the table', async () => {
    await tab('opsdeck ser', /opsdeck services\s*$/m);
  });

  it('completes a flag of the command', async () => {
    await tab('opsdeck locks acquire x --tt', /opsdeck locks acquire x --ttl\s*$/m);
  });

  it('completes a live service name from the profile\'s backend', async () => {
    await tab('opsdeck services show orde', /opsdeck services show orders\s*$/m);
  });

  it('completes an instance address through the ":" (bash splits words there)', async () => {
    await tab('opsdeck instances drain payments 10.0.2.11:8', /opsdeck instances drain payments 10\.0\.2\.11:8443\s*$/m);
  });

  it(`checks the ${shell} script is what opsdeck prints`, () => {
    const script = execFileSync(process.execPath, [BIN, 'completion', shell], { env, encoding: 'utf8' });
    expect(script).toContain('__complete');
    // Piped (not a terminal), other commands print JSON; a script must stay a script.
    expect(script.trimStart().startsWith('{')).toBe(false);
  });
});

describe('fish, without a terminal', () => {
  it('lists candidates with their descriptions through complete -C', () => {
    const out = execFileSync('fish', ['--no-config', '-c', 'opsdeck completion fish | source; complete -C "opsdeck services show orde"'], { env: { ...env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    expect(out.split('\n')).toContain('orders\tservice');
  });
});

describe('__complete', () => {
  it('answers the word completed, then value<TAB>description lines that extend it', () => {
    const out = execFileSync(process.execPath, [BIN, '__complete', '--shell', 'bash', '--', 'opsdeck services show pay'], { env, encoding: 'utf8' });
    const [word, ...lines] = out.trimEnd().split('\n');
    expect(word).toBe('pay');
    expect(lines).toContain('payments\tservice');
  });

  it('gives the table\'s candidates, quickly and silently, when the profile\'s backend is down', () => {
    const config = join(box.dir, 'down.yaml');
    writeFileSync(config, 'profiles:\n  down:\n    registry: {type: embedded}\n    config: {type: embedded}\n    locks: [{type: redis, url: "redis://127.0.0.1:1"}]\n');
    const out = execFileSync(process.execPath, [BIN, '__complete', '--', 'opsdeck --config', config, '--profile down locks show '], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('\n');
    const flags = execFileSync(process.execPath, [BIN, '__complete', '--', `opsdeck --config ${config} --profile down locks acquire x --`], { env, encoding: 'utf8' });
    expect(flags).toContain('--backend\t');
  });

  it('offers the instances of the namespace on the line, as ids described by their address', () => {
    const complete = (line: string) => execFileSync(process.execPath, [BIN, '__complete', '--shell', 'bash', '--', line], { env, encoding: 'utf8' }).trimEnd().split('\n').slice(1);
    // The demo has orders in public (10.0.1.x) and in staging (10.1.1.x).
    const staging = complete('opsdeck instances drain --namespace staging orders ');
    expect(staging.sort()).toEqual(['10.1.1.11:8080\t10.1.1.11:8080', '10.1.1.12:8080\t10.1.1.12:8080']);
    expect(complete('opsdeck instances drain orders 10.')).not.toContain('10.1.1.11:8080\t10.1.1.11:8080');
    expect(complete('opsdeck instances drain orders 10.')).toContain('10.0.1.11:8080\t10.0.1.11:8080');
  });

  it('completes namespaces from the registry', () => {
    const out = execFileSync(process.execPath, [BIN, '__complete', '--shell', 'bash', '--', 'opsdeck services list --namespace st'], { env, encoding: 'utf8' });
    expect(out.trimEnd().split('\n').slice(1)).toEqual(['staging\tnamespace']);
  });

  it('says nothing, and exits 0, for a broken profile file', () => {
    const config = join(box.dir, 'broken.yaml');
    writeFileSync(config, 'profiles: [\n');
    const r = opsdeck(env, ['__complete', '--', `opsdeck --config ${config} services show `]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
