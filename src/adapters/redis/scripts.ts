/**
 * Lua run atomically on the server. Writes follow Redisson's RFairLock + RFencedLock layout, so
 * Redisson clients and opsdeck see each other's locks: the lock is a hash `owner → hold count`,
 * waiters queue in `redisson_lock_queue:{name}` with give-up times in `redisson_lock_timeout:{name}`,
 * and `redisson_lock_token:{name}` counts acquisitions (a fencing token).
 * Time comes from the server (TIME), so client clocks do not matter.
 */

/** KEYS: lock, queue, timeout, token. ARGV: owner, ttlMs, waitDeadline (server ms, 0 = no wait), waiterLeaseMs.
 *  Returns {1, token} acquired · {0, pttl} queued · {-1, pttl} refused.
 *  A script that fails half-way keeps its earlier writes (Redis does not roll them back), so the
 *  lease is checked before anything is written: a PEXPIRE that failed after HSET would leave a
 *  lock that never expires. The TTL goes to PEXPIRE as the caller's digits, never through a Lua
 *  number, whose text form ("1e+15") Redis would refuse. */
export const ACQUIRE = `
local ttl = ARGV[2]
if not string.match(ttl, '^[1-9]%d*$') or #ttl > 15 then
  return redis.error_reply('ERR opsdeck acquire: the lease must be a whole number of milliseconds from 1 to 999999999999999, not ' .. ttl)
end
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local owner, deadline, lease = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local head = redis.call('lindex', KEYS[2], 0)
while head do
  local dl = tonumber(redis.call('zscore', KEYS[3], head))
  if dl ~= nil and dl > now then break end
  redis.call('lpop', KEYS[2])
  redis.call('zrem', KEYS[3], head)
  head = redis.call('lindex', KEYS[2], 0)
end
if redis.call('hexists', KEYS[1], owner) == 1 then
  redis.call('hincrby', KEYS[1], owner, 1)
  redis.call('pexpire', KEYS[1], ttl)
  return {1, tonumber(redis.call('get', KEYS[4]) or '0')}
end
if redis.call('exists', KEYS[1]) == 0 then
  if (not head) or head == owner then
    if head then
      redis.call('lpop', KEYS[2])
      redis.call('zrem', KEYS[3], owner)
    end
    redis.call('hset', KEYS[1], owner, 1)
    redis.call('pexpire', KEYS[1], ttl)
    return {1, redis.call('incr', KEYS[4])}
  end
end
if deadline > now then
  if not redis.call('zscore', KEYS[3], owner) then redis.call('rpush', KEYS[2], owner) end
  redis.call('zadd', KEYS[3], math.min(deadline, now + lease), owner)
  return {0, redis.call('pttl', KEYS[1])}
end
if redis.call('zscore', KEYS[3], owner) then
  redis.call('lrem', KEYS[2], 0, owner)
  redis.call('zrem', KEYS[3], owner)
end
return {-1, redis.call('pttl', KEYS[1])}
`;

/** Leaves the wait queue (a cancelled --wait) without ever taking the lock. KEYS: queue, timeout. ARGV: owner. */
export const LEAVE_QUEUE = `
redis.call('lrem', KEYS[1], 0, ARGV[1])
redis.call('zrem', KEYS[2], ARGV[1])
return 1
`;

/** KEYS: lock, queue, channel. ARGV: owner.
 *  Returns remaining holds, -1 held by another, -2 not held, -3 a plain string value (not a hash). */
export const RELEASE = `
local t = redis.call('type', KEYS[1]).ok
if t == 'none' then return -2 end
if t == 'string' then return -3 end
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return -1 end
local left = redis.call('hincrby', KEYS[1], ARGV[1], -1)
if left > 0 then return left end
redis.call('del', KEYS[1])
redis.call('publish', KEYS[3], 0)
local head = redis.call('lindex', KEYS[2], 0)
if head then redis.call('publish', KEYS[3] .. ':' .. head, 0) end
return 0
`;

/** Force release of a hash lock, only if the field the user was shown still holds it.
 *  KEYS: lock, queue, channel. ARGV: expected field, message (0 unlock, 1 read-unlock for RW write locks).
 *  Returns 1 released, 0 changed hands. */
export const FORCE_HASH = `
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('del', KEYS[1])
redis.call('publish', KEYS[3], ARGV[2])
local head = redis.call('lindex', KEYS[2], 0)
if head then redis.call('publish', KEYS[3] .. ':' .. head, 0) end
return 1
`;

/** Compare-and-delete of a plain SET NX lock. KEYS: key. ARGV: expected value. */
export const FORCE_STRING = `
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
`;
