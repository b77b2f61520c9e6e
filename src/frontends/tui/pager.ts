import { fitOutputLine, stripAnsi } from './output-lines.js';

/**
 * The pager view: one result read in full inside the console, wrapped to the width, with `/`
 * search. Plain text: colour codes are dropped so search and highlighting see what the eye sees.
 */
export interface PagerState {
  title: string;
  /** The result's lines as printed (no colour). */
  text: string[];
  /** First display line shown. */
  top: number;
  /** The last search, and the text being typed after `/` (null when not typing). */
  query: string;
  typing: string | null;
  /** Display line of the current match, for `n`/`N`. */
  match: number | null;
  message: string | null;
}

export function openPager(title: string, text: string): PagerState {
  return { title, text: stripAnsi(text).replace(/\n$/, '').split('\n'), top: 0, query: '', typing: null, match: null, message: null };
}

const cache = new WeakMap<string[], { width: number; lines: string[] }>();

/** The pager's display lines at a width: wrapped (a description under itself), so nothing is cut. */
export function pagerLines(p: PagerState, width: number): string[] {
  const hit = cache.get(p.text);
  if (hit && hit.width === width) return hit.lines;
  const lines = p.text.flatMap((l) => fitOutputLine(l, width, { cut: false }));
  cache.set(p.text, { width, lines });
  return lines;
}

/** Display lines that contain the query (case-insensitive). */
export function matchesOf(lines: readonly string[], query: string): number[] {
  if (query === '') return [];
  const q = query.toLowerCase();
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (l.toLowerCase().includes(q)) out.push(i);
  });
  return out;
}

export type PagerMove = 'down' | 'up' | 'page-down' | 'page-up' | 'top' | 'bottom' | 'next-match' | 'prev-match';

/** Moves the pager; `height` is the number of text lines on screen. */
export function movePager(p: PagerState, move: PagerMove, lines: readonly string[], height: number): PagerState {
  const h = Math.max(1, height);
  const max = Math.max(0, lines.length - h);
  const at = (top: number): PagerState => ({ ...p, top: Math.max(0, Math.min(max, top)), message: null });
  switch (move) {
    case 'down':
      return at(p.top + 1);
    case 'up':
      return at(p.top - 1);
    case 'page-down':
      return at(p.top + h - 1);
    case 'page-up':
      return at(p.top - h + 1);
    case 'top':
      return at(0);
    case 'bottom':
      return at(max);
    case 'next-match':
    case 'prev-match':
      return findMatch(p, lines, move === 'next-match' ? 1 : -1, h);
  }
}

/** Goes to the next (or previous) line holding the search, wrapping around the end. */
export function findMatch(p: PagerState, lines: readonly string[], dir: 1 | -1, height: number, from = p.match ?? (dir > 0 ? p.top - 1 : p.top + 1)): PagerState {
  const hits = matchesOf(lines, p.query);
  if (p.query === '') return { ...p, message: 'no search yet: / types one' };
  if (hits.length === 0) return { ...p, match: null, message: `not found: ${p.query}` };
  const next = dir > 0 ? (hits.find((i) => i > from) ?? hits[0]!) : ([...hits].reverse().find((i) => i < from) ?? hits[hits.length - 1]!);
  const wrapped = dir > 0 ? next <= from : next >= from;
  const max = Math.max(0, lines.length - height);
  // The match sits a few lines below the top, so the lines leading to it show too.
  const top = Math.max(0, Math.min(max, next - 2));
  const n = hits.indexOf(next) + 1;
  return { ...p, match: next, top, message: `match ${n} of ${hits.length}${wrapped && p.match !== null ? ' (wrapped)' : ''}` };
}
