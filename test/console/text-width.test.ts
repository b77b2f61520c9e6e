import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fastStringWidth, narrowWidth } from '../../src/frontends/tui/text-width.js';

// The fast path must answer exactly what string-width (Ink's measure) answers.
describe('the one-column fast path for text width', () => {
  const candidates: string[] = [];
  for (let cp = 0; cp <= 0x2fff; cp++) candidates.push(String.fromCodePoint(cp));

  it('claims only characters string-width counts as one column', () => {
    const claimed = candidates.filter((ch) => narrowWidth(ch) === 1);
    expect(claimed.length).toBeGreaterThan(1000);
    expect(claimed.filter((ch) => stringWidth(ch) !== 1).map((ch) => ch.codePointAt(0)!.toString(16))).toEqual([]);
    // And declines the ones it must not count: zero-width, wide, emoji, controls.
    for (const ch of ['\u00ad', '\u0301', '\u200b', '\u202e', '\u25fd', '\u2705', '中', '\t', '\u0007']) expect(narrowWidth(ch)).toBe(-1);
  });

  it('gives string-width\'s answer for strings of those characters, styled or not, and defers the rest', () => {
    const claimed = candidates.filter((ch) => narrowWidth(ch) === 1);
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let k = rand(30); k > 0; k--) s += rand(5) === 0 ? `\x1b[${[1, 2, 7, 31, 39, 22][rand(6)]}m` : claimed[rand(claimed.length)]!;
      expect(fastStringWidth(s, undefined, stringWidth)).toBe(stringWidth(s));
    }
    let deferred = 0;
    const real = (t: string, o?: object) => (deferred++, stringWidth(t, o));
    expect(fastStringWidth('中文 ✅', undefined, real)).toBe(stringWidth('中文 ✅'));
    expect(fastStringWidth('a·b', { ambiguousIsNarrow: false }, real)).toBe(stringWidth('a·b', { ambiguousIsNarrow: false }));
    expect(deferred).toBe(2);
  });
});
