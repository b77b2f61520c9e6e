import type { ConsoleState } from './state.js';
import type { Store } from './store.js';

/**
 * Draws a minimal frame (status line and a live prompt) with plain escape codes while the Ink view
 * is still loading, so the prompt takes keys within a few milliseconds of start. Keys go to the
 * same controller as later, so nothing typed during loading is lost; Ink takes over when ready.
 */
export function startBootPainter(store: Store<ConsoleState>, write: (s: string) => void): () => void {
  const paint = () => {
    const s = store.get();
    const label = `${s.profile.name}${s.profile.readOnly ? ':ro' : ''}› `;
    const line = s.line.text;
    const row = Math.max(2, s.rows - 2);
    const status = ` opsdeck  ${s.profile.name}${s.profile.readOnly ? ' [READ-ONLY]' : ''} │ loading the console…`.slice(0, s.cols);
    write(`\x1b[1;1H\x1b[2K${status}\x1b[${row};1H\x1b[2K${(label + line).slice(0, s.cols - 1)}\x1b[7m \x1b[27m`);
  };
  write('\x1b[H\x1b[2J');
  paint();
  const unsubscribe = store.subscribe(paint);
  return () => {
    unsubscribe();
    write('\x1b[H\x1b[2J');
  };
}
