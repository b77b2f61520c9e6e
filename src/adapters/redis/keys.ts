/**
 * Redisson's companion keys wrap the lock name in a hash tag, so in a cluster they live in the lock
 * key's slot and one Lua script can touch them all.
 */
export const companion = {
  queue: (name: string) => `redisson_lock_queue:{${name}}`,
  timeout: (name: string) => `redisson_lock_timeout:{${name}}`,
  token: (name: string) => `redisson_lock_token:{${name}}`,
  channel: (name: string) => `redisson_lock__channel:{${name}}`,
  rwChannel: (name: string) => `redisson_rwlock:{${name}}`,
  permitTimeout: (name: string) => `{${name}}:timeout`,
};

/** Keys that belong to a lock rather than being one; listing skips them. */
export function isCompanionKey(key: string): boolean {
  return /^redisson_(lock_queue|lock_timeout|lock_token|unlock_latch|lock__channel|rwlock):/.test(key) || /:rwlock_timeout:\d+$/.test(key) || /^\{.*\}:timeout$/.test(key);
}
