import type { ControllerDeps } from '../../src/frontends/tui/controller.js';

/** The controller's outside world with nothing in it: tests override what they look at. */
export function stubDeps(d: Pick<ControllerDeps, 'store' | 'completion' | 'loadView'> & Partial<ControllerDeps>): ControllerDeps {
  return {
    runLine: async () => 0,
    runScript: async () => 0,
    loadDetail: async () => [],
    editConfig: async () => undefined,
    saveHistory: () => undefined,
    redraw: () => undefined,
    exit: () => undefined,
    owner: 'me',
    now: Date.now,
    ...d,
  };
}
