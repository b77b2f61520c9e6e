import { isOpsError, OpsError } from '../../core/errors.js';
import type { ScopeEntry } from '../../core/registry.js';
import type { Scope, ScopeKind, ScopeModel } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { ListStop } from '../../core/types.js';
import { readDatacenters } from './answers.js';
import type { ConsulContext } from './context.js';

/**
 * Consul addresses services and KV by datacenter (`?dc=`; each has its own catalog, KV and Raft
 * index). The default is the profile's `datacenter`, else the datacenter of the agent opsdeck
 * talks to, which only that agent can say: it is read once from /v1/agent/self when a command
 * addresses one thing without --datacenter.
 */
export function consulScope(ctx: ConsulContext): ScopeModel {
  if (ctx.o.datacenter !== undefined) return { kinds: ['datacenter'], defaults: { datacenter: ctx.o.datacenter } };
  return {
    kinds: ['datacenter'],
    defaults: {},
    serverDefaults: async (): Promise<Scope> => ({ datacenter: (await ctx.http.agentSelf()).datacenter }),
  };
}

/** The datacenter a request reads: the one given, else the default (profile's or agent's). */
export async function datacenterOf(ctx: ConsulContext, scope: Scope): Promise<string> {
  return scope.datacenter ?? ctx.o.datacenter ?? (await ctx.http.agentSelf()).datacenter;
}

/** Every datacenter the cluster knows (the local one and those joined over the WAN), sorted. */
export async function listDatacenters(ctx: ConsulContext, signal?: AbortSignal): Promise<string[]> {
  const path = '/v1/catalog/datacenters';
  const { body } = await ctx.http.getJson({ path, ...(signal ? { signal } : {}) }, 'list its datacenters');
  return readDatacenters(ctx.http.shape(path), body);
}

export async function listScope(ctx: ConsulContext, kind: ScopeKind): Promise<ScopeEntry[]> {
  if (kind !== 'datacenter') throw new OpsError('unsupported', `${ctx.http.where} has no ${kind === 'prefix' ? 'prefixes' : `${kind}s`}`, 'Consul addresses services and keys by datacenter (namespaces and partitions are Consul Enterprise, which opsdeck does not speak)');
  return (await listDatacenters(ctx)).map((id) => ({ id, name: id, description: null }));
}

/**
 * Lists every datacenter (or the one in `scope`), each on its own: one that cannot be read (500 "No
 * path to datacenter", a WAN link down) is a note on an incomplete listing, not a failed one, unless
 * it is the only one asked or all of them failed. `list` gets the datacenter and what was listed so far.
 */
export async function eachDatacenter<T>(ctx: ConsulContext, scope: Scope, opts: ListOptions, list: (dc: string, sofar: number) => Promise<T[] | 'stop'>): Promise<T[]> {
  const dcs = scope.datacenter !== undefined ? [scope.datacenter] : await listDatacenters(ctx, opts.signal);
  const out: T[] = [];
  let first: OpsError | null = null;
  let failed = 0;
  for (const dc of dcs) {
    try {
      const rows = await list(dc, out.length);
      if (rows === 'stop') break;
      out.push(...rows);
    } catch (e) {
      if (dcs.length === 1 || opts.signal?.aborted || !isOpsError(e)) throw e;
      failed++;
      first ??= e;
      opts.onIncomplete?.(`datacenter ${dc} was left out: ${e.message}`, stopOf(e.kind));
    }
  }
  if (failed === dcs.length && first) throw first;
  return out;
}

function stopOf(kind: string): Exclude<ListStop, 'done'> {
  return kind === 'unreachable' || kind === 'timeout' || kind === 'unauthorized' ? kind : 'error';
}
