import { describe, expect, it } from 'vitest';
import { opsdeck } from '../helpers/cli.js';
import { startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';

/** Per test: each step waits on the screen with a generous bound, so a test may take long on a loaded machine. */
const E2E_TIMEOUT = 300_000;

const ctx = useConsoleSandbox(120, 32);

/** The services pane's rows as shown: whether selected, namespace/service, and the instance count. */
function serviceRows(screen: string): Array<{ selected: boolean; service: string; instances: number }> {
  return screen
    .split('\n')
    .map((l) => /^([▶ ]).(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+\d+\/\d+/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ selected: m[1] === '▶', service: `${m[2]}/${m[4]}`, instances: Number(m[5]) }));
}

describe('sorting a pane in a real terminal', () => {
  it('s walks the columns to INSTANCES, S reverses, the header marks it and the selection stays on its row', async () => {
    const { box, term } = ctx;
    expect(opsdeck(box.env, ['demo']).code).toBe(0);
    startConsoleIn(term, box.env);
    await term.waitFor(/local›/);
    await term.waitFor(/notifications/);
    term.keys('Escape');
    const loaded = await term.waitFor(/\(pane focus\)/);
    const header = loaded.split('\n').find((l) => /\bINSTANCES\b/.test(l))!;
    const columns = header.trim().split(/\s{2,}/);
    const at = columns.indexOf('INSTANCES');
    expect(at).toBeGreaterThan(0);

    // The cursor on the last row: sorting must keep it on that service.
    term.type('G');
    const last = serviceRows(await term.waitFor((s) => serviceRows(s).at(-1)?.selected === true)).at(-1)!.service;

    for (const column of columns.slice(0, at + 1)) {
      term.type('s');
      await term.waitFor(new RegExp(`${column}▲`));
    }
    const up = serviceRows(await term.waitFor(/INSTANCES▲/));
    expect(up.length).toBeGreaterThan(3);
    expect(up.map((r) => r.instances)).toEqual([...up.map((r) => r.instances)].sort((a, b) => a - b));
    expect(up.find((r) => r.selected)?.service).toBe(last);

    term.type('S');
    const down = serviceRows(await term.waitFor(/INSTANCES▼/));
    expect(down.map((r) => r.instances)).toEqual([...up.map((r) => r.instances)].sort((a, b) => b - a));
    expect(down[0]!.instances).toBeGreaterThan(down.at(-1)!.instances);
    expect(down.find((r) => r.selected)?.service).toBe(last);

    // Past the last column: the order loaded again, no mark.
    for (let i = at + 1; i < columns.length; i++) {
      term.type('s');
      await term.waitFor(new RegExp(`${columns[i]}▼`));
    }
    term.type('s');
    const off = await term.waitFor(/rows in the order loaded/);
    expect(off).not.toMatch(/[▲▼]/);
  }, E2E_TIMEOUT);
});
