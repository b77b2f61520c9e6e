import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opsdeck, sandbox } from '../helpers/cli.js';

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

function script(name: string, text: string): string {
  const path = join(box.dir, name);
  writeFileSync(path, text);
  return path;
}

const RUNBOOK = `# drain one orders instance, check it, undrain it
set SVC orders
instances register \${SVC} 10.0.0.1:8080 --meta zone=a
instances register \${SVC} 10.0.0.2:8080
instances drain \${SVC} 10.0.0.1:8080
expect exit 0
expect json instances[0].enabled == false
expect json instances.length == 2
services list -o table
expect stdout contains orders
expect stdout /orders\\s+2\\s+2\\/2/
locks acquire deploy/\${SVC} --owner \${WHO} --ttl 5m
capture TOKEN json token
locks show deploy/\${SVC}
expect json locks[0].holder == "\${WHO}"
expect json locks[0].token == \${TOKEN}
expect json complete == true
locks acquire deploy/\${SVC} --owner mallory
expect exit 1
expect stderr contains held by \${WHO}
instances undrain \${SVC} \\
  10.0.0.1:8080
expect json instances[0].enabled == true
`;

describe('replay', () => {
  it('runs a runbook file with variables, captures and every kind of expectation', () => {
    const r = opsdeck(box.env, ['replay', script('runbook.ops', RUNBOOK), '--var', 'WHO=alice']);
    // The only stderr line is the refusal the script expected (exit 1 on the mallory line).
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^opsdeck: lock deploy\/orders is held by alice \(token 1, lease ends in /)]);
    expect(r.code).toBe(0);
    expect(opsdeck(box.env, ['services', 'show', 'orders']).json().instances.every((i: { enabled: boolean }) => i.enabled)).toBe(true);
  });

  it('runs the same script from stdin and from -c, with the same results', () => {
    expect(opsdeck(box.env, ['instances', 'register', 'a', '10.0.0.1:1']).code).toBe(0);
    const viaStdin = opsdeck(box.env, [], 'services list\nexpect json services[0].name == "a"\n');
    expect(viaStdin.code).toBe(0);
    const viaC = opsdeck(box.env, ['-c', 'services list', '-c', 'expect json services[0].instances == 1']);
    expect(viaC.code).toBe(0);
    expect(JSON.parse(viaC.stdout)).toEqual(JSON.parse(viaStdin.stdout));
  });

  it('a command in argv runs one-shot even when stdin has lines', () => {
    const r = opsdeck(box.env, ['version'], 'instances register a 10.0.0.1:1\n');
    expect(r.code).toBe(0);
    expect(opsdeck(box.env, ['services', 'list']).json().services).toEqual([]);
  });

  it('stops at the first failure, reports file:line and exits 4', () => {
    const path = script('fail.ops', 'services list\nexpect json services.length == 1\ninstances register never 10.0.0.1:1\n');
    const r = opsdeck(box.env, ['replay', path]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${path}:2: expected json services.length == 1, got 0`);
    expect(opsdeck(box.env, ['services', 'list']).json().services).toEqual([]);
  });

  it('an unexpected non-zero exit fails the script at the command line', () => {
    const path = script('unexpected.ops', '\n# comment\nconfig get missing\nservices list\n');
    const r = opsdeck(box.env, ['replay', path]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${path}:3: command exited 1: config missing not found`);
  });

  it('--continue-on-error runs everything and still exits 4', () => {
    const path = script('many.ops', 'config get a\ninstances register kept 10.0.0.1:1\nexpect exit 0\nservices list\nexpect json services.length == 5\n');
    const r = opsdeck(box.env, ['replay', path, '--continue-on-error']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${path}:1:`);
    expect(r.stderr).toContain(`${path}:5:`);
    expect(opsdeck(box.env, ['services', 'list']).json().services).toHaveLength(1);
  });

  it('--echo prints each command to stderr before it runs', () => {
    const r = opsdeck(box.env, ['-c', 'version', '--echo']);
    expect(r.stderr).toBe('+ version\n');
  });

  it('unknown commands and unset variables in a script are found before it runs: exit 2 with file:line', () => {
    const a = opsdeck(box.env, ['replay', script('a.ops', 'instances register a 10.0.0.1:1\nservices lsit\n')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/^opsdeck: .*a\.ops:2: unknown command 'lsit'/m);
    expect(a.stderr).toMatch(/^opsdeck: nothing was run: the script was checked before its first command and has 1 problem/m);
    const b = opsdeck(box.env, ['replay', script('b.ops', 'instances register a 10.0.0.1:1\nservices show ${NOPE}\n')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/b\.ops:2: variable NOPE is not set/);
    expect(opsdeck(box.env, ['services', 'list']).json().services).toEqual([]);
  });

  it('a recording with ${SECRET_1} refuses to run, and runs nothing, until the variable is given', () => {
    const rec = script('rec.ops', '# Recorded by opsdeck. Set SECRET_1 before replaying: opsdeck replay rec.ops --var SECRET_1=...\nconfig set a.txt --value first\nconfig set pw.txt --value "password=${SECRET_1}"\n');
    const refused = opsdeck(box.env, ['replay', rec]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe(`opsdeck: ${rec}:3: variable SECRET_1 is not set (pass --var SECRET_1=..., "set SECRET_1 ...", or export it)`);
    expect(opsdeck(box.env, ['config', 'get', 'a.txt']).code).toBe(1);
    const given = opsdeck(box.env, ['replay', rec, '--var', 'SECRET_1=s3cret']);
    expect(given.code, given.stderr).toBe(0);
    expect(opsdeck(box.env, ['config', 'get', 'pw.txt']).json().content).toBe('password=s3cret');
  });

  it('stdin is not checked first (it may be a live pipe): its lines run until a bad one', () => {
    const r = opsdeck(box.env, [], 'config set a.txt --value first\nconfig set pw.txt --value "password=${SECRET_1}"\n');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/<stdin>:2: variable SECRET_1 is not set/);
    expect(opsdeck(box.env, ['config', 'get', 'a.txt']).code).toBe(0);
  });

  it('an unclosed quote on stdin is a usage error (exit 2) at that line; the lines before it ran', () => {
    const r = opsdeck(box.env, [], 'config set q.txt --value first\nmetrics query up{handler="\\"/metrics\\"}\nconfig set never.txt --value x\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^opsdeck: <stdin>:2: unclosed " quote \(hint: .+\)$/m);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(opsdeck(box.env, ['config', 'get', 'q.txt']).code).toBe(0);
    expect(opsdeck(box.env, ['config', 'get', 'never.txt']).code).toBe(1);
  });

  it('-c lines are checked before the first one runs', () => {
    const r = opsdeck(box.env, ['-c', 'config set c.txt --value x', '-c', 'config set d.txt --valeu y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^opsdeck: -c#2:1: unknown option '--valeu'/m);
    expect(opsdeck(box.env, ['config', 'get', 'c.txt']).code).toBe(1);
  });

  it('a line that is meant to fail to parse runs when "expect exit 2" follows it', () => {
    const r = opsdeck(box.env, ['replay', script('usage.ops', 'services lsit\nexpect exit 2\nexpect stderr contains unknown command\n')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('PromQL past a bound is refused before anything runs, naming the limit and the line', () => {
    const path = script('deep.ops', `config set e.txt --value x\nmetrics query '${'sum('.repeat(200)}up${')'.repeat(200)}'\n`);
    const r = opsdeck(box.env, ['replay', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`opsdeck: ${path}:2: invalid PromQL at column 516: brackets nest more than 128 levels deep here, the limit (hint: simplify the expression)`);
    expect(opsdeck(box.env, ['config', 'get', 'e.txt']).code).toBe(1);
  });

  it('a 10 MB line is refused at once with exit 2 and its line number', () => {
    const path = script('huge.ops', `config set e.txt --value x\nmetrics query '${'sum('.repeat(2_500_000)}'\n`);
    const r = opsdeck(box.env, ['replay', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`opsdeck: ${path}:2: the line is longer than 1048576 characters, the limit for a script line (hint: put large content in a file, e.g. config set ID --file PATH)`);
    expect(opsdeck(box.env, ['config', 'get', 'e.txt']).code).toBe(1);
  });

  it('never prompts: a destructive command is refused (exit 2) unless --yes is on the line or the runner', () => {
    opsdeck(box.env, ['instances', 'register', 'a', '10.0.0.1:1']);
    opsdeck(box.env, ['instances', 'register', 'a', '10.0.0.2:1']);
    const refused = opsdeck(box.env, ['-c', 'instances deregister a 10.0.0.1:1', '-c', 'expect exit 2', '-c', 'expect stderr contains --yes']);
    expect(refused.code).toBe(0);
    expect(opsdeck(box.env, ['-c', 'instances deregister a 10.0.0.1:1 --yes']).code).toBe(0);
    expect(opsdeck(box.env, ['--yes', '-c', 'instances deregister a 10.0.0.2:1']).code).toBe(0);
    expect(opsdeck(box.env, ['services', 'list']).json().services).toEqual([]);
  });

  it("a script's own runaway regex is stopped: the line fails with exit 4 and a reason, and nothing after it runs", () => {
    const evil = 'a'.repeat(40) + 'b';
    const r = opsdeck(box.env, ['-c', `config set e.txt --value ${evil}`, '-c', 'expect json content matches "(a+)+$"', '-c', 'config set after.txt --value x']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^opsdeck: replay failed at -c#2:1: the regular expression \/\(a\+\)\+\$\/ ran longer than 1000 ms on json content \(41 characters\) and was stopped/m);
    expect(opsdeck(box.env, ['config', 'get', 'after.txt']).code).toBe(1);
  });

  it('a missing script file is a usage error', () => {
    const r = opsdeck(box.env, ['replay', join(box.dir, 'nope.ops')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read script/);
  });
});

describe('replay and Ctrl-C', () => {
  it('Ctrl-C during a command stops the script before its next line (exit 130)', async () => {
    const box2 = sandbox();
    try {
      opsdeck(box2.env, ['config', 'set', 'a.txt', '--value', 'x']);
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('../helpers/cli.js');
      const child = spawn(process.execPath, [BIN, '-c', 'config watch a.txt', '-c', 'config set b.txt --value never'], { env: box2.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
      // Interrupt once the watch runs, which it shows by printing a change: a fixed sleep could end
      // before the loaded machine had started the script (no SIGINT handler yet, or before line 1).
      for (let k = 0; stdout === '' && child.exitCode === null && k < 100; k++) {
        opsdeck(box2.env, ['config', 'set', 'a.txt', '--value', `x${k}`]);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(stdout, stderr).toMatch(/a\.txt/);
      child.kill('SIGINT');
      const code = await exited;
      expect(code, stderr).toBe(130);
      expect(stderr).toMatch(/replay stopped by Ctrl-C before -c#2:1/);
      expect(opsdeck(box2.env, ['config', 'get', 'b.txt']).code).toBe(1);
    } finally {
      box2.cleanup();
    }
  }, 60_000);
});
