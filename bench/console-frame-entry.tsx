// Bundled by bench/console.mjs: renders the real console App into a fake 120×40 terminal and
// measures the time from a keystroke to the frame that shows it.
import { Writable } from 'node:stream';
import { mountInk } from '../src/frontends/tui/mount-ink.js';
import { Controller } from '../src/frontends/tui/controller.js';
import { initialState, type ConsoleState, type PaneRow } from '../src/frontends/tui/state.js';
import { Store } from '../src/frontends/tui/store.js';
import { levelId } from '../src/frontends/tui/level-id.js';

export async function measureScroll(count: number): Promise<{ latencies: number[]; tallest: number; rows: number }> {
  const cols = 120;
  const rows = 40;
  let pendingSince: number | null = null;
  const latencies: number[] = [];
  let tallest = 0;
  const stdout = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        const text = String(chunk);
        // Count the lines Ink draws in this frame (it erases the old frame first).
        const body = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
        tallest = Math.max(tallest, body.split('\n').length - 1);
        if (pendingSince !== null) {
          latencies.push(performance.now() - pendingSince);
          pendingSince = null;
        }
        cb();
      },
    }),
    { columns: cols, rows, isTTY: true },
  );
  const instances: PaneRow[] = Array.from({ length: count }, (_, i) => ({
    key: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:8080`,
    cells: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:8080`, '1', 'passing', i % 17 === 0 ? 'drained' : 'enabled', 'no', `zone=eu-${i % 3}`],
    tone: i % 17 === 0 ? 'dim' : 'ok',
    data: null,
  }));
  const store = new Store<ConsoleState>(initialState(cols, rows, { name: 'bench', production: false, readOnly: false }, [], false));
  store.set((s) => ({
    ...s,
    focus: 'pane',
    views: { ...s.views, services: [{ pane: 'services', level: levelId('instances', { backend: 'embedded', scope: { namespace: 'public', group: 'DEFAULT_GROUP' }, service: 'big', address: [], caps: ['setTraffic', 'deregister'] }), title: 'big (public)', columns: ['INSTANCE', 'WEIGHT', 'HEALTH', 'TRAFFIC', 'EPHEMERAL', 'METADATA'], rows: instances, fetchedAt: Date.now(), error: null, loading: false, selected: 0, filter: '' }] },
  }));
  const controller = new Controller({
    store,
    completion: { services: () => [], instances: () => undefined, configIds: () => [], locks: () => [], profiles: () => [], namespaces: () => [], groups: () => [] },
    runLine: async () => 0,
    runScript: async () => 0,
    loadView: async () => instances,
    loadDetail: async () => [],
    editConfig: async () => undefined,
    saveHistory: () => undefined,
    redraw: () => undefined,
    exit: () => undefined,
    owner: 'bench',
    now: Date.now,
  });
  // Exactly how the console mounts Ink (mount-ink.tsx), on a fake terminal.
  const ink = mountInk(store, stdout as unknown as NodeJS.WriteStream, 3_600_000);
  await new Promise((r) => setTimeout(r, 200));
  // Unmeasured warm-up presses, so JIT compilation does not land in the first scenario's numbers.
  for (let i = 0; i < 60; i++) {
    controller.handle({ kind: 'char', text: i % 2 === 0 ? 'j' : 'k' });
    await new Promise((r) => setTimeout(r, 5));
  }
  latencies.length = 0;
  for (let i = 0; i < 300; i++) {
    pendingSince = performance.now();
    controller.handle({ kind: 'char', text: i % 50 < 40 ? 'j' : 'k' });
    await new Promise((r) => setTimeout(r, 20));
    if (pendingSince !== null) {
      // No frame within the gap: count the whole gap, so a dropped frame shows up as slow.
      latencies.push(performance.now() - pendingSince);
      pendingSince = null;
    }
  }
  ink.unmount();
  return { latencies, tallest, rows };
}
