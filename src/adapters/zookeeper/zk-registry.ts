import { refuseIfAborted } from '../kit/with-signal.js';
import { OpsError } from '../../core/errors.js';
import type { RegisterRequest, RegistryBackend, ScopeEntry, ServiceRef, ServiceSummary, WriteOptions } from '../../core/registry.js';
import type { Scope, ScopeKind, ScopeModel } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import { DUBBO_RESERVED, safeDecode } from './registry-layouts.js';
import { detailOf, getService, inSlices, readService, rootsFor, rootsOf, type ZkRegistryContext } from './zk-registry-read.js';
import { registryChanges } from './zk-registry-changes.js';
import { deregister, deregisterWarning, register, setTraffic, updateMetadata } from './zk-registry-write.js';
import { guarded } from './zk-client.js';

/**
 * ZooKeeper as a registry. The scope kind is `prefix`, one of the profile's roots; without one a
 * command looks in every root. No weights (none of the layouts opsdeck writes has one), no
 * heartbeats (an ephemeral node lives by its application's session, not by opsdeck's calls).
 * Panes get push from ZooKeeper watches (`changes`).
 */
export function zkRegistry(ctx: ZkRegistryContext): RegistryBackend {
  const scope: ScopeModel = Object.freeze({ kinds: Object.freeze(['prefix'] as const), defaults: Object.freeze({}) });
  const guard = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => guarded(ctx.o.connect, fn);
  return {
    name: ctx.o.name,
    scope,
    // Sessions, not TTLs: an ephemeral node lives as long as the session of the client that made it.
    leaseTtl: 'server',
    listServices: guard((filter: { scope: Scope; text?: string }, opts?: ListOptions) => listServices(ctx, filter, opts)),
    getService: guard((ref) => getService(ctx, ref)),
    listScope: guard(async (kind: ScopeKind): Promise<ScopeEntry[]> => {
      if (kind !== 'prefix') throw new OpsError('unsupported', `ZooKeeper has no ${kind}s`, 'a ZooKeeper registry is addressed by path prefix (--prefix)');
      return rootsOf(ctx.o).map((r) => ({ id: r.prefix, name: r.prefix, description: r.kind === 'services' ? 'Spring Cloud Zookeeper and Dubbo application level' : r.kind === 'dubbo' ? 'Dubbo interface level' : 'curator-x-discovery' }));
    }),
    register: guard(async (ref: ServiceRef, req: RegisterRequest, opts?: WriteOptions) => (refuseIfAborted(opts?.signal, 'the registration'), register(ctx, ref, req))),
    deregister: guard((ref, id) => deregister(ctx, ref, id)),
    deregisterWarning,
    setTraffic: guard((ref, id, traffic) => setTraffic(ctx, ref, id, traffic)),
    updateMetadata: guard((ref, id, change) => updateMetadata(ctx, ref, id, change)),
    changes: (target, signal) => registryChanges(ctx, target, signal),
  };
}

/**
 * Every service under the roots the scope names, each read for its instances and counts.
 * Bounded by `maxNodes` instance nodes in all and `listTimeMs`; a listing cut short says so.
 */
async function listServices(ctx: ZkRegistryContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ServiceSummary[]> {
  const s = await ctx.session();
  const needle = filter.text?.toLowerCase();
  const deadline = Date.now() + ctx.o.listTimeMs;
  let nodes = 0;
  const out: ServiceSummary[] = [];
  for (const root of rootsFor(ctx.o, filter.scope)) {
    const kids = ((await s.children(root.prefix)) ?? []).filter((c) => root.kind !== 'dubbo' || !DUBBO_RESERVED.has(c));
    const wanted = kids.filter((c) => needle === undefined || safeDecode(c).toLowerCase().includes(needle)).sort();
    for (let i = 0; i < wanted.length; i += 16) {
      if (opts.signal?.aborted) throw new OpsError('failed', 'the listing was cancelled');
      if (nodes >= ctx.o.maxNodes || Date.now() > deadline) {
        opts.onIncomplete?.(`stopped after ${nodes} instance nodes (maxNodes ${ctx.o.maxNodes}, listTimeMs ${ctx.o.listTimeMs}); ${wanted.length - i} services under ${root.prefix} were not read`, 'limit');
        return out;
      }
      const reads = await inSlices(wanted.slice(i, i + 16), (c) => readService(s, root, c), 16);
      for (const read of reads) {
        if (!read || read.instances.length === 0) continue;
        nodes += read.instances.length;
        const d = await detailOf(ctx, s, read, false);
        out.push({
          backend: ctx.o.name,
          prefix: root.prefix,
          name: read.name,
          ...(d.layout ? { layout: d.layout } : {}),
          instances: d.instances.length,
          healthy: d.instances.filter((x) => x.health === 'passing').length,
          disabled: d.instances.filter((x) => x.traffic === 'disabled').length,
        });
      }
      opts.onProgress?.(out.length);
    }
  }
  return out;
}
