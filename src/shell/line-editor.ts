/** The prompt's text and cursor. Immutable: every edit returns a new state. */
export interface LineState {
  readonly text: string;
  /** Cursor position in UTF-16 units, 0..text.length. */
  readonly cursor: number;
  /** Text removed by the last kill (Ctrl-K/U/W, Alt-D), for Ctrl-Y. */
  readonly killed: string;
}

export const EMPTY_LINE: LineState = { text: '', cursor: 0, killed: '' };

export function lineOf(text: string, cursor = text.length): LineState {
  return { text, cursor: Math.max(0, Math.min(cursor, text.length)), killed: '' };
}

export type EditAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'word-left' }
  | { type: 'word-right' }
  | { type: 'kill-to-end' }
  | { type: 'kill-to-start' }
  | { type: 'kill-word-back' }
  | { type: 'kill-word-forward' }
  | { type: 'yank' }
  | { type: 'transpose' };

/**
 * Applies one emacs-style edit. Word motions treat runs of letters, digits and `_-./:@` as words
 * (so `orders-api/10.0.0.1:8080` is one word for Alt-B/F), while Ctrl-W deletes back to whitespace
 * the way readline does.
 */
export function edit(s: LineState, a: EditAction): LineState {
  const { text, cursor } = s;
  switch (a.type) {
    case 'insert': {
      const clean = a.text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '').replace(/\r?\n|\r|\t/g, ' ');
      return { ...s, text: text.slice(0, cursor) + clean + text.slice(cursor), cursor: cursor + clean.length };
    }
    case 'backspace': {
      if (cursor === 0) return s;
      const from = prevCharStart(text, cursor);
      return { ...s, text: text.slice(0, from) + text.slice(cursor), cursor: from };
    }
    case 'delete': {
      if (cursor >= text.length) return s;
      return { ...s, text: text.slice(0, cursor) + text.slice(nextCharEnd(text, cursor)) };
    }
    case 'left':
      return { ...s, cursor: cursor === 0 ? 0 : prevCharStart(text, cursor) };
    case 'right':
      return { ...s, cursor: cursor >= text.length ? text.length : nextCharEnd(text, cursor) };
    case 'home':
      return { ...s, cursor: 0 };
    case 'end':
      return { ...s, cursor: text.length };
    case 'word-left':
      return { ...s, cursor: wordLeft(text, cursor) };
    case 'word-right':
      return { ...s, cursor: wordRight(text, cursor) };
    case 'kill-to-end':
      return { text: text.slice(0, cursor), cursor, killed: text.slice(cursor) };
    case 'kill-to-start':
      return { text: text.slice(cursor), cursor: 0, killed: text.slice(0, cursor) };
    case 'kill-word-back': {
      let i = cursor;
      while (i > 0 && /\s/.test(text[i - 1]!)) i--;
      while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
      return { text: text.slice(0, i) + text.slice(cursor), cursor: i, killed: text.slice(i, cursor) };
    }
    case 'kill-word-forward': {
      const end = wordRight(text, cursor);
      return { text: text.slice(0, cursor) + text.slice(end), cursor, killed: text.slice(cursor, end) };
    }
    case 'yank':
      return s.killed === '' ? s : { ...edit(s, { type: 'insert', text: s.killed }), killed: s.killed };
    case 'transpose': {
      if (text.length < 2 || cursor === 0) return s;
      const at = cursor === text.length ? cursor - 1 : cursor;
      const swapped = text.slice(0, at - 1) + text[at] + text[at - 1] + text.slice(at + 1);
      return { ...s, text: swapped, cursor: Math.min(text.length, at + 1) };
    }
  }
}

const WORD = /[\p{L}\p{N}_\-./:@]/u;

function wordLeft(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && !WORD.test(text[i - 1]!)) i--;
  while (i > 0 && WORD.test(text[i - 1]!)) i--;
  return i;
}

function wordRight(text: string, cursor: number): number {
  let i = cursor;
  while (i < text.length && !WORD.test(text[i]!)) i++;
  while (i < text.length && WORD.test(text[i]!)) i++;
  return i;
}

/** Keeps surrogate pairs together so the cursor never sits inside an emoji. */
function prevCharStart(text: string, i: number): number {
  const c = text.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}

function nextCharEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? i + 2 : i + 1;
}
