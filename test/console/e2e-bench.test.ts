import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { finished, startConsoleIn, useConsoleSandbox } from '../helpers/console-term.js';
import { eventually } from '../helpers/eventually.js';
import { startHttpTarget, type HttpTarget } from '../helpers/http-targets.js';

/**
 * `bench` typed at the console prompt in a real terminal: the live view opens with the req/s and
 * p50/p99 charts filling from the run's progress, q stops the load and the partial summary is in
 * the output area; a run that ends on its own leaves its charts until Esc.
 */
const E2E_TIMEOUT = 300_000;
const ctx = useConsoleSandbox(120, 40);
let target: HttpTarget;

beforeAll(async () => {
  target = await startHttpTarget(2);
});
afterAll(async () => {
  await target?.stop();
});

/** Starts the console and runs `line` at its prompt. */
async function typeInConsole(line: string): Promise<string> {
  const { box, term } = ctx;
  startConsoleIn(term, box.env);
  await term.waitFor(/local›/);
  term.type(line);
  term.keys('Enter');
  return line;
}

describe('the bench live view in a real terminal', () => {
  it('opens on a running bench, charts it, and q stops the load leaving the partial summary in the output', async () => {
    const { term } = ctx;
    const line = await typeInConsole(`bench ${target.url} -d 120s -c 2 -t 1`);
    // The view: its title, the status line, both charts' legends, and its keys in the footer.
    const live = await term.waitFor((s) => /load running  ·/.test(s) && /req\/s/.test(s) && /● p50 /.test(s) && /● p99 /.test(s));
    expect(live).toMatch(new RegExp(`bench\\s+bench ${target.url.replace(/[/.]/g, '\\$&')}`));
    expect(live).toMatch(/q\/Esc stop and close/);
    // A few reports in, the request count has moved on.
    const count = (s: string) => Number(/·\s+(\d+) requests/.exec(s)?.[1] ?? 0);
    const first = count(live);
    await term.waitFor((s) => count(s) > first);
    const servedBefore = target.served();
    term.type('q');
    const summary = await term.waitFor((s) => finished(line)(s) && /Latency distribution/.test(s) && /Requests\/sec/.test(s));
    expect(summary).toMatch(/interrupted after \d+\.\d+s: what was measured until then/);
    expect(summary).not.toMatch(/load running  ·/);
    // The load has stopped: its connections are closed and the server is sent no more requests.
    // Requests sent before the stop are still answered after it (the target answers after a
    // delay), so the count is taken once the server has let go of everything the run had sent.
    const idle = await eventually(async () => ({ connections: target.connections(), unanswered: target.received() - target.served() }), (v) => v.connections === 0 && v.unanswered === 0);
    expect(idle).toEqual({ connections: 0, unanswered: 0 });
    const settled = target.received();
    await new Promise((r) => setTimeout(r, 1500));
    expect(target.received()).toBe(settled);
    expect(target.connections()).toBe(0);
    expect(target.served()).toBeGreaterThanOrEqual(servedBefore);
  }, E2E_TIMEOUT);

  it('a run that ends on its own keeps its charts, marked finished, until Esc; the summary is in the output', async () => {
    const { term } = ctx;
    const line = await typeInConsole(`bench ${target.url} -d 3s -c 2 -t 1`);
    await term.waitFor(/load running  ·/);
    const done = await term.waitFor(/load finished  ·/);
    expect(done).toMatch(/● p99  cur \S+s/);
    // The finished line gives the whole run, as the summary does (reports miss the last part second).
    const shown = /load finished {2}· {2}(\d+\.\d)s {2}· {2}(\d+) requests/.exec(done);
    expect(shown).not.toBeNull();
    term.keys('Escape');
    const summary = await term.waitFor((s) => finished(line)(s) && /Latency distribution/.test(s));
    expect(summary).not.toMatch(/interrupted after/);
    expect(summary).toMatch(/Status: +200 \d+/);
    expect(summary).toMatch(new RegExp(`\\b${shown![2]} requests in ${shown![1]}\\d?s`));
  }, E2E_TIMEOUT);

  it('one-shot on a terminal: a progress line on stderr, redrawn each second, erased before the summary', async () => {
    const { box, term } = ctx;
    term.start(`${process.execPath} ${BIN} bench ${target.url} -d 4s -c 2 -t 1; echo "EXITED:$?"; sleep 60`, { ...box.env, TERM: 'xterm-256color' });
    const progress = await term.waitFor(/^bench \d+\.\ds\/4s · \d+ requests · \d+ req\/s · p50 \S+ · p99 \S+/m);
    expect(progress).not.toMatch(/Requests\/sec/);
    const end = await term.waitFor(/EXITED:0/);
    expect(end).toMatch(/Requests\/sec/);
    expect(end).not.toMatch(/^bench \d+\.\ds\/4s/m);
  }, E2E_TIMEOUT);
});
