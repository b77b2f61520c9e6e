import { describe, expect, it } from 'vitest';
import { opsdeck } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/**
 * A shell that exports DEV=true (a common name in on-call environments) made Ink try to connect
 * React DevTools, which opsdeck does not ship, and print a warning over the console. The bundle
 * drops that hook (scripts/ink-devtools-plugin.mjs); the console must start and draw as usual.
 */
const ctx = useConsoleSandbox(120, 32);

describe('the console with DEV=true in the environment', () => {
  it('draws its panes and prompt with no DevTools warning', async () => {
    const { box, term } = ctx;
    expect(opsdeck(box.env, ['demo']).code).toBe(0);
    startConsoleIn(term, { ...box.env, DEV: 'true' });
    await term.waitFor(/local›/);
    const screen = await term.waitFor(/orders/);
    expect(screen).not.toMatch(/devtools|DEV is set|react-devtools-core/i);
    term.keys('C-d');
    const after = await term.waitFor(/EXITED:\d+/);
    expect(after).toMatch(/EXITED:0/);
    expect(after).not.toMatch(/devtools/i);
  }, 120_000);
});
