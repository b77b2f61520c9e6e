import { describe, expect, it } from 'vitest';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/**
 * `opsdeck --demo` shows live charts with no Prometheus: the demo instances serve metrics pages,
 * the console's embedded collector scrapes them (found through the registry's metadata), and the
 * metrics pane draws them from the embedded store through the PromQL evaluator.
 */
const ctx = useConsoleSandbox(130, 48);

describe('console --demo metrics', () => {
  it('draws the demo fleet\'s request rates in the metrics pane, and the services → metrics cross-view works', async () => {
    const { box, term } = ctx;
    startConsoleIn(term, { ...box.env, OPSDECK_DATA_DIR: '' }, '--demo');
    await term.waitFor(/try "services show gateway"/);
    // Alt-4 from the prompt (Escape then 4 sent at once would read as Alt-4 anyway).
    term.keys('M-4');
    // A chart: a series of the scraped fleet in the legend, with a value, and braille dots drawn.
    const screen = await term.waitFor((s) => /[1-9]\d* series/.test(s) && /● \{service="gateway"\}\s+cur [\d.]+/.test(s) && /[\u2801-\u28ff]/.test(s), 90_000);
    expect(screen).toContain('sum by (service) (rate(http_requests_total[1m]))');
    expect(screen).not.toMatch(/no data/);
    // Services pane, gateway (the first row), m: the service's standard queries over the same store.
    term.keys('Escape');
    await new Promise((r) => setTimeout(r, 500));
    term.keys('1');
    await term.waitFor(/services in every namespace[\s\S]*▶ .*gateway/);
    term.keys('m');
    const cross = await term.waitFor((s) => /up\{service="gateway"\}\s+[1-9]\d* series/.test(s) && /sum\(rate\(http_requests_total\{service="gateway"\}\[5m\]\)\)\s+1 series/.test(s), 60_000);
    expect(cross).toMatch(/service gateway/);
    // Esc leaves the cross-view, then the pane: back at the prompt, Ctrl-D exits.
    term.keys('Escape');
    await term.waitFor(/saved queries/);
    term.keys('Escape');
    await term.waitFor(/\(Esc: pane focus\)/);
    term.keys('C-d');
    await term.waitFor(/EXITED:0/);
  }, 180_000);
});
