import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/frontends/tui/components/App.js';
import { initialState, type ConsoleState, type PaneRow } from '../../src/frontends/tui/state.js';
import { Store } from '../../src/frontends/tui/store.js';
import { lineOf } from '../../src/shell/line-editor.js';

function storeWith(update: (s: ConsoleState) => ConsoleState, rows = 24): Store<ConsoleState> {
  const store = new Store(initialState(100, rows, { name: 'local', production: false, readOnly: false }, [], false));
  store.set(update);
  return store;
}

const row = (i: number): PaneRow => ({ key: `svc-${i}`, cells: ['public', 'DEFAULT_GROUP', `svc-${i}`, '2', '2/2'], tone: 'ok', data: null });

describe('console components (ink-testing-library)', () => {
  it('shows the status bar, tabs, the pane rows, the prompt with its hint, and the key footer', () => {
    const store = storeWith((s) => ({
      ...s,
      line: lineOf('services sh'),
      completion: { result: { from: 9, to: 11, items: [{ value: 'show', description: 'Show a service', kind: 'command' }], hint: 'ow' }, selected: 0, open: false },
      views: { ...s.views, services: [{ ...s.views.services[0]!, rows: [row(1), row(2)], loading: false, fetchedAt: Date.now() }] },
      health: { backends: [{ subsystem: 'registry', backend: 'embedded', state: 'ok', message: null }] },
    }));
    const { lastFrame, unmount } = render(<App store={store} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/opsdeck.*local.*services ✓/);
    expect(frame).toMatch(/1 services\s+2 config\s+3 locks\s+4 metrics/);
    expect(frame).toMatch(/▶ public\s+DEFAULT_GROUP\s+svc-1/);
    expect(frame).toContain('svc-2');
    expect(frame).toMatch(/local› services show$/m);
    expect(frame).toContain('Tab complete');
    unmount();
  });

  it('never draws more lines than the terminal has, however many rows the pane holds', () => {
    const many = Array.from({ length: 5000 }, (_, i) => row(i));
    const store = storeWith((s) => ({ ...s, views: { ...s.views, services: [{ ...s.views.services[0]!, rows: many, loading: false, selected: 4000 }] }, focus: 'pane' }), 20);
    const { lastFrame, unmount } = render(<App store={store} />);
    const lines = lastFrame()!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(19);
    expect(lastFrame()).toMatch(/▶ public\s+DEFAULT_GROUP\s+svc-4000/);
    expect(lastFrame()).toContain('4001/5000');
    unmount();
  });

  it("draws a pane in its view definition's alignment, and leaves its spare columns out only when the rows do not fit", () => {
    const lock = (name: string): PaneRow => ({ key: name, cells: ['embedded', name, 'embedded', 'settlement-worker-2@10.0.7.22', '7', '1', '53s'], tone: 'plain', data: null });
    const withLocks = (cols: number) =>
      storeWith((s) => ({
        ...s,
        cols,
        pane: 'locks',
        views: { ...s.views, locks: [{ ...s.views.locks[0]!, columns: ['BACKEND', 'LOCK', 'KIND', 'HOLDER', 'TOKEN', 'HOLDS', 'HELD FOR'], align: ['left', 'left', 'left', 'left', 'right', 'right', 'right'], spare: [false, false, true, false, false, true, true], rows: [lock('billing/nightly-settlement')], loading: false, fetchedAt: Date.now() }] },
      }));
    const wide = render(<App store={withLocks(120)} />);
    // Everything fits: every column, TOKEN right-aligned under its header.
    expect(wide.lastFrame()).toMatch(/LOCK\s+KIND\s+HOLDER\s+TOKEN\s+HOLDS\s+HELD FOR/);
    expect(wide.lastFrame()).toMatch(/10\.0\.7\.22\s{6}7\s{6}1\s{7}53s/);
    wide.unmount();
    const narrow = render(<App store={withLocks(80)} />);
    // Too narrow: the spare columns go first, so the lock and its holder are shown whole.
    expect(narrow.lastFrame()).toMatch(/BACKEND\s+LOCK\s+HOLDER\s+TOKEN\n/);
    expect(narrow.lastFrame()).toMatch(/billing\/nightly-settlement\s+settlement-worker-2@10\.0\.7\.22\s+7\n/);
    narrow.unmount();
  });

  it('shows a failed refresh with the error while keeping the last good rows', () => {
    const store = storeWith((s) => ({ ...s, views: { ...s.views, services: [{ ...s.views.services[0]!, rows: [row(7)], loading: false, fetchedAt: Date.now() - 5000, error: 'the data dir stayed busy for 1500 ms' }] } }));
    const { lastFrame, unmount } = render(<App store={store} />);
    expect(lastFrame()).toMatch(/data [45](\.\d)?s ago.*✗ the data dir stayed busy/);
    expect(lastFrame()).toContain('svc-7');
    unmount();
  });

  it("shows a backend's warning about its state above the rows, and ⚠ for its pane in the status bar", () => {
    const warning = 'eureka: self-preservation is most likely on: about 0 lease renewals a minute against a threshold of 3';
    const store = storeWith((s) => ({
      ...s,
      views: { ...s.views, services: [{ ...s.views.services[0]!, rows: [row(3)], loading: false, fetchedAt: Date.now(), warnings: [warning] }] },
      health: { backends: [{ subsystem: 'registry', backend: 'eureka', state: 'warning', message: warning }] },
    }));
    const { lastFrame, unmount } = render(<App store={store} />);
    const frame = lastFrame()!;
    expect(frame).toMatch(/services ⚠/);
    expect(frame).toContain('⚠ eureka: self-preservation is most likely on');
    expect(frame).toContain('svc-3');
    unmount();
  });

  it('renders the completion menu with descriptions and the selected item', () => {
    const items = ['list', 'show'].map((v) => ({ value: v, description: `${v} services`, kind: 'command' as const }));
    const store = storeWith((s) => ({ ...s, line: lineOf('services '), completion: { result: { from: 9, to: 9, items, hint: '' }, selected: 1, open: true } }));
    const { lastFrame, unmount } = render(<App store={store} />);
    expect(lastFrame()).toMatch(/list\s+list services/);
    expect(lastFrame()).toMatch(/show\s+show services/);
    unmount();
  });

  it('a production profile shows its name flagged, and a type-to-confirm dialog asks for it', () => {
    const store = new Store(initialState(100, 24, { name: 'prod-eu', production: true, readOnly: true }, [], false));
    store.set((s) => ({ ...s, dialog: { message: 'Drain 10.0.0.1:80 of orders?', typeToConfirm: 'prod-eu', input: 'prod', resolve: () => undefined } }));
    const { lastFrame, unmount } = render(<App store={store} />);
    expect(lastFrame()).toContain('prod-eu (production)');
    expect(lastFrame()).toContain('[READ-ONLY]');
    expect(lastFrame()).toMatch(/Type prod-eu to confirm/);
    expect(lastFrame()).toContain('Drain 10.0.0.1:80 of orders?');
    unmount();
  });
});

describe('status bar badges', () => {
  it('shows ● REC while --record is on, and a data dir that is not the default with what chose it', () => {
    const store = storeWith((s) => ({ ...s, cols: 160, recording: '/tmp/s.ops', dataDir: { dir: '/srv/opsdeck', from: 'OPSDECK_DATA_DIR' } }), 24);
    const { lastFrame, unmount } = render(<App store={store} />);
    const top = lastFrame()!.split('\n')[0]!;
    expect(top).toMatch(/● REC/);
    expect(top).toMatch(/data \/srv\/opsdeck \(OPSDECK_DATA_DIR\)/);
    unmount();
    const plain = render(<App store={storeWith((s) => s, 24)} />);
    expect(plain.lastFrame()!.split('\n')[0]).not.toMatch(/REC|data \//);
    plain.unmount();
  });
});

describe('edit review diff', () => {
  it('colours added lines green, removed red and hunks cyan; the file headers and context stay plain', async () => {
    const { diffColor } = await import('../../src/frontends/tui/components/PaneArea.js');
    expect(diffColor('+  pool: 55')).toBe('green');
    expect(diffColor('-  pool: 40')).toBe('red');
    expect(diffColor('@@ -1,3 +1,3 @@')).toBe('cyan');
    expect(diffColor('   port: 8080')).toBeUndefined();
    expect(diffColor('--- a/orders.yaml')).toBeUndefined();
    expect(diffColor('+++ b/orders.yaml')).toBeUndefined();
  });
});

describe('status bar health', () => {
  it('draws each subsystem from the health model: a down one ✗, not configured –, and the tabs agree', () => {
    const store = new Store(
      initialState(120, 24, { name: 'dev', production: false, readOnly: false }, [], false, [
        { subsystem: 'registry', backend: 'embedded' },
        { subsystem: 'locks', backend: 'redis' },
        { subsystem: 'metrics', backend: 'prometheus' },
      ]),
    );
    store.set((s) => ({
      ...s,
      health: {
        backends: [
          { subsystem: 'registry', backend: 'embedded', state: 'ok', message: null },
          { subsystem: 'locks', backend: 'redis', state: 'down', message: 'ECONNREFUSED' },
          { subsystem: 'metrics', backend: 'prometheus', state: 'down', message: 'ECONNREFUSED' },
        ],
      },
    }));
    const { lastFrame, unmount } = render(<App store={store} />);
    expect(lastFrame()).toMatch(/services ✓ {2}config – {2}locks ✗ {2}metrics ✗ {2}tx – {2}│/);
    unmount();
  });
});
