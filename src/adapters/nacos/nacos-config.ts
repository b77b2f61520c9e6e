import type { ConfigBackend } from '../../core/config-center.js';
import { getBeta, publishBeta, stopBeta } from './beta.js';
import { listConfigs } from './config-list.js';
import { deleteConfig, getConfig, setConfig } from './config-store.js';
import { withSignal, type NacosContext } from './context.js';
import { history, versionContent } from './history.js';
import { listeners, watch } from './listener.js';
import { NACOS_SCOPE } from './namespaces.js';

/**
 * Nacos as a config centre: the md5 is the compare-and-set token (sent as the `casMd5` header),
 * history rows say which content they hold, and watch, listeners and beta releases are Nacos' own.
 */
export function nacosConfig(ctx: NacosContext): ConfigBackend {
  return {
    name: ctx.o.name,
    scope: NACOS_SCOPE,
    tokenName: 'md5',
    list: (filter, opts) => listConfigs(ctx, filter, opts),
    get: (ref) => getConfig(ctx, ref),
    set: (ref, content, type, opts) => setConfig(withSignal(ctx, opts.signal), ref, content, type, opts),
    delete: (ref, opts) => deleteConfig(withSignal(ctx, opts.signal), ref, opts),
    history: (ref) => history(ctx, ref),
    versionContent: (ref, id) => versionContent(ctx, ref, id),
    watch: (ref, signal) => watch(ctx, ref, signal),
    listeners: (ref) => listeners(ctx, ref),
    publishBeta: (ref, content, type, ips, o) => publishBeta(withSignal(ctx, o?.signal), ref, content, type, ips),
    getBeta: (ref) => getBeta(ctx, ref),
    stopBeta: (ref, o) => stopBeta(withSignal(ctx, o?.signal), ref),
  };
}
