import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/** Per test: each step waits on the screen with a generous bound, so a test may take long on a loaded machine. */
const E2E_TIMEOUT = 300_000;

const ctx = useConsoleSandbox(120, 50);
const LINE = 'cache simulate --zipf 1.0 --keys 2000 --requests 40000 --policies lru,belady';

describe('cache simulate in a real terminal', () => {
  it('draws the hit ratio chart, the table and the recommendation in the console output area', async () => {
    const { box, term } = ctx;
    startConsoleIn(term, box.env);
    await term.waitFor(/local›/);
    term.type(LINE);
    term.keys('Enter');
    const screen = await term.waitFor((s) => finished(LINE)(s) && /smallest size for a 90\.00% hit ratio/.test(s), 120_000);
    expect(screen).toMatch(/Zipf s=1, seed 1: 40,000 requests over 2,000 distinct keys/);
    expect(screen).toMatch(/%┤/);
    expect(screen).toMatch(/● LRU/);
    expect(screen).toMatch(/● Bélády \(optimal\)/);
    expect(screen).toMatch(/SIZE\s+OF KEYS\s+LRU\s+BÉLÁDY/);
    // The x axis labels the sizes tried (20 … 400 entries).
    expect(screen).toMatch(/\s20\s.*\s400\s*$/m);
  }, E2E_TIMEOUT);

  it('draws the chart in one-shot on a terminal', async () => {
    const { box, term } = ctx;
    const vars = { ...box.env, TERM: 'xterm-256color', NO_COLOR: '1', CI: undefined };
    term.start(`env -u CI ${process.execPath} ${BIN} ${LINE}; echo "EXITED:$?"; sleep 60`, vars);
    const screen = await term.waitFor(/EXITED:\d+/, 120_000);
    expect(screen).toMatch(/EXITED:0/);
    expect(screen).toMatch(/%┤/);
    expect(screen).toMatch(/● LRU/);
    expect(screen).toMatch(/smallest size for a 90\.00% hit ratio: LRU/);
    // A terminal gets the chart, not JSON.
    expect(screen).not.toMatch(/"points"/);
  }, E2E_TIMEOUT);
});
