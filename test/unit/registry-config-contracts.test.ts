import { describe, expect, it } from 'vitest';
import { contentAfter, type ConfigVersion } from '../../src/core/config-center.js';
import { matchInstance, type InstanceView } from '../../src/core/registry.js';
import { describeScope, unknownKinds, withDefaults } from '../../src/core/scope.js';

const row = (id: string, op: ConfigVersion['op'], contentIs: ConfigVersion['contentIs']): ConfigVersion => ({ id, version: null, op, at: null, md5: null, by: null, from: null, contentIs });

describe('contentAfter: what a config held right after a change, whatever a history row keeps', () => {
  // Contents a Nacos-like history holds: create rows hold the created text, update/delete rows the text before them.
  const stored: Record<string, string> = { c1: 'v1', u2: 'v1', u3: 'v2', d4: 'v3', c5: 'w1', u6: 'w1' };
  const read = async (id: string) => stored[id] ?? null;
  const current = async () => 'w2';
  // Newest first: create v1, update to v2, update to v3, delete, create w1, update to w2 (current).
  const nacos = [row('u6', 'update', 'before'), row('c5', 'create', 'after'), row('d4', 'delete', 'before'), row('u3', 'update', 'before'), row('u2', 'update', 'before'), row('c1', 'create', 'after')];

  it.each([
    ['c1', 'v1'],
    ['u2', 'v2'],
    ['u3', 'v3'],
    ['d4', null],
    ['c5', 'w1'],
    ['u6', 'w2'],
  ])('after %s: %s', async (id, want) => {
    expect(await contentAfter(nacos, nacos.find((h) => h.id === id)!, read, current)).toBe(want);
  });

  it('an "after" history (the embedded store) is read as it is', async () => {
    const embedded = [row('3', 'update', 'after'), row('2', 'update', 'after'), row('1', 'create', 'after')];
    expect(await contentAfter(embedded, embedded[1]!, async (id) => `content ${id}`, current)).toBe('content 2');
  });
});

const inst = (id: string, ip: string, port: number): InstanceView => ({ id, ip, port, health: 'passing', traffic: 'enabled', status: null, statusOverride: null, weight: 1, ephemeral: true, cluster: null, metadata: {}, tags: [], urls: {}, lastHeartbeat: null, lease: null, healthy: true, enabled: true });

describe('matchInstance: the backend id, or an IP:PORT alias that names one instance', () => {
  const detail = { instances: [inst('10.0.0.1#80#a#G@@s', '10.0.0.1', 80), inst('10.0.0.1#80#b#G@@s', '10.0.0.1', 80), inst('10.0.0.2#80#a#G@@s', '10.0.0.2', 80)] };
  it('finds by id, by an unambiguous address, and lists the candidates of an ambiguous one', () => {
    expect(matchInstance(detail, '10.0.0.1#80#b#G@@s')).toEqual({ kind: 'found', instance: detail.instances[1] });
    expect(matchInstance(detail, '10.0.0.2:80')).toEqual({ kind: 'found', instance: detail.instances[2] });
    expect(matchInstance(detail, '10.0.0.1:80')).toEqual({ kind: 'ambiguous', candidates: detail.instances.slice(0, 2) });
    expect(matchInstance(detail, '10.0.0.9:80')).toEqual({ kind: 'none' });
  });
});

describe('scopes', () => {
  const nacos = { kinds: ['namespace', 'group'] as const, defaults: { namespace: 'public', group: 'DEFAULT_GROUP' } };
  it('fills what was not given from the backend\'s defaults, refuses kinds it lacks, and says a scope in words', () => {
    expect(withDefaults(nacos, { group: 'g' })).toEqual({ namespace: 'public', group: 'g' });
    expect(unknownKinds({ kinds: [], defaults: {} }, { namespace: 'x' })).toEqual(['namespace']);
    expect(unknownKinds(nacos, { namespace: 'x' })).toEqual([]);
    expect(describeScope({ namespace: 'public', group: 'G' })).toBe('namespace public, group G');
  });
});
