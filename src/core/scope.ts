/**
 * Where a service or a config lives, in the words of the backend that holds it. Registries and
 * config centres address things differently: Nacos by namespace and group, Eureka by the app
 * alone, Consul by datacenter, ZooKeeper and etcd by a path prefix. A backend declares which of
 * these it has (`ScopeModel`); commands, completion and panes offer only those, and the defaults
 * (Nacos' `public` and `DEFAULT_GROUP`) live in the backend, nowhere else.
 */
export type ScopeKind = 'namespace' | 'group' | 'datacenter' | 'prefix';

export const SCOPE_KINDS: readonly ScopeKind[] = ['namespace', 'group', 'datacenter', 'prefix'];

/** Values for some scope kinds; a kind the backend does not have is absent. */
export type Scope = Partial<Record<ScopeKind, string>>;

export interface ScopeModel {
  /** The kinds that address a service or a config, outermost first. Empty: one flat space (Eureka). */
  readonly kinds: readonly ScopeKind[];
  /** What a command addressing one service or config uses for a kind it was not given. */
  readonly defaults: Scope;
  /**
   * Defaults only the server knows (Consul: the datacenter of the agent opsdeck talks to, read
   * from its /v1/agent/self). Asked by `resolveScope` when a kind was neither given nor has a
   * default in `defaults`; the backend caches the answer.
   */
  serverDefaults?(): Promise<Scope>;
}

/**
 * The full scope for addressing one thing: what the user gave, the backend's defaults for the
 * rest. A kind the backend does not have is refused by the caller before this (see `unknownKinds`).
 */
export function withDefaults(model: ScopeModel, given: Scope): Scope {
  const out: Scope = {};
  for (const k of model.kinds) {
    const v = given[k] ?? model.defaults[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * `withDefaults`, then the server's defaults for the kinds still missing (asked only then), so a
 * command's answer names the datacenter it read even when the user gave none.
 */
export async function resolveScope(model: ScopeModel, given: Scope): Promise<Scope> {
  const scope = withDefaults(model, given);
  if (!model.serverDefaults || model.kinds.every((k) => scope[k] !== undefined)) return scope;
  return withDefaults(model, { ...(await model.serverDefaults()), ...scope });
}

/** The kinds in `given` that the backend does not have (a `--namespace` aimed at Eureka). */
export function unknownKinds(model: ScopeModel, given: Scope): ScopeKind[] {
  return SCOPE_KINDS.filter((k) => given[k] !== undefined && !model.kinds.includes(k));
}

/** "namespace public, group DEFAULT_GROUP", for messages; '' for a flat backend. */
export function describeScope(scope: Scope): string {
  return SCOPE_KINDS.filter((k) => scope[k] !== undefined)
    .map((k) => `${k} ${scope[k]}`)
    .join(', ');
}

/** "namespaces", "prefixes": for messages such as "eureka has no namespaces". */
export function kindPlural(kind: ScopeKind): string {
  return kind === 'prefix' ? 'prefixes' : `${kind}s`;
}
