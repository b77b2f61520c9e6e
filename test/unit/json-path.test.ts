import { describe, expect, it } from 'vitest';
import { parsePath, readPath } from '../../src/core/json-path.js';

describe('parsePath', () => {
  it('splits dotted names and indexes', () => {
    expect(parsePath('.instances[0].port')).toEqual(['instances', 0, 'port']);
    expect(parsePath('[0].holder')).toEqual([0, 'holder']);
    expect(parsePath('name')).toEqual(['name']);
    expect(parsePath('a.b.c')).toEqual(['a', 'b', 'c']);
  });

  it('treats the leading dot as optional', () => {
    expect(parsePath('.name')).toEqual(parsePath('name'));
  });

  it('reads "." and the empty path as the root', () => {
    expect(parsePath('.')).toEqual([]);
    expect(parsePath('')).toEqual([]);
    expect(parsePath('  .  ')).toEqual([]);
  });

  it('accepts negative and consecutive indexes', () => {
    expect(parsePath('[-1]')).toEqual([-1]);
    expect(parsePath('a[1][2]')).toEqual(['a', 1, 2]);
  });

  it('accepts names with $, _, digits and dashes', () => {
    expect(parsePath('$ref._x.a1.content-type')).toEqual(['$ref', '_x', 'a1', 'content-type']);
  });

  it('reads quoted keys with JSON escapes', () => {
    expect(parsePath('["a.b"]')).toEqual(['a.b']);
    expect(parsePath('x["with space"].y')).toEqual(['x', 'with space', 'y']);
    expect(parsePath('["say \\"hi\\""]')).toEqual(['say "hi"']);
    expect(parsePath('[""]')).toEqual(['']);
  });

  it('keeps numeric-looking quoted keys as strings', () => {
    expect(parsePath('["0"]')).toEqual(['0']);
  });

  it.each([
    ['a..b', '..b'],
    ['a b', ' b'],
    ['[x]', '[x]'],
    ['a[', '['],
    ['1abc', '1abc'],
    ['a.', '.'],
    ['[1.5]', '[1.5]'],
  ])('rejects %j and names the unreadable rest', (path, rest) => {
    expect(() => parsePath(path)).toThrow(`cannot read path "${path}" at "${rest}"`);
  });
});

describe('readPath', () => {
  const data = {
    name: 'svc',
    instances: [
      { ip: '10.0.0.1', port: 80 },
      { ip: '10.0.0.2', port: 81 },
    ],
    empty: null,
    'odd.key': 7,
    obj: { length: 'own' },
  };

  it('reads nested values', () => {
    expect(readPath(data, '.instances[0].port')).toBe(80);
    expect(readPath(data, 'instances[1].ip')).toBe('10.0.0.2');
    expect(readPath(data, 'name')).toBe('svc');
    expect(readPath(data, '["odd.key"]')).toBe(7);
  });

  it('returns the root for "."', () => {
    expect(readPath(data, '.')).toBe(data);
  });

  it('reads from the end with negative indexes', () => {
    expect(readPath(data, 'instances[-1].port')).toBe(81);
    expect(readPath(data, 'instances[-2].port')).toBe(80);
    expect(readPath(data, 'instances[-3]')).toBeUndefined();
  });

  it('reads a top-level array', () => {
    expect(readPath([{ holder: 'alice' }], '[0].holder')).toBe('alice');
  });

  it('gives length for arrays and strings', () => {
    expect(readPath(data, 'instances.length')).toBe(2);
    expect(readPath(data, 'name.length')).toBe(3);
    expect(readPath([], 'length')).toBe(0);
  });

  it('reads an own "length" key of an ordinary object', () => {
    expect(readPath(data, 'obj.length')).toBe('own');
    expect(readPath({}, 'length')).toBeUndefined();
  });

  it('returns null where the value is null, and undefined beyond it', () => {
    expect(readPath(data, 'empty')).toBeNull();
    expect(readPath(data, 'empty.x')).toBeUndefined();
  });

  it('returns undefined for paths that do not exist', () => {
    expect(readPath(data, 'missing')).toBeUndefined();
    expect(readPath(data, 'missing.deeper')).toBeUndefined();
    expect(readPath(data, 'instances[5]')).toBeUndefined();
    expect(readPath(data, 'instances[5].port')).toBeUndefined();
    expect(readPath(data, 'name.first')).toBeUndefined();
    expect(readPath(data, 'name[0]')).toBeUndefined();
    expect(readPath(data, 'instances.ip')).toBeUndefined();
    expect(readPath(data, '[0]')).toBeUndefined();
    expect(readPath(undefined, 'a')).toBeUndefined();
    expect(readPath(42, 'a')).toBeUndefined();
  });

  it('does not read inherited properties', () => {
    expect(readPath({}, 'toString')).toBeUndefined();
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath([1], 'map')).toBeUndefined();
  });

  it('propagates parse errors', () => {
    expect(() => readPath(data, 'a..b')).toThrow(/cannot read path/);
  });
});
