import { describe, expect, it } from 'vitest';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/**
 * The demo stays whole: five demo minutes (OPSDECK_DEMO_SPEED=10 runs the fleet's clock ten times
 * faster, leases included) after start, every service is still listed and the welcome hint's own
 * command still answers. Before the fix, gateway was gone about a minute in.
 */
const ctx = useConsoleSandbox(120, 40);

describe('console --demo over time', () => {
  it('keeps every service alive after five demo minutes; the welcome hint still works', async () => {
    const { box, term } = ctx;
    startConsoleIn(term, { ...box.env, OPSDECK_DATA_DIR: '', OPSDECK_DEMO_SPEED: '10' }, '--demo --refresh 1s');
    await term.waitFor(/try "services show gateway"/);
    // The point of this test is time passing: 30 s at ten times speed are five demo minutes. The
    // checks below then wait on the screen, with generous bounds.
    await new Promise((r) => setTimeout(r, 30_000));
    term.type('services show gateway');
    term.keys('Enter');
    const shown = await term.waitFor(finished('services show gateway'), 60_000);
    expect(shown).not.toMatch(/not found/);
    expect(shown).toMatch(/10\.0\.4\.11/);
    expect(shown).toMatch(/10\.0\.4\.12/);
    term.type('services list');
    term.keys('Enter');
    const listed = await term.waitFor(finished('services list'), 60_000);
    for (const name of ['gateway', 'inventory', 'notifications', 'orders', 'payments']) expect(listed).toMatch(new RegExp(`\\b${name}\\b`));
    term.keys('C-d');
    await term.waitFor(/EXITED:0/);
  }, 240_000);
});
