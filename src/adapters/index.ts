import type { OptionSchema } from './kit/options.js';
import type { Connect } from './types.js';

/** One backend type: its option schema (a small module) and the adapter, each loaded on first use. */
export interface AdapterEntry {
  options(): Promise<OptionSchema<unknown>>;
  connect(): Promise<Connect>;
}

/**
 * Adapter type → lazy loaders. Adapters are imported only when a profile uses them, which keeps
 * start-up fast and lets each adapter's client library stay unloaded until needed; the profile
 * loader imports only the option schemas of the types a file names, which load no client library.
 */
export const ADAPTERS: Readonly<Record<string, AdapterEntry>> = Object.freeze({
  embedded: {
    options: async () => (await import('./embedded/options.js')).EMBEDDED_OPTIONS,
    connect: async () => (await import('./embedded/index.js')).connect,
  },
  redis: {
    options: async () => (await import('./redis/options.js')).REDIS_OPTIONS,
    connect: async () => (await import('./redis/index.js')).connect,
  },
  prometheus: {
    options: async () => (await import('./prometheus/options.js')).PROM_OPTIONS,
    connect: async () => (await import('./prometheus/index.js')).connect,
  },
  thanos: {
    options: async () => (await import('./prometheus/options.js')).PROM_OPTIONS,
    connect: async () => (await import('./prometheus/index.js')).connect,
  },
  zookeeper: {
    options: async () => (await import('./zookeeper/options.js')).ZK_OPTIONS,
    connect: async () => (await import('./zookeeper/index.js')).connect,
  },
  etcd: {
    options: async () => (await import('./etcd/options.js')).ETCD_OPTIONS,
    connect: async () => (await import('./etcd/index.js')).connect,
  },
  postgres: {
    options: async () => (await import('./sql/options.js')).SQL_OPTIONS,
    connect: async () => (await import('./sql/index.js')).connect,
  },
  mysql: {
    options: async () => (await import('./sql/options.js')).SQL_OPTIONS,
    connect: async () => (await import('./sql/index.js')).connect,
  },
  'seata-db': {
    options: async () => (await import('./seata-db/options.js')).SEATA_DB_OPTIONS,
    connect: async () => (await import('./seata-db/index.js')).connect,
  },
  nacos: {
    options: async () => (await import('./nacos/options.js')).NACOS_OPTIONS,
    connect: async () => (await import('./nacos/index.js')).connect,
  },
  consul: {
    options: async () => (await import('./consul/options.js')).CONSUL_OPTIONS,
    connect: async () => (await import('./consul/index.js')).connect,
  },
  eureka: {
    options: async () => (await import('./eureka/options.js')).EUREKA_OPTIONS,
    connect: async () => (await import('./eureka/index.js')).connect,
  },
  istio: {
    options: async () => (await import('./istio/options.js')).ISTIO_OPTIONS,
    connect: async () => (await import('./istio/index.js')).connect,
  },
  'seata-console': {
    options: async () => (await import('./seata-console/options.js')).SEATA_CONSOLE_OPTIONS,
    connect: async () => (await import('./seata-console/index.js')).connect,
  },
});
