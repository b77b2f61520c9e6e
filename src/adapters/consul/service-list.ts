import { OpsError } from '../../core/errors.js';
import type { ServiceSummary } from '../../core/registry.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import { readCatalogServices } from './answers.js';
import { anonymousDenied, filteredByAcls } from './consul-http.js';
import type { ConsulContext } from './context.js';
import { eachDatacenter } from './datacenters.js';
import { instanceOf } from './health.js';
import { readServiceHealth } from './service-read.js';

/**
 * Services with their counts. Consul's catalog lists names only, so each service's health is read
 * (at most `concurrency` at once) for its instance, passing and drained counts. Without
 * --datacenter every datacenter is listed, each on its own: one that cannot be reached (500 "No
 * path to datacenter", a WAN link down) is a note on an incomplete listing, not a failed one.
 */
export function listServices(ctx: ConsulContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ServiceSummary[]> {
  let seen = 0;
  return eachDatacenter(ctx, filter.scope, opts, (dc) => listDatacenter(ctx, dc, filter.text, opts, (n) => opts.onProgress?.((seen += n))));
}

async function listDatacenter(ctx: ConsulContext, dc: string, text: string | undefined, opts: ListOptions, progress: (n: number) => void): Promise<ServiceSummary[]> {
  const path = '/v1/catalog/services';
  const { body, reply } = await ctx.http.getJson({ path, query: { dc }, ...(opts.signal ? { signal: opts.signal } : {}) }, 'list its services');
  if (filteredByAcls(reply)) opts.onIncomplete?.(`Consul left services of datacenter ${dc} out that the ACL token may not read`, 'unauthorized');
  else if (anonymousDenied(ctx.http, reply)) opts.onIncomplete?.(`the profile has no ACL token and Consul denies by default, so datacenter ${dc} shows only what anonymous requests may read`, 'unauthorized');
  const needle = text?.toLowerCase();
  let names = [...readCatalogServices(ctx.http.shape(path), body).keys()].filter((n) => needle === undefined || n.toLowerCase().includes(needle)).sort();
  if (names.length > ctx.o.maxServices) {
    opts.onIncomplete?.(`datacenter ${dc} has ${names.length} services; the first ${ctx.o.maxServices} are listed (maxServices)`, 'limit');
    names = names.slice(0, ctx.o.maxServices);
  }
  const rows = await mapLimited(names, ctx.o.concurrency, opts.signal, async (name): Promise<ServiceSummary | null> => {
    const read = await readServiceHealth(ctx, name, dc, opts.signal ? { signal: opts.signal } : {});
    progress(1);
    // Gone between the two reads: not a service any more.
    if (read.entries.length === 0) return null;
    const instances = read.entries.map(instanceOf);
    return { backend: ctx.o.name, datacenter: dc, name, instances: instances.length, healthy: instances.filter((i) => i.health === 'passing').length, disabled: instances.filter((i) => i.traffic === 'disabled').length };
  });
  return rows.filter((r): r is ServiceSummary => r !== null);
}

/** `fn` over the items, at most `limit` at once, in the items' order; the first failure stops the rest. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, signal: AbortSignal | undefined, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      if (signal?.aborted) throw new OpsError('failed', 'the listing was cancelled');
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
