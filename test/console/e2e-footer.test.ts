import { describe, expect, it } from 'vitest';
import { opsdeck, writeProfileFile } from '../helpers/cli.js';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/** Per test: each step waits on the screen with a generous bound, so a test may take long on a loaded machine. */
const E2E_TIMEOUT = 300_000;

const ctx = useConsoleSandbox(120, 32);

/** The footer: the last non-empty line of the screen. */
const footer = (s: string) => s.trimEnd().split('\n').at(-1)!;

describe('footer messages in a real terminal', () => {
  it('the typed-name question shows its own footer; "cancelled" clears on the next key; "cancelling…" clears when the command ends', async () => {
    const { box, term } = ctx;
    expect(opsdeck(box.env, ['demo']).code).toBe(0);
    // The same embedded data, now as a production profile: its questions want the name typed.
    writeProfileFile(box.env, 'profiles:\n  local:\n    production: true\n    registry: {type: embedded}\n    config: {type: embedded}\n    locks: [{type: embedded}]\n');
    startConsoleIn(term, box.env);
    await term.waitFor(/local›/);
    await term.waitFor(/gateway/);

    term.keys('Escape');
    await term.waitFor(/\(pane focus\)/);
    term.keys('Enter');
    await term.waitFor(/gateway \(namespace public/);
    term.type('d');
    const asked = await term.waitFor(/Type local to confirm/);
    expect(footer(asked)).toBe('type local then Enter to confirm · Esc cancels');
    term.keys('Escape');
    await term.waitFor((s) => footer(s) === 'cancelled; nothing was changed');
    term.type('j');
    await term.waitFor((s) => /^1-6\/Tab panes/.test(footer(s)));

    // A watch runs until Ctrl-C; the footer says it is cancelling, then returns to the keys.
    term.keys('Escape');
    term.keys('Escape');
    await term.waitFor(/Tab complete/);
    term.type('config watch orders.yaml');
    term.keys('Enter');
    await term.waitFor(/^running config watch orders\.yaml/m);
    term.keys('C-c');
    const ended = await term.waitFor((s) => finished('config watch orders.yaml')(s) && /Tab complete/.test(footer(s)));
    expect(ended).not.toMatch(/cancelling…/);
    expect(ended).toMatch(/› config watch orders\.yaml\s+\[exit 130\]/);
  }, E2E_TIMEOUT);
});
