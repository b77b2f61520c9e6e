import type { ControllerDeps } from '../../src/frontends/tui/controller.js';
import type { ConsoleState } from '../../src/frontends/tui/state.js';
import type { Store } from '../../src/frontends/tui/store.js';

/** Controller dependencies that do nothing (no commands, no rows, no completion data); a test overrides what it exercises. */
export function stubDeps(store: Store<ConsoleState>, over: Partial<ControllerDeps> = {}): ControllerDeps {
  return {
    store,
    completion: { services: () => [], instances: () => [], configIds: () => [], locks: () => [], profiles: () => [], namespaces: () => [], groups: () => [] },
    runLine: async () => 0,
    runScript: async () => 0,
    loadView: async () => [],
    loadDetail: async () => [],
    editConfig: async () => undefined,
    saveHistory: () => undefined,
    redraw: () => undefined,
    exit: () => undefined,
    owner: 'me',
    now: Date.now,
    ...over,
  };
}
