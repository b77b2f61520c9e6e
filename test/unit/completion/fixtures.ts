import { vi } from 'vitest';
import type { CompletionData } from '../../../src/shell/completion/types.js';

/** A small live-data snapshot; instances are cached for orders-api only. */
export function fakeData(overrides: Partial<Record<'services' | 'configIds' | 'locks' | 'profiles' | 'namespaces' | 'groups', string[]>> = {}) {
  const lists = {
    services: ['orders-api', 'orders-worker', 'payments-refund-api', 'payments-gateway', 'inventory', 'order', 'shipping-orders-sync', 'reorder-svc'],
    configIds: ['orders.yaml', 'payments.yaml', 'feature.flags', 'my config.yaml', "it's.json"],
    locks: ['deploy/orders', 'billing/nightly-settlement', 'inventory/reindex'],
    profiles: ['dev', 'prod', 'staging'],
    namespaces: ['public', 'payments-ns'],
    groups: ['DEFAULT_GROUP', 'BATCH'],
    ...overrides,
  };
  const instances: Record<string, string[]> = { 'orders-api': ['10.0.0.5:8080', '10.0.0.6:8080', '10.0.1.7:9090'] };
  const want = vi.fn<(what: { kind: 'instances'; service: string }) => void>();
  const data: CompletionData = {
    services: () => lists.services,
    instances: (service) => instances[service],
    configIds: () => lists.configIds,
    locks: () => lists.locks,
    profiles: () => lists.profiles,
    namespaces: () => lists.namespaces,
    groups: () => lists.groups,
    want,
  };
  return { data, want, lists };
}
