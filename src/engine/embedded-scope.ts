import { usage } from '../core/errors.js';
import { kindPlural, unknownKinds, withDefaults, type Scope, type ScopeModel } from '../core/scope.js';

/**
 * The embedded store addresses services and configs as Nacos does, by namespace and group, with
 * Nacos' defaults. This is the one place opsdeck writes them for the embedded backend: commands,
 * completion and the console read them from the backend's `scope`.
 */
export const EMBEDDED_SCOPE: ScopeModel = Object.freeze({
  kinds: Object.freeze(['namespace', 'group'] as const),
  defaults: Object.freeze({ namespace: 'public', group: 'DEFAULT_GROUP' }),
});

/** Refuses a scope kind the store does not have (a datacenter, a prefix). */
export function checkKinds(scope: Scope): void {
  const extra = unknownKinds(EMBEDDED_SCOPE, scope);
  if (extra.length > 0) throw usage(`the embedded backend has no ${extra.map(kindPlural).join(' or ')}`, 'it addresses services and configs by namespace and group');
}

/** The namespace and group a scope names, defaults filled in; a kind the store lacks is refused. */
export function placeOf(scope: Scope): { namespace: string; group: string } {
  checkKinds(scope);
  const full = withDefaults(EMBEDDED_SCOPE, scope);
  return { namespace: full.namespace!, group: full.group! };
}

