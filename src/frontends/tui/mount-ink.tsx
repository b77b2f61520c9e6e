import { PassThrough } from 'node:stream';
import { render } from 'ink';
import { App } from './components/App.js';
import type { ConsoleState } from './state.js';
import type { Store } from './store.js';

/** Await before mountInk: the built console loads yoga's WebAssembly after this module. */
export { yogaReady } from './yoga-ready.js';

/** The heavy part of the console (React, Ink, yoga), loaded after the prompt already takes keys. */
export function mountInk(store: Store<ConsoleState>, stdout: NodeJS.WriteStream = process.stdout, tickMs?: number): { clear(): void; unmount(): void } {
  const ink = render(<App store={store} tickMs={tickMs} />, {
    // Ink gets a dummy stdin: opsdeck reads keys itself, so there is one reader and raw mode never drops.
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    stdout,
    exitOnCtrlC: false,
    patchConsole: false,
    // A short throttle window: a keystroke waits for at most ~8 ms of throttling before its frame.
    maxFps: 120,
    // Incremental rendering misplaces lines in a full-height alternate-screen frame in Ink 6.8;
    // full frames are wrapped in synchronized-output codes, which keeps them from flickering.
    incrementalRendering: false,
  });
  return { clear: () => ink.clear(), unmount: () => ink.unmount() };
}
