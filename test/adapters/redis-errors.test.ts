import { describe, expect, it } from 'vitest';
import { connectionCause, mapRedisError } from '../../src/adapters/redis/client.js';

/** What an on-call engineer reads when Redis is down: the cause in plain words, never the driver's. */
describe('redis connection errors', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:6379', 'connection refused'],
    ["Stream isn't writeable and enableOfflineQueue options is false", 'not connected'],
    ['Connection is closed.', 'not connected'],
    ['getaddrinfo ENOTFOUND redis.internal', 'host not found'],
    ['connect ETIMEDOUT', 'connect timed out'],
    ['read ECONNRESET', 'connection reset'],
    ['Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.', 'gave up after retries'],
  ])('%s → %s', (raw, said) => {
    expect(connectionCause(raw)).toBe(said);
  });

  it('says "unreachable (cause)" with the URL, its password masked', () => {
    const e = mapRedisError(new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'redis://:hunter2@127.0.0.1:6379');
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe('redis redis://:***@127.0.0.1:6379 is unreachable (not connected)');
    expect(e.message).not.toContain('hunter2');
  });
});
