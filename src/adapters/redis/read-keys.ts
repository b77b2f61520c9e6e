/**
 * The keys a command reads, as `cache simulate` counts cache accesses: the read commands an
 * application's cache look-up sends (strings, hashes, sets, lists, sorted sets, EXISTS), one
 * access per key. Writes are not accesses: in a read-through cache they follow a miss already counted.
 */
const ONE_KEY = new Set(['get', 'getex', 'getdel', 'hget', 'hmget', 'hgetall', 'hexists', 'smembers', 'sismember', 'lrange', 'lindex', 'zrange', 'zscore', 'zrangebyscore', 'strlen', 'getrange']);
const EVERY_KEY = new Set(['mget', 'exists']);

export function readKeys(args: readonly string[]): string[] {
  const name = args[0]?.toLowerCase();
  if (name === undefined || args.length < 2) return [];
  if (ONE_KEY.has(name)) return [args[1]!];
  if (EVERY_KEY.has(name)) return args.slice(1);
  return [];
}
