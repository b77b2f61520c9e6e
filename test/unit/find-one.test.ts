import { describe, expect, it } from 'vitest';
import { requireCapability } from '../../src/commands/capability.js';
import { ifMatchOf } from '../../src/commands/config/cas.js';
import { findOne, type ScopedBackend } from '../../src/commands/find-one.js';
import { askScoped } from '../../src/commands/list-scoped.js';
import { coverageOf, listingExitCode, settleListing } from '../../src/commands/listing.js';
import type { ConfigBackend } from '../../src/core/config-center.js';
import { notFound, OpsError } from '../../src/core/errors.js';
import type { Scope, ScopeModel } from '../../src/core/scope.js';

/** Backends as findOne and the listings see them: a name, a scope model, and what they hold. */
const NACOS: ScopeModel = { kinds: ['namespace', 'group'], defaults: { namespace: 'public', group: 'DEFAULT_GROUP' } };
const FLAT: ScopeModel = { kinds: [], defaults: {} };
const backend = (name: string, scope: ScopeModel, holds: string[] | Error): ScopedBackend & { holds: string[] | Error } => ({ name, scope, holds });
const pool = (...bs: Array<ReturnType<typeof backend>>) => bs.map((b) => ({ name: b.name, open: async () => b }));
const find = (given: Scope, ...bs: Array<ReturnType<typeof backend>>) =>
  findOne({
    noun: 'registry',
    pool: pool(...bs),
    given,
    what: 'service orders',
    listHint: 'run "opsdeck services list"',
    lookup: async (b, scope) => {
      if (b.holds instanceof Error) throw b.holds;
      if (!b.holds.includes('orders')) throw notFound(`service orders not found in ${JSON.stringify(scope)}`);
      return { on: b.name, scope };
    },
  });

describe('findOne: the backend that holds one service or config', () => {
  it('a scope kind the only backend lacks is a usage error naming it ("eureka has no namespaces")', async () => {
    const err = (await find({ namespace: 'dev' }, backend('eureka', FLAT, ['orders'])).catch((e: unknown) => e)) as OpsError;
    expect(err).toMatchObject({ kind: 'usage', message: 'registry backend eureka has no namespaces', hint: 'eureka addresses things by name alone: drop --namespace' });
  });

  it('among several, a backend that lacks the kind is left out, and the defaults are each backend\'s own', async () => {
    const got = await find({ group: 'G' }, backend('eureka', FLAT, ['orders']), backend('nacos', NACOS, ['orders']));
    expect(got.found).toEqual({ on: 'nacos', scope: { namespace: 'public', group: 'G' } });
    expect(got.scope).toEqual({ namespace: 'public', group: 'G' });
  });

  it('found nowhere while another backend failed is that failure; found on one, the failure does not matter', async () => {
    const down = new OpsError('unreachable', 'nacos at http://n is unreachable');
    await expect(find({}, backend('eureka', FLAT, []), backend('nacos', NACOS, down))).rejects.toBe(down);
    expect((await find({}, backend('eureka', FLAT, ['orders']), backend('nacos', NACOS, down))).found).toMatchObject({ on: 'eureka' });
  });
});

describe('compare-and-set tokens', () => {
  const etcd = { name: 'etcd', tokenName: 'mod_revision' } as ConfigBackend;
  const nacos = { name: 'nacos', tokenName: 'md5' } as ConfigBackend;
  it('--if-md5 is --if-match only where the token is the md5; elsewhere it points at --if-match', () => {
    expect(ifMatchOf({ 'if-md5': 'abc' }, nacos)).toBe('abc');
    expect(ifMatchOf({ 'if-match': '42' }, etcd)).toBe('42');
    expect(() => ifMatchOf({ 'if-md5': 'abc' }, etcd)).toThrow(/--if-md5 does not apply to config backend etcd: its compare-and-set token is the mod_revision, not the md5/);
  });

  it('a missing capability names the backend and what it cannot do', () => {
    expect(() => requireCapability({ name: 'eureka' } as { name: string; setWeight?: () => void }, 'setWeight', 'set weights')).toThrow('backend eureka cannot set weights');
  });
});

describe('listings over several backends', () => {
  it('a backend that is down is its own incomplete part, and the listing exits 3', async () => {
    const parts = await askScoped({
      noun: 'registry',
      pool: pool(backend('local', NACOS, ['orders']), backend('remote', NACOS, new OpsError('unreachable', 'remote is unreachable'))),
      given: {},
      list: async (b) => {
        if (b.holds instanceof Error) throw b.holds;
        return b.holds;
      },
    });
    const coverage = coverageOf(parts);
    expect(coverage).toEqual({
      complete: false,
      stoppedBy: 'unreachable',
      backends: [
        { backend: 'local', complete: true, stoppedBy: 'done', error: null },
        { backend: 'remote', complete: false, stoppedBy: 'unreachable', error: 'remote is unreachable' },
      ],
    });
    expect(parts.flatMap((p) => p.items)).toEqual(['orders']);
    expect(listingExitCode(coverage)).toBe(3);
  });

  it("a backend's warning about its state stays with its part, in the coverage and as one warning line per backend, without making the listing incomplete", async () => {
    const parts = await askScoped({
      noun: 'registry',
      pool: pool(backend('eureka', FLAT, ['ORDERS']), backend('local', NACOS, ['orders'])),
      given: {},
      list: async (b, _stopped, _name, warn) => {
        if (b.name === 'eureka') {
          warn('self-preservation is most likely on');
          warn('self-preservation is most likely on');
        }
        return b.holds as string[];
      },
    });
    const warned: string[] = [];
    const settled = settleListing({ signal: new AbortController().signal, warn: (m) => warned.push(m) }, parts, 'registry backend', '--filter');
    expect(settled.coverage).toEqual({
      complete: true,
      stoppedBy: 'done',
      backends: [
        { backend: 'eureka', complete: true, stoppedBy: 'done', error: null, warnings: ['self-preservation is most likely on'] },
        { backend: 'local', complete: true, stoppedBy: 'done', error: null },
      ],
    });
    expect(warned).toEqual(['eureka: self-preservation is most likely on']);
    expect(listingExitCode(settled.coverage)).toBe(0);
  });

  it('a scope kind no backend has is a usage error; one that only some lack leaves those out', async () => {
    const list = (...bs: Array<ReturnType<typeof backend>>) => askScoped({ noun: 'registry', pool: pool(...bs), given: { namespace: 'dev' }, list: async (b) => b.holds as string[] });
    await expect(list(backend('eureka', FLAT, ['x']))).rejects.toThrow('registry backend eureka has no namespaces');
    expect((await list(backend('eureka', FLAT, ['x']), backend('nacos', NACOS, ['y']))).flatMap((p) => p.items)).toEqual(['y']);
  });
});
