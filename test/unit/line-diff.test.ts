import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff, type DiffLine } from '../../src/core/line-diff.js';

const text = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');
const numbered = (n: number, prefix = 'l') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const same = (t: string): DiffLine => ({ op: ' ', text: t });
const add = (t: string): DiffLine => ({ op: '+', text: t });
const del = (t: string): DiffLine => ({ op: '-', text: t });

/** Rebuilds both sides from a diff, to check that every line of each side is listed in order. */
function sides(lines: DiffLine[]): { before: string[]; after: string[] } {
  return {
    before: lines.filter((l) => l.op !== '+').map((l) => l.text),
    after: lines.filter((l) => l.op !== '-').map((l) => l.text),
  };
}

describe('diffLines', () => {
  it('marks every line unchanged for identical texts', () => {
    expect(diffLines(text('a', 'b', 'c'), text('a', 'b', 'c'))).toEqual([same('a'), same('b'), same('c')]);
  });

  it('returns nothing for two empty texts', () => {
    expect(diffLines('', '')).toEqual([]);
  });

  it('lists everything as added when the old side is empty', () => {
    expect(diffLines('', text('x', 'y'))).toEqual([add('x'), add('y')]);
  });

  it('lists everything as deleted when the new side is empty', () => {
    expect(diffLines(text('x', 'y'), '')).toEqual([del('x'), del('y')]);
  });

  it('ignores a single trailing newline', () => {
    expect(diffLines('a\nb', 'a\nb\n')).toEqual([same('a'), same('b')]);
  });

  it('keeps blank lines as lines', () => {
    expect(diffLines('a\n\nb\n', 'a\nb\n')).toEqual([same('a'), del(''), same('b')]);
  });

  it('finds an added line in the middle', () => {
    expect(diffLines(text('a', 'c'), text('a', 'b', 'c'))).toEqual([same('a'), add('b'), same('c')]);
  });

  it('finds a deleted line at the end and at the start', () => {
    expect(diffLines(text('a', 'b', 'c'), text('a', 'b'))).toEqual([same('a'), same('b'), del('c')]);
    expect(diffLines(text('a', 'b', 'c'), text('b', 'c'))).toEqual([del('a'), same('b'), same('c')]);
  });

  it('shows a changed line as a deletion followed by an addition', () => {
    expect(diffLines(text('a', 'b', 'c'), text('a', 'B', 'c'))).toEqual([same('a'), del('b'), add('B'), same('c')]);
  });

  it('aligns on the longest common subsequence inside the changed middle', () => {
    const before = text('start', 'x', 'keep1', 'y', 'keep2', 'end');
    const after = text('start', 'keep1', 'z', 'keep2', 'w', 'end');
    expect(diffLines(before, after)).toEqual([
      same('start'),
      del('x'),
      same('keep1'),
      del('y'),
      add('z'),
      same('keep2'),
      add('w'),
      same('end'),
    ]);
  });

  it('lists every line of both sides in order', () => {
    const before = text('q', 'w', 'e', 'r', 't', 'y', 'w', 'e');
    const after = text('w', 'x', 'e', 'y', 'q', 'r', 'e', 'z');
    const lines = diffLines(before, after);
    expect(sides(lines)).toEqual({ before: before.trimEnd().split('\n'), after: after.trimEnd().split('\n') });
    // q w e r t y w e vs w x e y q r e z: an LCS has 4 lines (e.g. w e r e / w e y e)
    expect(lines.filter((l) => l.op === ' ')).toHaveLength(4);
  });

  it('shows the middle as replaced wholesale when the LCS table would be too large', () => {
    // 4001 × 4001 cells exceed the 16M limit; the shared line "common" is then not aligned.
    const a = [...numbered(2000, 'a'), 'common', ...numbered(2000, 'b')];
    const b = [...numbered(2000, 'c'), 'common', ...numbered(2000, 'd')];
    const lines = diffLines(a.join('\n'), b.join('\n'));
    expect(lines).toHaveLength(a.length + b.length);
    expect(lines.slice(0, a.length).every((l) => l.op === '-')).toBe(true);
    expect(lines.slice(a.length).every((l) => l.op === '+')).toBe(true);
    expect(sides(lines)).toEqual({ before: a, after: b });
  });

  it('still aligns a shared line when the table is within the limit', () => {
    const a = [...numbered(50, 'a'), 'common', ...numbered(50, 'b')];
    const b = [...numbered(50, 'c'), 'common', ...numbered(50, 'd')];
    const lines = diffLines(a.join('\n'), b.join('\n'));
    expect(lines.filter((l) => l.op === ' ')).toEqual([same('common')]);
  });
});

describe('unifiedDiff', () => {
  it('returns no hunks for identical texts', () => {
    expect(unifiedDiff(diffLines(text('a', 'b'), text('a', 'b')))).toEqual([]);
    expect(unifiedDiff([])).toEqual([]);
  });

  it('shows a single change with three lines of context on each side', () => {
    const before = text(...numbered(20));
    const after = before.replace('l10\n', 'L10\n');
    expect(unifiedDiff(diffLines(before, after))).toEqual([
      '@@ -7,7 +7,7 @@',
      ' l7',
      ' l8',
      ' l9',
      '-l10',
      '+L10',
      ' l11',
      ' l12',
      ' l13',
    ]);
  });

  it('clips context at the start and end of the file', () => {
    const before = text('a', 'b', 'c');
    expect(unifiedDiff(diffLines(before, text('A', 'b', 'c')))).toEqual(['@@ -1,3 +1,3 @@', '-a', '+A', ' b', ' c']);
    expect(unifiedDiff(diffLines(before, text('a', 'b', 'c', 'd')))).toEqual(['@@ -1,3 +1,4 @@', ' a', ' b', ' c', '+d']);
  });

  it('counts old and new lines separately for an addition', () => {
    const before = text(...numbered(10));
    const after = before.replace('l5\n', 'l5\nnew1\nnew2\n');
    expect(unifiedDiff(diffLines(before, after))).toEqual([
      '@@ -3,6 +3,8 @@',
      ' l3',
      ' l4',
      ' l5',
      '+new1',
      '+new2',
      ' l6',
      ' l7',
      ' l8',
    ]);
  });

  it('counts old and new lines separately for a deletion', () => {
    const before = text(...numbered(10));
    const after = before.replace('l5\nl6\n', '');
    expect(unifiedDiff(diffLines(before, after))).toEqual([
      '@@ -2,8 +2,6 @@',
      ' l2',
      ' l3',
      ' l4',
      '-l5',
      '-l6',
      ' l7',
      ' l8',
      ' l9',
    ]);
  });

  it('numbers later hunks after earlier additions and deletions', () => {
    const before = text(...numbered(30));
    // delete l3, add two lines after l20
    const after = before.replace('l3\n', '').replace('l20\n', 'l20\nn1\nn2\n');
    expect(unifiedDiff(diffLines(before, after))).toEqual([
      '@@ -1,6 +1,5 @@',
      ' l1',
      ' l2',
      '-l3',
      ' l4',
      ' l5',
      ' l6',
      // old l18 is new line 17: one line was deleted above
      '@@ -18,6 +17,8 @@',
      ' l18',
      ' l19',
      ' l20',
      '+n1',
      '+n2',
      ' l21',
      ' l22',
      ' l23',
    ]);
  });

  it('merges changes whose context overlaps into one hunk', () => {
    const before = text(...numbered(20));
    const after = before.replace('l5\n', 'L5\n').replace('l10\n', 'L10\n');
    const out = unifiedDiff(diffLines(before, after));
    expect(out.filter((l) => l.startsWith('@@'))).toEqual(['@@ -2,12 +2,12 @@']);
    expect(out).toHaveLength(1 + 14);
  });

  it('splits changes farther apart than twice the context into separate hunks', () => {
    const before = text(...numbered(20));
    const after = before.replace('l3\n', 'L3\n').replace('l11\n', 'L11\n');
    expect(unifiedDiff(diffLines(before, after)).filter((l) => l.startsWith('@@'))).toEqual([
      '@@ -1,6 +1,6 @@',
      '@@ -8,7 +8,7 @@',
    ]);
  });

  it('honours a custom context size', () => {
    const before = text(...numbered(10));
    const after = before.replace('l5\n', 'L5\n');
    expect(unifiedDiff(diffLines(before, after), 1)).toEqual(['@@ -4,3 +4,3 @@', ' l4', '-l5', '+L5', ' l6']);
    expect(unifiedDiff(diffLines(before, after), 0)).toEqual(['@@ -5,1 +5,1 @@', '-l5', '+L5']);
  });

  it('counts all lines of a file created from nothing', () => {
    const out = unifiedDiff(diffLines('', text('x', 'y')));
    // The start of an empty range is convention-dependent (GNU diff and git print -0,0).
    expect(out[0]).toMatch(/^@@ -\d+,0 \+1,2 @@$/);
    expect(out.slice(1)).toEqual(['+x', '+y']);
  });

  it('counts all lines of a file emptied completely', () => {
    const out = unifiedDiff(diffLines(text('x', 'y', 'z'), ''));
    expect(out[0]).toMatch(/^@@ -1,3 \+\d+,0 @@$/);
    expect(out.slice(1)).toEqual(['-x', '-y', '-z']);
  });
});
