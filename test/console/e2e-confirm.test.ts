import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsdeck } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

const ctx = useConsoleSandbox();

/** A history file as an older opsdeck wrote it: a confirmed pane action saved with --yes. */
function oldHistory(profile: string, lines: string[]): string {
  const dir = join(ctx.box.env.XDG_STATE_HOME!, 'opsdeck', 'history');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${profile}.txt`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function instances(profileArgs: string[] = []): string[] {
  return opsdeck(ctx.box.env, [...profileArgs, 'services', 'show', 'orders']).json().instances.map((i: { id: string }) => i.id);
}

const dialogOpen = (s: string) => /Deregister 10\.0\.1\.14:8080 from orders/.test(s);
/** The dialog is gone and the command has finished (the footer no longer says "running"). */
const settled = (s: string) => !dialogOpen(s) && !/running instances deregister/.test(s);

describe('console confirmations, in a real terminal', () => {
  it('a destructive line asks every time: recalled with ↑, found with Ctrl-R, pasted alone or in a script', async () => {
    for (const ip of ['10.0.1.14:8080', '10.0.1.15:8080']) expect(opsdeck(ctx.box.env, ['instances', 'register', 'orders', ip]).code).toBe(0);
    const historyFile = oldHistory('local', ['services list', 'instances deregister orders 10.0.1.14:8080 --yes']);
    startConsoleIn(ctx.term, ctx.box.env);
    await ctx.term.waitFor(/local›/);

    // ↑ recalls the line without --yes; Enter asks, and n leaves the instance registered.
    ctx.term.keys('Up');
    const recalled = await ctx.term.waitFor(/local› instances deregister orders 10\.0\.1\.14:8080/);
    expect(recalled).not.toMatch(/--yes/);
    ctx.term.keys('Enter');
    const asked = await ctx.term.waitFor((s) => dialogOpen(s) && /Confirm\? \[y\/N\]/.test(s));
    expect(asked).toMatch(/profile local\)\?/);
    ctx.term.type('n');
    await ctx.term.waitFor(settled);
    expect(instances()).toContain('10.0.1.14:8080');

    // Ctrl-R finds it and Enter runs it: it asks again.
    ctx.term.keys('C-r');
    await ctx.term.waitFor(/\(reverse-i-search\)'/);
    ctx.term.type('dereg');
    await ctx.term.waitFor(/\(reverse-i-search\)'dereg'.*instances deregister orders 10\.0\.1\.14:8080/);
    ctx.term.keys('Enter');
    await ctx.term.waitFor(dialogOpen);
    ctx.term.type('n');
    await ctx.term.waitFor(settled);

    // A pasted line that says --yes still asks.
    ctx.term.paste('instances deregister orders 10.0.1.14:8080 --yes');
    await ctx.term.waitFor(/local› instances deregister orders 10\.0\.1\.14:8080 --yes/);
    ctx.term.keys('Enter');
    await ctx.term.waitFor(dialogOpen);
    ctx.term.type('n');
    await ctx.term.waitFor(settled);
    expect(instances()).toEqual(expect.arrayContaining(['10.0.1.14:8080', '10.0.1.15:8080']));

    // A pasted script asks for each destructive line; y goes ahead.
    ctx.term.paste('services list\ninstances deregister orders 10.0.1.14:8080 --yes\n');
    await ctx.term.waitFor(dialogOpen);
    ctx.term.type('y');
    await ctx.term.waitFor(settled);
    await ctx.term.waitFor(() => !instances().includes('10.0.1.14:8080'));
    expect(instances()).toEqual(['10.0.1.15:8080']);

    ctx.term.keys('C-d');
    await ctx.term.waitFor(/EXITED:0/);
    const saved = readFileSync(historyFile, 'utf8');
    expect(saved).not.toMatch(/--yes/);
    expect(saved.split('\n')).toContain('instances deregister orders 10.0.1.14:8080');
  }, 120_000);

  it('on a production profile a recalled or pasted line asks for the profile name to be typed', async () => {
    const dir = join(ctx.box.env.XDG_CONFIG_HOME!, 'opsdeck');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.yaml'), 'profiles:\n  prod:\n    production: true\n    registry: {type: embedded}\n');
    const prod = ['--profile', 'prod'];
    for (const ip of ['10.0.1.14:8080', '10.0.1.15:8080']) expect(opsdeck(ctx.box.env, [...prod, 'instances', 'register', 'orders', ip]).code).toBe(0);
    oldHistory('prod', ['instances deregister orders 10.0.1.14:8080 --yes']);
    startConsoleIn(ctx.term, ctx.box.env, '--profile prod');
    await ctx.term.waitFor(/prod›/);

    // ↑ Enter: the typed-name dialog; a wrong name cancels.
    ctx.term.keys('Up');
    await ctx.term.waitFor(/prod› instances deregister orders 10\.0\.1\.14:8080/);
    ctx.term.keys('Enter');
    await ctx.term.waitFor((s) => dialogOpen(s) && /Type prod to confirm/.test(s));
    ctx.term.type('pro');
    ctx.term.keys('Enter');
    await ctx.term.waitFor(settled);
    expect(instances(prod)).toContain('10.0.1.14:8080');

    // A pasted script on production: the same typed-name dialog; Esc cancels and the script stops.
    ctx.term.paste('instances deregister orders 10.0.1.14:8080 --yes\nservices list\n');
    await ctx.term.waitFor((s) => dialogOpen(s) && /Type prod to confirm/.test(s));
    ctx.term.keys('Escape');
    await ctx.term.waitFor(settled);
    expect(instances(prod)).toContain('10.0.1.14:8080');

    // Ctrl-R, Enter, and the right name: deregistered.
    ctx.term.keys('C-r');
    ctx.term.type('dereg');
    await ctx.term.waitFor(/\(reverse-i-search\)'dereg'.*instances deregister/);
    ctx.term.keys('Enter');
    await ctx.term.waitFor((s) => dialogOpen(s) && /Type prod to confirm/.test(s));
    ctx.term.type('prod');
    ctx.term.keys('Enter');
    await ctx.term.waitFor(settled);
    await ctx.term.waitFor(() => !instances(prod).includes('10.0.1.14:8080'));

    ctx.term.keys('C-d');
    await ctx.term.waitFor(/EXITED:0/);
  }, 120_000);

  it('a pasted script is checked whole before its first line runs, as a script file is', async () => {
    startConsoleIn(ctx.term, ctx.box.env);
    await ctx.term.waitFor(/local›/);
    // The second line has a typo: nothing runs, so the first line's config is never published.
    ctx.term.paste('config set pasted.txt --value one --type text\nconfig sett pasted.txt --value two\n');
    await ctx.term.waitFor(/<paste>:2: .*sett/);
    expect(opsdeck(ctx.box.env, ['config', 'get', 'pasted.txt']).code).toBe(1);
    ctx.term.keys('C-d');
    await ctx.term.waitFor(/EXITED:0/);
  }, 120_000);
});
