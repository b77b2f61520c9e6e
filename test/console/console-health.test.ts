import { describe, expect, it } from 'vitest';
import { subsystemHealth } from '../../src/core/health.js';
import { Controller } from '../../src/frontends/tui/controller.js';
import type { KeyEvent } from '../../src/frontends/tui/keys.js';
import { errorRows } from '../../src/frontends/tui/scoped-rows.js';
import { initialState, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { stubDeps } from '../helpers/controller-stub.js';

const lock: PaneRow = { key: 'embedded/a', cells: ['embedded', 'a', 'me', '1', '10s', '0'], tone: 'plain', data: null };

function healthConsole(loadView: ConstructorParameters<typeof Controller>[0]['loadView']) {
  const store = new Store(
    initialState(120, 40, { name: 'dev', production: false, readOnly: false }, [], false, [
      { subsystem: 'registry', backend: 'embedded' },
      { subsystem: 'locks', backend: 'embedded' },
      { subsystem: 'locks', backend: 'redis' },
    ]),
  );
  const c = new Controller(stubDeps(store, { loadView }));
  const pane = async (n: string) => {
    c.handle({ kind: 'key', name: 'escape', ctrl: false, meta: false, shift: false } as KeyEvent);
    c.handle({ kind: 'char', text: n });
    await c.refreshPane();
  };
  return { store, c, pane };
}

describe('the panes report to the health model', () => {
  it("the locks pane's red row for Redis makes locks down in the model, the embedded backend stays ok", async () => {
    const t = healthConsole(async (view) => (view.pane === 'locks' ? [lock, ...errorRows([{ backend: 'redis', error: 'connect ECONNREFUSED 127.0.0.1:6390' }], ['BACKEND', 'LOCK', 'HOLDER'])] : []));
    await t.pane('3');
    const h = t.store.get().health;
    expect(subsystemHealth(h, 'locks')).toEqual({ state: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6390', backend: 'redis' });
    expect(h.backends.find((b) => b.subsystem === 'locks' && b.backend === 'embedded')?.state).toBe('ok');
  });

  it('opening the tx pane on a profile without a tx backend leaves tx off, not down', async () => {
    const t = healthConsole(async (view) => {
      if (view.pane === 'tx') throw new Error('profile dev has no tx backend');
      return [];
    });
    await t.pane('5');
    expect(subsystemHealth(t.store.get().health, 'tx').state).toBe('off');
    expect(t.store.get().health.backends.every((b) => b.state !== 'down')).toBe(true);
  });

  it('reportHealth takes what status found', async () => {
    const t = healthConsole(async () => []);
    t.c.reportHealth([{ subsystem: 'registry', backend: 'embedded', state: 'ok', message: null }]);
    expect(subsystemHealth(t.store.get().health, 'registry').state).toBe('ok');
  });
});
