// Bundled by bench/console.mjs: renders the real console App into a fake 120×40 terminal and
// measures the time from a keystroke to the frame that shows it, and how much of that window
// the garbage collector took.
import { PerformanceObserver } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { mountInk } from '../src/frontends/tui/mount-ink.js';
import { Controller } from '../src/frontends/tui/controller.js';
import { initialState, type ConsoleState, type PaneRow } from '../src/frontends/tui/state.js';
import { Store } from '../src/frontends/tui/store.js';
import { levelId } from '../src/frontends/tui/level-id.js';

export interface ScrollResult {
  latencies: number[];
  /** Presses whose frame never came within the gap (each is counted as the whole gap). */
  dropped: number;
  tallest: number;
  rows: number;
  /** Bytes written to the terminal per frame (mean over the measured presses). */
  bytesPerFrame: number;
  gc: { pauses: number; ms: number; windowMs: number; inLatencyMs: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureScroll(count: number, presses = 300): Promise<ScrollResult> {
  const cols = 120;
  const rows = 40;
  let pendingSince: number | null = null;
  const latencies: number[] = [];
  const windows: Array<[number, number]> = [];
  let bytes = 0;
  let tallest = 0;
  const stdout = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        const text = String(chunk);
        bytes += chunk.length;
        // Count the lines drawn in this write (cursor moves and erases are not lines).
        const body = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
        tallest = Math.max(tallest, body.split('\n').length - 1);
        if (pendingSince !== null) {
          const now = performance.now();
          latencies.push(now - pendingSince);
          windows.push([pendingSince, now]);
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
  await sleep(200);
  // Scrolls down 40 rows and back up 40, so every press moves the cursor (even in a pane of
  // 100 rows) and every press must produce a frame; the window scrolls on most presses.
  const key = (i: number) => (i % 80 < 40 ? 'j' : 'k');
  // Unmeasured warm-up presses, so JIT compilation does not land in the measured window.
  for (let i = 0; i < 400; i++) {
    controller.handle({ kind: 'char', text: key(i) });
    await sleep(i % 4 === 0 ? 12 : 2);
  }
  await sleep(100);
  latencies.length = 0;
  windows.length = 0;
  bytes = 0;
  const gcs: Array<[number, number]> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  let dropped = 0;
  const start = performance.now();
  for (let i = 0; i < presses; i++) {
    pendingSince = performance.now();
    controller.handle({ kind: 'char', text: key(i) });
    await sleep(20);
    if (pendingSince !== null) {
      // No frame within the gap: count the whole gap, so a dropped frame shows up as slow.
      const now = performance.now();
      latencies.push(now - pendingSince);
      windows.push([pendingSince, now]);
      pendingSince = null;
      dropped++;
    }
  }
  const end = performance.now();
  // GC entries are delivered asynchronously; let the last ones arrive.
  await sleep(50);
  observer.disconnect();
  ink.unmount();
  const overlap = (a: [number, number], b: [number, number]) => Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  const inWindow = gcs.filter((g) => g[1] > start && g[0] < end);
  return {
    latencies,
    dropped,
    tallest,
    rows,
    bytesPerFrame: Math.round(bytes / Math.max(1, presses - dropped)),
    gc: {
      pauses: inWindow.length,
      ms: inWindow.reduce((t, g) => t + overlap(g, [start, end]), 0),
      windowMs: end - start,
      inLatencyMs: windows.reduce((t, w) => t + inWindow.reduce((u, g) => u + overlap(g, w), 0), 0),
    },
  };
}
