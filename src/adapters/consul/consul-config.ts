import type { ConfigBackend } from '../../core/config-center.js';
import { configChanges } from './changes.js';
import { signalled, type ConsulContext } from './context.js';
import { consulScope } from './datacenters.js';
import { deleteConfig, getConfig, listConfigs, setConfig } from './kv.js';
import { watchKey } from './kv-watch.js';

/**
 * Consul KV as a config centre: the key's ModifyIndex is the compare-and-set token (`0`: only if
 * absent), watch is a blocking query. Consul KV keeps no history, so there is no `history` (and no
 * diff between versions or rollback), nor listeners or beta releases.
 */
export function consulConfig(ctx: ConsulContext): ConfigBackend {
  return {
    name: ctx.o.name,
    scope: consulScope(ctx),
    tokenName: 'ModifyIndex',
    list: (filter, opts) => listConfigs(ctx, filter, opts),
    get: (ref) => getConfig(ctx, ref),
    set: (ref, content, type, opts) => setConfig(signalled(ctx, opts), ref, content, type, opts),
    delete: (ref, opts) => deleteConfig(signalled(ctx, opts), ref, opts),
    watch: (ref, signal) => watchKey(ctx, ref, signal),
    changes: (filter, signal) => configChanges(ctx, filter, signal),
  };
}
