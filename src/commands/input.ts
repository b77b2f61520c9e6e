import type { Scope, ScopeKind } from '../core/scope.js';
import { stringOpt } from './option-types.js';
import type { OptionDef } from './types.js';

/**
 * Options several commands share, declared once. Scope options carry no default: what a command
 * uses for a scope it was not given is the backend's own (its `ScopeModel`), so Nacos' `public`
 * and `DEFAULT_GROUP` live in the adapters that have them, not here.
 */

function scoped(kind: ScopeKind, o: OptionDef<string | undefined>): OptionDef<string | undefined> {
  return { ...o, scope: kind };
}

/** --namespace and --group of a command that addresses one service or config. */
export const SCOPE_OPTIONS = {
  namespace: scoped('namespace', stringOpt({ value: 'ns', summary: "namespace (default: the backend's)", complete: 'namespace' })),
  group: scoped('group', stringOpt({ value: 'group', summary: "group (default: the backend's)", complete: 'group' })),
  datacenter: scoped('datacenter', stringOpt({ value: 'dc', summary: "datacenter (default: the backend's, e.g. the Consul agent's own)", complete: 'datacenter' })),
  prefix: scoped('prefix', stringOpt({ value: 'path', summary: 'path or key prefix: a ZooKeeper root such as /services, an etcd registry prefix (default: wherever the name is found)' })),
};

/** --namespace and --group of a listing: they narrow it; absent, it covers all. */
export const SCOPE_FILTERS = {
  namespace: scoped('namespace', stringOpt({ value: 'ns', summary: 'only this namespace (default: all)', complete: 'namespace' })),
  group: scoped('group', stringOpt({ value: 'group', summary: 'only this group (default: all)', complete: 'group' })),
  datacenter: scoped('datacenter', stringOpt({ value: 'dc', summary: 'only this datacenter (default: all)', complete: 'datacenter' })),
  prefix: scoped('prefix', stringOpt({ value: 'path', summary: 'only this path or key prefix (ZooKeeper roots, etcd registry prefixes; default: all)' })),
};

export const REGISTRY_BACKEND = stringOpt({ value: 'name', summary: 'which registry of the profile (default: the one that has the service)' });
export const CONFIG_BACKEND = stringOpt({ value: 'name', summary: 'which config backend of the profile (default: the one that has the config)' });
export const LIST_BACKEND = stringOpt({ value: 'name', summary: 'ask only this backend of the profile (default: all)' });

/** What narrows a listing of services or configs. */
export interface ListFilter {
  backend?: string | undefined;
  namespace?: string | undefined;
  group?: string | undefined;
  datacenter?: string | undefined;
  prefix?: string | undefined;
  filter?: string | undefined;
}

/** The scope kinds given on the line, and only those. */
export function givenScope(opts: ScopeOpts): Scope {
  const out: Scope = {};
  for (const k of Object.keys(SCOPE_OPTIONS) as Array<keyof ScopeOpts>) {
    const v = opts[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** The scope options as a command reads them. */
export type ScopeOpts = { [K in keyof typeof SCOPE_OPTIONS]?: string | undefined };

/** The flags of the scope kinds a backend has, for hints ("--namespace/--group"). */
export function scopeFlags(kinds: readonly ScopeKind[]): string {
  return kinds.filter((k) => k in SCOPE_OPTIONS).map((k) => `--${k}`).join('/');
}
