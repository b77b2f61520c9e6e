import { describe, expect, it } from 'vitest';
import { edit, lineOf, type EditAction, type LineState } from '../../src/shell/line-editor.js';

const run = (s: LineState, ...actions: EditAction['type'][]) => actions.reduce((acc, type) => edit(acc, { type } as EditAction), s);

describe('line editor (emacs keys)', () => {
  it('inserts at the cursor and strips control characters and newlines', () => {
    expect(edit(lineOf('servces', 4), { type: 'insert', text: 'i' })).toMatchObject({ text: 'services', cursor: 5 });
    expect(edit(lineOf(''), { type: 'insert', text: 'a\x07b\nc' })).toMatchObject({ text: 'ab c', cursor: 4 });
  });

  it('moves with Ctrl-A/E/B/F and keeps the cursor in range', () => {
    expect(run(lineOf('abc', 1), 'home').cursor).toBe(0);
    expect(run(lineOf('abc', 1), 'end').cursor).toBe(3);
    expect(run(lineOf('abc', 0), 'left').cursor).toBe(0);
    expect(run(lineOf('abc', 3), 'right').cursor).toBe(3);
    expect(run(lineOf('abc', 1), 'right', 'right').cursor).toBe(3);
  });

  it('Alt-B/F jump over address-like words as one word', () => {
    const s = lineOf('instances drain orders-api 10.0.0.1:8080');
    expect(run(s, 'word-left').cursor).toBe('instances drain orders-api '.length);
    expect(run(s, 'word-left', 'word-left').cursor).toBe('instances drain '.length);
    expect(run(lineOf(s.text, 0), 'word-right').cursor).toBe('instances'.length);
  });

  it('Ctrl-K, Ctrl-U and Ctrl-W kill, and Ctrl-Y yanks the last kill', () => {
    expect(run(lineOf('locks show x', 5), 'kill-to-end')).toMatchObject({ text: 'locks', killed: ' show x' });
    expect(run(lineOf('locks show x', 6), 'kill-to-start')).toMatchObject({ text: 'show x', cursor: 0, killed: 'locks ' });
    const w = run(lineOf('config get  orders.yaml'), 'kill-word-back');
    expect(w).toMatchObject({ text: 'config get  ', killed: 'orders.yaml' });
    expect(run(w, 'kill-word-back')).toMatchObject({ text: 'config ' });
    expect(run(w, 'home', 'yank')).toMatchObject({ text: 'orders.yamlconfig get  ', cursor: 11 });
  });

  it('backspace and delete never split a surrogate pair', () => {
    expect(run(lineOf('a😀'), 'backspace').text).toBe('a');
    expect(run(lineOf('😀b', 0), 'delete').text).toBe('b');
    expect(run(lineOf('😀', 2), 'left').cursor).toBe(0);
  });

  it('Ctrl-T transposes the two characters around the cursor', () => {
    expect(run(lineOf('lcoks', 2), 'transpose').text).toBe('locks');
    expect(run(lineOf('ab'), 'transpose').text).toBe('ba');
  });
});
