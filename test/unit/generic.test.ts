import { describe, expect, it } from 'vitest';
import { cell, renderGeneric } from '../../src/render/generic.js';
import { PLAIN, type Style } from '../../src/render/style.js';

const TAGGED: Style = { ...PLAIN, bold: (s) => `<b>${s}</b>`, dim: (s) => `<d>${s}</d>` };

describe('cell', () => {
  it('formats scalars', () => {
    expect(cell('text')).toBe('text');
    expect(cell(42)).toBe('42');
    expect(cell(false)).toBe('false');
    expect(cell('')).toBe('');
  });

  it('shows null and undefined as -', () => {
    expect(cell(null)).toBe('-');
    expect(cell(undefined)).toBe('-');
  });

  it('joins arrays and records with commas', () => {
    expect(cell(['a', 1, null])).toBe('a,1,-');
    expect(cell({ a: 1, b: 'x' })).toBe('a=1,b=x');
    expect(cell({ tags: ['x', 'y'], meta: { zone: 'eu' } })).toBe('tags=x,y,meta=zone=eu');
    expect(cell([])).toBe('');
  });
});

describe('renderGeneric', () => {
  it('renders an array of records as a table with upper-cased keys', () => {
    const out = renderGeneric(
      [
        { name: 'api', port: 8080 },
        { name: 'web', port: 80, zone: 'eu' },
      ],
      PLAIN,
    );
    expect(out.split('\n')).toEqual(['NAME  PORT  ZONE', 'api   8080  -', 'web   80    eu']);
  });

  it('renders nested values in table cells with cell()', () => {
    const out = renderGeneric([{ id: 1, tags: ['a', 'b'], meta: { k: 'v' }, gone: null }], PLAIN);
    expect(out.split('\n')).toEqual(['ID  TAGS  META  GONE', '1   a,b   k=v   -']);
  });

  it('clips long table cells with an ellipsis', () => {
    const out = renderGeneric([{ v: 'y'.repeat(80) }], PLAIN);
    expect(out.split('\n')[1]).toBe('y'.repeat(59) + '…');
  });

  it('shows (none) for an empty array', () => {
    expect(renderGeneric([], PLAIN)).toBe('(none)');
    expect(renderGeneric([], TAGGED)).toBe('<d>(none)</d>');
  });

  it('renders an array of scalars one per line', () => {
    expect(renderGeneric(['a', 2, null], PLAIN)).toBe('a\n2\n-');
  });

  it('renders mixed arrays one item per line instead of as a table', () => {
    expect(renderGeneric([{ a: 1 }, 'x', [1, 2]], PLAIN)).toBe('a=1\nx\n1,2');
  });

  it('renders a record as aligned key/value lines with dimmed keys', () => {
    expect(renderGeneric({ name: 'api', instances: 3, tags: ['a', 'b'], owner: null }, PLAIN).split('\n')).toEqual([
      'name       api',
      'instances  3',
      'tags       a,b',
      'owner      -',
    ]);
    expect(renderGeneric({ ab: 1, c: 2 }, TAGGED).split('\n')).toEqual(['<d>ab</d>  1', '<d>c </d>  2']);
  });

  it('leaves out undefined record values', () => {
    expect(renderGeneric({ a: 1, skipped: undefined, b: 2 }, PLAIN).split('\n')).toEqual(['a  1', 'b  2']);
  });

  it('renders scalars with cell()', () => {
    expect(renderGeneric('done', PLAIN)).toBe('done');
    expect(renderGeneric(7, PLAIN)).toBe('7');
    expect(renderGeneric(null, PLAIN)).toBe('-');
  });
});
