import type { ConsoleState } from './state.js';

export const MENU_ROWS = 8;

/**
 * Splits the terminal into regions. The total is rows − 1, never rows: Ink 6 clears the whole
 * screen (and flickers) once its output reaches the terminal height.
 */
export function layout(s: Pick<ConsoleState, 'rows' | 'cols'>): { pane: number; log: number; width: number } {
  const usable = Math.max(8, s.rows - 1);
  const fixed = 4; // status bar, tabs, prompt, footer
  const log = Math.max(3, Math.min(12, Math.floor(usable * 0.3)));
  return { pane: Math.max(2, usable - fixed - log), log, width: Math.max(20, s.cols) };
}

/** Cuts a plain string to a display width (one column per code point; wide glyphs are rare here). */
export function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

/**
 * Cuts a name to a width in its middle, keeping both ends: `http_request_duration_seconds_bucket`
 * and `…_count` differ at the end, which `fit` would cut away.
 */
export function fitMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  const tail = Math.ceil((width - 1) / 2);
  const head = width - 1 - tail;
  return chars.slice(0, head).join('') + '…' + chars.slice(chars.length - tail).join('');
}

export function pad(text: string, width: number): string {
  const chars = [...text];
  return chars.length >= width ? fit(text, width) : text + ' '.repeat(width - chars.length);
}

export function age(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const s = Math.max(0, (now - ms) / 1000);
  return s < 10 ? `${s.toFixed(1)}s ago` : s < 120 ? `${Math.round(s)}s ago` : `${Math.round(s / 60)}m ago`;
}
