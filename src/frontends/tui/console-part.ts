import type { ConsoleState } from './state.js';
import type { Store } from './store.js';

/**
 * One part of the console's behaviour (the prompt, the panes, the overlays, the completion menu):
 * each reads and changes the one store the screen is drawn from, so the parts never disagree.
 */
export abstract class ConsolePart {
  constructor(protected readonly store: Store<ConsoleState>) {}

  protected get s(): ConsoleState {
    return this.store.get();
  }

  protected set(update: (s: ConsoleState) => ConsoleState): void {
    this.store.set(update);
  }
}
