import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsdeck } from '../helpers/cli.js';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/** Per test: each step waits on the screen with a generous bound, so a test may take long on a loaded machine. */
const E2E_TIMEOUT = 300_000;

const ctx = useConsoleSandbox(100, 45);

/** The longest run of blank lines above the prompt: an empty band the output could have used. */
function emptyBand(screen: string): number {
  const lines = screen.split('\n');
  const prompt = lines.findIndex((l) => /^local›/.test(l));
  let run = 0;
  let worst = 0;
  for (const l of lines.slice(0, prompt)) {
    run = l.trim() === '' ? run + 1 : 0;
    worst = Math.max(worst, run);
  }
  return worst;
}

/** help ran and its end is on screen (its echo has scrolled off the top). */
const helpShown = (s: string) => /scripts: opsdeck replay/.test(s) && /^local›\s*$/m.test(s) && !/^running /m.test(s);

describe('the output area in a real terminal (45 rows)', () => {
  it('wraps a hint, fills the rows the pane leaves, scrolls back to the top of help, and pages with search and $PAGER', async () => {
    const { box, term } = ctx;
    expect(opsdeck(box.env, ['demo']).code).toBe(0);
    const paged = join(box.dir, 'paged.txt');
    startConsoleIn(term, { ...box.env, PAGER: `tee ${paged} >/dev/null` });
    await term.waitFor(/local›/);
    await term.waitFor(/orders/);

    // The refusal's hint is longer than the terminal: it wraps, its last words are on screen.
    term.type('locks release inventory/reindex --owner bob');
    term.keys('Enter');
    const refused = await term.waitFor((s) => finished('locks release inventory/reindex --owner bob')(s) && /if that owner is gone\)/.test(s));
    expect(refused).toMatch(/--owner reindexer-0@10\.0\.3\.11/);

    // help is longer than the screen: the output area takes every row the services pane leaves.
    term.type('help');
    term.keys('Enter');
    const helped = await term.waitFor(helpShown);
    expect(emptyBand(helped)).toBeLessThanOrEqual(1);
    expect(helped).toMatch(/↑ \d+ more lines above/);
    expect(helped).not.toMatch(/^opsdeck commands/m);

    // PgUp reaches its first line; PgDn comes back to the newest. Help grows with the command
    // table, so page until the top shows (each page waits for the scroll it asked for).
    const atTop = (s: string) => /^opsdeck commands/m.test(s) && /↓ \d+ newer/.test(s);
    let pages = 0;
    for (let screen = term.screen(); !atTop(screen); pages++) {
      expect(pages, 'PgUp never reached the top of help').toBeLessThan(8);
      const before = screen;
      term.keys('PageUp');
      screen = await term.waitFor((s) => s !== before);
    }
    for (let i = 0; i < pages; i++) term.keys('PageDown');
    await term.waitFor((s) => /scripts: opsdeck replay/.test(s) && !/↓ \d+ newer/.test(s));

    // Ctrl-O reads help in the pager; / finds a command; o hands the text to $PAGER; q closes.
    term.keys('C-o');
    await term.waitFor(/› help\s+lines 1–\d+ of \d+/);
    term.type('/locks acquire');
    term.keys('Enter');
    await term.waitFor(/match 1 of 2/);
    term.type('o');
    await term.waitFor(() => existsSync(paged) && readFileSync(paged, 'utf8').includes('locks acquire'));
    expect(readFileSync(paged, 'utf8')).toMatch(/^opsdeck commands\n/);
    await term.waitFor(/› help\s+lines/);
    term.type('q');
    await term.waitFor((s) => /Tab complete/.test(s) && !/lines 1–/.test(s));
    // The console never asked for mouse reports: the terminal's selection works as usual.
    expect(term.format('#{mouse_any_flag}#{mouse_sgr_flag}')).toBe('00');
  }, E2E_TIMEOUT);

  it('with OPSDECK_MOUSE=1 the wheel scrolls the output', async () => {
    const { box, term } = ctx;
    startConsoleIn(term, { ...box.env, OPSDECK_MOUSE: '1' });
    await term.waitFor(/local›/);
    expect(term.format('#{mouse_sgr_flag}')).toBe('1');
    term.type('help');
    term.keys('Enter');
    await term.waitFor(helpShown);
    // An SGR wheel-up report, as a terminal sends it for one notch: three lines back.
    term.type('\x1b[<64;10;30M');
    await term.waitFor(/↓ 3 newer/);
    term.type('\x1b[<65;10;30M');
    await term.waitFor((s) => !/↓ \d+ newer/.test(s));
  }, E2E_TIMEOUT);
});
