import type { ConfigType } from '../../core/types.js';

/** The demo data set: believable names, a few versions per config, and locks held by workers. */
/**
 * Namespaces are named only where they are not the backend's default one: the demo fills the
 * default namespace of whatever registry it is given (the embedded one's is `public`).
 */
export interface DemoInstance {
  namespace?: string;
  service: string;
  ip: string;
  port: number;
  weight: number;
  metadata: Record<string, string>;
  ephemeral: boolean;
  drained?: boolean;
}

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function fleet(namespace: string | undefined, service: string, subnet: number, count: number, port: number, version: string, ephemeral = false): DemoInstance[] {
  return Array.from({ length: count }, (_, i) => ({
    ...(namespace === undefined ? {} : { namespace }),
    service,
    ip: `10.${namespace === undefined ? 0 : 1}.${subnet}.${11 + i}`,
    port,
    weight: i === 0 ? 2 : 1,
    metadata: { version, zone: ZONES[i % ZONES.length]!, env: namespace === undefined ? 'prod' : namespace },
    ephemeral,
  }));
}

export const DEMO_INSTANCES: DemoInstance[] = [
  ...fleet(undefined, 'orders', 1, 5, 8080, '2.14.1'),
  ...fleet(undefined, 'payments', 2, 4, 8443, '5.3.0'),
  ...fleet(undefined, 'inventory', 3, 4, 8081, '1.9.7'),
  ...fleet(undefined, 'gateway', 4, 3, 9000, '0.31.2', true),
  ...fleet(undefined, 'notifications', 5, 2, 8090, '3.0.4'),
  ...fleet('staging', 'orders', 1, 2, 8080, '2.15.0-rc.2'),
  ...fleet('staging', 'payments', 2, 2, 8443, '5.4.0-rc.1'),
  ...fleet('staging', 'search', 6, 3, 9200, '8.11.3'),
].map((inst) => (inst.service === 'inventory' && inst.ip.endsWith('.14') ? { ...inst, drained: true } : inst));

export interface DemoConfig {
  namespace?: string;
  dataId: string;
  type: ConfigType;
  versions: string[];
}

export const DEMO_CONFIGS: DemoConfig[] = [
  {
    dataId: 'orders.yaml',
    type: 'yaml',
    versions: [
      'server:\n  port: 8080\ndb:\n  pool: 20\n  timeoutMs: 3000\n',
      'server:\n  port: 8080\ndb:\n  pool: 40\n  timeoutMs: 3000\n',
      'server:\n  port: 8080\ndb:\n  pool: 40\n  timeoutMs: 1500\nretry:\n  attempts: 3\n',
    ],
  },
  {
    dataId: 'payments.properties',
    type: 'properties',
    versions: ['psp.primary=adyen\npsp.timeout.ms=4000\n', 'psp.primary=adyen\npsp.fallback=stripe\npsp.timeout.ms=2500\n'],
  },
  {
    dataId: 'gateway-routes.json',
    type: 'json',
    versions: [
      '{\n  "routes": [\n    {"path": "/api/orders", "service": "orders"}\n  ]\n}\n',
      '{\n  "routes": [\n    {"path": "/api/orders", "service": "orders"},\n    {"path": "/api/pay", "service": "payments"}\n  ]\n}\n',
    ],
  },
  {
    dataId: 'feature-flags.properties',
    type: 'properties',
    versions: ['checkout.v2=false\n', 'checkout.v2=true\nsearch.semantic=false\n', 'checkout.v2=false\nsearch.semantic=false\n', 'checkout.v2=true\nsearch.semantic=true\n'],
  },
  { namespace: 'staging', dataId: 'orders.yaml', type: 'yaml', versions: ['server:\n  port: 8080\ndb:\n  pool: 10\n', 'server:\n  port: 8080\ndb:\n  pool: 10\ntracing: true\n'] },
];

export interface DemoLock {
  name: string;
  owner: string;
  ttlMs: number;
  holds: number;
}

export const DEMO_LOCKS: DemoLock[] = [
  { name: 'billing/nightly-settlement', owner: 'settlement-worker-2@10.0.2.12', ttlMs: 3_600_000, holds: 1 },
  { name: 'deploy/orders', owner: 'alice@ops-laptop', ttlMs: 900_000, holds: 1 },
  { name: 'inventory/reindex', owner: 'reindexer-0@10.0.3.11', ttlMs: 600_000, holds: 2 },
  { name: 'orders/outbox-relay', owner: 'orders-7f9c@10.0.1.13', ttlMs: 30_000_000, holds: 1 },
];
