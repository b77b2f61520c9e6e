import type { Scope, ScopeKind } from '../../core/scope.js';

/** One thing the console can offer at the cursor. */
export interface Candidate {
  value: string;
  description: string;
  kind: 'command' | 'flag' | 'value' | 'history';
  /** Exact text for [from, to), already quoted for the line, and where the cursor goes in it (PromQL inside a quoted word). */
  insert?: { text: string; cursor: number };
}

export interface CompletionResult {
  /** The span of the line the chosen candidate replaces (the partial word under the cursor). */
  from: number;
  to: number;
  /** Ranked best first, at most `limit`. */
  items: Candidate[];
  /** What to show dimmed after the cursor: the rest of the best candidate when it extends the typed prefix, else ''. */
  hint: string;
  /** A syntax problem in the argument being typed (PromQL), one line, for display near the prompt. */
  problem?: string;
  /**
   * The names this position needs are still being fetched: the menu says `loading…` and nothing
   * is inserted on its own (a lone early match is not the answer the user is waiting for).
   */
  loading?: boolean;
}

/** The instances completion wants: those of `service` in the scope and registry the line names. */
export interface InstanceQuery {
  service: string;
  /** The scope kinds given on the line (`--namespace staging`); the registry's defaults fill the rest, as the command does. */
  scope: Scope;
  /** `--backend` on the line. */
  backend?: string;
}

/** Names narrowed to a scope (`--namespace staging` on the line, or the console's namespace) and a backend. */
export interface ScopeQuery {
  /** The kinds given; a kind not given is not narrowed (a listing of every namespace). */
  scope: Scope;
  backend?: string;
}

/** One instance candidate: the registry's id (what is inserted) and its address (its description). */
export interface InstanceChoice {
  id: string;
  address: string;
}

/** A synchronous snapshot of live data the console cached in the background. Never blocks. */
export interface CompletionData {
  /** Service names (deduplicated across namespaces). */
  services(): readonly string[];
  /** The instances a query names; undefined means not loaded yet. */
  instances(q: InstanceQuery): readonly InstanceChoice[] | undefined;
  configIds(): readonly string[];
  /**
   * Service names and config ids in a scope (the same array for the same query while the data is
   * unchanged, so its index is built once); absent: completion offers every name.
   */
  servicesIn?(q: ScopeQuery): readonly string[];
  configIdsIn?(q: ScopeQuery): readonly string[];
  locks(): readonly string[];
  profiles(): readonly string[];
  namespaces(): readonly string[];
  groups(): readonly string[];
  /** Datacenters (Consul), where some backend has them; absent in data sources that predate them. */
  datacenters?(): readonly string[];
  /** Called when completion wanted data that is not cached (e.g. instances of a service); the cache loads it in the background. */
  want?(what: { kind: 'instances' } & InstanceQuery): void;
  /**
   * The scope kinds the profile's registries and config backends have; undefined until known.
   * A scope flag (`--namespace`) is offered only where some backend has its kind.
   */
  scopeKinds?(): ReadonlySet<ScopeKind> | undefined;
  /** False until the live lists (services, configs, locks, scopes) have loaded once; absent means loaded. */
  ready?(): boolean;
  /** PromQL names and values from the metrics backend; absent when there is none. */
  promql?: PromqlCompletionData;
}

/**
 * Metrics data for PromQL completion, cached in the background like the rest. Reading never waits:
 * a list not loaded yet is empty (or undefined for label values), and asking starts the load.
 */
export interface PromqlCompletionData {
  metricNames(): readonly string[];
  /** Type and help of a metric (a _total/_count/_sum/_bucket series gets its family's). */
  metricInfo(name: string): { type: string; help: string } | undefined;
  /** The label names of `metric`'s series when those are cached, else all label names. */
  labelNames(metric?: string): readonly string[];
  /** Values of `label`, among `metric`'s series when given; undefined until loaded. */
  labelValues(label: string, metric?: string): readonly string[] | undefined;
  /** True while a list asked for has never loaded yet (the first fetch is running). */
  pending?(): boolean;
}
