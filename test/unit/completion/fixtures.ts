import { vi } from 'vitest';
import type { CompletionData, InstanceChoice, InstanceQuery } from '../../../src/shell/completion/types.js';

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
  // orders-api is cached in its default scope (the registry's id is the address, as in the embedded
  // store) and in namespace staging (Nacos-like ids, with the address as description).
  const addressed = (ids: string[]): InstanceChoice[] => ids.map((id) => ({ id, address: id }));
  const instances: Record<string, InstanceChoice[]> = {
    '["orders-api",{}]': addressed(['10.0.0.5:8080', '10.0.0.6:8080', '10.0.1.7:9090']),
    '["orders-api",{"namespace":"staging"}]': [{ id: '10.2.0.9#8080#DEFAULT#DEFAULT_GROUP@@orders-api', address: '10.2.0.9:8080' }],
  };
  const keyOf = (q: InstanceQuery) => JSON.stringify([q.service, q.scope]);
  const want = vi.fn<(what: { kind: 'instances' } & InstanceQuery) => void>();
  const data: CompletionData = {
    services: () => lists.services,
    instances: (q) => instances[keyOf(q)],
    configIds: () => lists.configIds,
    locks: () => lists.locks,
    profiles: () => lists.profiles,
    namespaces: () => lists.namespaces,
    groups: () => lists.groups,
    want,
  };
  return { data, want, lists };
}
