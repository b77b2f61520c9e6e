import { describe, expect, it } from 'vitest';
import { opsdeck } from '../helpers/cli.js';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/** Per test: each step waits on the screen with a generous bound, so a test may take long on a loaded machine. */
const E2E_TIMEOUT = 300_000;

const ctx = useConsoleSandbox(120, 40);

describe('help in a real terminal', () => {
  it('? lists the keys at the prompt and in a pane (searchable), footers name pane 6, help COMMAND shows flags and examples', async () => {
    const { box, term } = ctx;
    expect(opsdeck(box.env, ['demo']).code).toBe(0);
    startConsoleIn(term, box.env);
    await term.waitFor(/local›/);
    await term.waitFor(/orders/);
    expect(await term.waitFor(/Alt-1\.\.6 pane/)).toMatch(/\? keys/);

    // ? at the prompt: the prompt's keys, searchable.
    term.type('?');
    await term.waitFor(/keys: prompt {2}· {2}search: /);
    await term.waitFor(/Tab\s+complete: commands, flags/);
    term.type('pager');
    const found = await term.waitFor(/search: pager/);
    expect(found).toMatch(/Ctrl-O\s+read the output shown in the pager/);
    expect(found).not.toMatch(/Tab\s+complete: commands/);
    term.keys('Escape');
    await term.waitFor(/search: ▏/);
    term.keys('Escape');
    await term.waitFor((s) => !/keys: prompt/.test(s) && /Tab complete/.test(s));

    // ? in the locks pane: its own keys with the pane's.
    term.keys('Escape');
    await term.waitFor(/\(pane focus\)/);
    term.type('3');
    await term.waitFor(/billing\/nightly-settle/);
    expect(await term.waitFor(/^1-6\/Tab panes/m)).toMatch(/r release \(mine\) · f force release/);
    term.type('?');
    const pane = await term.waitFor(/keys: locks pane/);
    expect(pane).toMatch(/f\s+force release \(this view\)/);
    expect(pane).toMatch(/1 2 3 4 5 6\s+services, config, locks, metrics, transactions, caches/);
    term.keys('Escape');
    await term.waitFor((s) => !/keys: locks pane/.test(s) && /billing\/nightly-settle/.test(s));

    // help COMMAND at the prompt: the command's flags and examples, from its spec.
    term.type(':');
    await term.waitFor(/Tab complete/);
    term.type('help locks acquire');
    term.keys('Enter');
    const help = await term.waitFor((s) => finished('help locks acquire')(s) && /^examples/m.test(s));
    expect(help).toMatch(/^ {2}--ttl <duration>/m);
    expect(help).toMatch(/opsdeck locks acquire/);
  }, E2E_TIMEOUT);
});
