import { describe, expect, it } from 'vitest';
import { readKeys } from '../../../src/adapters/redis/read-keys.js';

describe('readKeys (which keys a monitored command reads)', () => {
  it('counts one access for a single-key read, one per key for MGET and EXISTS, in any case', () => {
    expect(readKeys(['GET', 'user:1'])).toEqual(['user:1']);
    expect(readKeys(['get', 'user:1'])).toEqual(['user:1']);
    expect(readKeys(['hgetall', 'session:9'])).toEqual(['session:9']);
    expect(readKeys(['HGET', 'h', 'field'])).toEqual(['h']);
    expect(readKeys(['mget', 'a', 'b', 'a'])).toEqual(['a', 'b', 'a']);
    expect(readKeys(['EXISTS', 'a', 'b'])).toEqual(['a', 'b']);
  });

  it('ignores writes, admin commands and malformed lines', () => {
    expect(readKeys(['SET', 'a', '1'])).toEqual([]);
    expect(readKeys(['DEL', 'a'])).toEqual([]);
    expect(readKeys(['INFO'])).toEqual([]);
    expect(readKeys(['GET'])).toEqual([]);
    expect(readKeys([])).toEqual([]);
  });
});
