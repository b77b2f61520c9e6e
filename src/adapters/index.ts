import type { Connect } from './types.js';

/**
 * Adapter type → lazy loader. Adapters are imported only when a profile uses them, which keeps
 * start-up fast and lets each adapter's client library stay unloaded until needed.
 */
export const ADAPTERS: Readonly<Record<string, () => Promise<Connect>>> = Object.freeze({
  embedded: async () => (await import('./embedded/index.js')).connect,
  redis: async () => (await import('./redis/index.js')).connect,
  prometheus: async () => (await import('./prometheus/index.js')).connect,
  thanos: async () => (await import('./prometheus/index.js')).connect,
  zookeeper: async () => (await import('./zookeeper/index.js')).connect,
  etcd: async () => (await import('./etcd/index.js')).connect,
  postgres: async () => (await import('./sql/index.js')).connect,
  mysql: async () => (await import('./sql/index.js')).connect,
  'seata-db': async () => (await import('./seata-db/index.js')).connect,
  'seata-console': async () => (await import('./seata-console/index.js')).connect,
});

export function adapterTypes(): string[] {
  return Object.keys(ADAPTERS);
}
