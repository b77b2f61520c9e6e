import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize';
import { Chalk } from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastOutputClass, type InkOutputClass } from '../../src/frontends/tui/ink-output.js';

// Ink's own compositor is the reference: the fast one must give the same cells for the same writes.
let InkOutput: InkOutputClass;
let FastOutput: InkOutputClass;
beforeAll(async () => {
  const inkEntry = createRequire(import.meta.url).resolve('ink');
  InkOutput = (await import(pathToFileURL(join(dirname(inkEntry), 'output.js')).href)).default as InkOutputClass;
  FastOutput = fastOutputClass(InkOutput);
});

type Op = { kind: 'write'; x: number; y: number; text: string; upper?: boolean } | { kind: 'clip'; x1: number; x2: number; y1: number; y2: number } | { kind: 'unclip' };

/** Runs the same operations through a compositor, as Ink's renderer does. */
function compose(Output: InkOutputClass, width: number, height: number, ops: Op[]): string {
  const out = new Output({ width, height });
  for (const op of ops) {
    if (op.kind === 'write') out.write(op.x, op.y, op.text, { transformers: op.upper ? [(s) => s.toUpperCase()] : [] });
    else if (op.kind === 'clip') out.clip({ x1: op.x1, x2: op.x2, y1: op.y1, y2: op.y2 });
    else out.unclip();
  }
  const { output, height: h } = out.get();
  expect(h).toBe(height);
  return output;
}

/** Each line as cells: the character and the SGR codes in effect on it (how a terminal shows it). */
function cells(frame: string): string[][] {
  return frame.split('\n').map((line) =>
    styledCharsFromTokens(tokenize(line))
      .filter((c) => c.value !== ' ' || c.styles.length > 0)
      .map((c) => `${c.value}|${c.styles.map((s) => s.code).sort().join(',')}`),
  );
}

/** Each line as cells with their columns, ignoring unstyled blanks (trailing spaces are trimmed by both). */
function screen(frame: string): string[] {
  return frame.split('\n').map((line) => {
    let col = 0;
    const parts: string[] = [];
    for (const c of styledCharsFromTokens(tokenize(line))) {
      if (c.value !== ' ' || c.styles.length > 0) parts.push(`${col}:${c.value}|${c.styles.map((s) => s.code).sort().join(',')}`);
      col++;
    }
    return parts.join(' ');
  });
}

function same(width: number, height: number, ops: Op[]): void {
  const ink = compose(InkOutput, width, height, ops);
  const fast = compose(FastOutput, width, height, ops);
  expect(screen(fast)).toEqual(screen(ink));
  expect(cells(fast)).toEqual(cells(ink));
}

const c = new Chalk({ level: 3 });

describe('the fast output compositor', () => {
  it('draws a console-like frame exactly as Ink does', () => {
    const ops: Op[] = [
      { kind: 'write', x: 0, y: 0, text: c.inverse(' opsdeck  local │ registry ✓  config ✓  locks ✗ ') },
      { kind: 'write', x: 0, y: 1, text: `${c.bold('1 services')}  2 config  3 locks` },
      { kind: 'write', x: 0, y: 2, text: c.bold('services  ·  3/12  ·  data 0.4s ago') },
      { kind: 'write', x: 0, y: 3, text: c.bold.dim('  SERVICE      INSTANCES  HEALTHY') },
      { kind: 'write', x: 0, y: 4, text: c.green.inverse('▶ gateway      3          3') },
      { kind: 'write', x: 0, y: 5, text: c.red(' •orders       2          1…') },
      { kind: 'write', x: 0, y: 6, text: 'line one\nline two\n' + c.yellow('⚠ three') },
      { kind: 'write', x: 0, y: 10, text: 'local› ', upper: true },
      { kind: 'write', x: 7, y: 10, text: c.inverse(' ') },
      { kind: 'write', x: 40, y: 11, text: c.hex('#ff8800').bgAnsi256(236)('256 and true colour') },
      { kind: 'write', x: 0, y: 11, text: c.dim('Esc panes  ? help') },
    ];
    same(60, 13, ops);
    // And it got there without Ink's compositor: that is where the time goes.
    const noFallback = fastOutputClass(class {
      constructor() {
        throw new Error('fell back to Ink');
      }
    } as unknown as InkOutputClass);
    expect(screen(compose(noFallback, 60, 13, ops))).toEqual(screen(compose(InkOutput, 60, 13, ops)));
  });

  it('falls back to Ink for overlaps, clips, wide and zero-width characters, and open styles', () => {
    same(20, 3, [
      { kind: 'write', x: 0, y: 0, text: 'aaaaaaaaaa' },
      { kind: 'write', x: 5, y: 0, text: c.red('bbb') },
    ]);
    same(20, 3, [
      { kind: 'clip', x1: 2, x2: 8, y1: 0, y2: 2 },
      { kind: 'write', x: 0, y: 0, text: c.bold('clipped text here') },
      { kind: 'unclip' },
    ]);
    same(20, 2, [{ kind: 'write', x: 1, y: 0, text: '中文 wide ⚠️ e\u0301 tab\tx' }]);
    same(20, 2, [
      { kind: 'write', x: 0, y: 0, text: '\x1b[31mopen red' },
      { kind: 'write', x: 12, y: 0, text: 'plain' },
    ]);
    same(20, 2, [{ kind: 'write', x: 0, y: 0, text: 'beyond the frame width, not cut' }, { kind: 'write', x: 0, y: 5, text: 'below the frame' }]);
  });

  it('gives the same cells as Ink over many random frames', () => {
    let seed = 14;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Mostly one-column characters (the fast path), now and then one that sends the frame to Ink.
    const narrow = ['a', 'Z', '0', ' ', '…', '▶', '•', '✓', '✗', '·', '│', '›', 'é'];
    const odd = ['中', '⚠️', '\u0301', '\t'];
    const styles = [(s: string) => s, c.red, c.bold, c.dim, c.inverse, c.green.bold, c.bgBlue, c.underline.yellow, c.ansi256(202), c.rgb(1, 2, 3)];
    for (let frame = 0; frame < 300; frame++) {
      const width = 10 + rand(30);
      const height = 1 + rand(6);
      const ops: Op[] = [];
      for (let i = rand(8); i > 0; i--) {
        const len = rand(12);
        let text = '';
        for (let k = 0; k < len; k++) text += rand(60) === 0 ? odd[rand(odd.length)]! : narrow[rand(narrow.length)]!;
        if (rand(6) === 0) text += '\n' + text.slice(1);
        ops.push({ kind: 'write', x: rand(width), y: rand(height + 1), text: styles[rand(styles.length)]!(text), upper: rand(5) === 0 });
      }
      same(width, height, ops);
    }
  });
});
