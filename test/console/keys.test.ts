import { describe, expect, it } from 'vitest';
import { KeyParser, type KeyEvent } from '../../src/frontends/tui/keys.js';

const k = (name: string, mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean }> = {}): KeyEvent => ({ kind: 'key', name, ctrl: false, meta: false, shift: false, ...mods }) as KeyEvent;

describe('key parser', () => {
  it('decodes characters, control keys and CSI sequences', () => {
    const p = new KeyParser();
    expect(p.feed('ab\r\t\x7f')).toEqual([{ kind: 'char', text: 'a' }, { kind: 'char', text: 'b' }, k('enter'), k('tab'), k('backspace')]);
    expect(p.feed('\x01\x05\x12')).toEqual([k('a', { ctrl: true }), k('e', { ctrl: true }), k('r', { ctrl: true })]);
    expect(p.feed('\x1b[A\x1b[B\x1b[5~\x1b[3~\x1b[Z\x1b[1;5D')).toEqual([k('up'), k('down'), k('pageup'), k('delete'), k('tab', { shift: true }), k('left', { ctrl: true })]);
    expect(p.feed('\x1bb\x1bf\x1b2')).toEqual([k('b', { meta: true }), k('f', { meta: true }), k('2', { meta: true })]);
  });

  it('keeps an escape sequence split across chunks together', () => {
    const p = new KeyParser();
    expect(p.feed('\x1b[')).toEqual([]);
    expect(p.feed('A')).toEqual([k('up')]);
  });

  it('a lone ESC becomes the Escape key only on flush', () => {
    const p = new KeyParser();
    expect(p.feed('\x1b')).toEqual([]);
    expect(p.flush()).toEqual([k('escape')]);
    expect(p.flush()).toEqual([]);
  });

  it('delivers a bracketed paste whole, even across chunks and with newlines', () => {
    const p = new KeyParser();
    expect(p.feed('x\x1b[200~services list\r\nlocks')).toEqual([{ kind: 'char', text: 'x' }]);
    expect(p.feed(' list\n\x1b[20')).toEqual([]);
    expect(p.feed('1~y')).toEqual([{ kind: 'paste', text: 'services list\nlocks list\n' }, { kind: 'char', text: 'y' }]);
  });
});
