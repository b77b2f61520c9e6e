import type { ListOptions } from './subsystems.js';
import type { Scope, ScopeKind, ScopeModel } from './scope.js';
import type { Coverage } from './types.js';

/**
 * The registry contract, shaped by real backends (Nacos, Eureka, Consul, ZooKeeper, etcd, Istio)
 * rather than by the embedded store. Every fact a backend does not hold is null, never guessed.
 * A backend exposes only the actions it really has: an absent optional method is how commands
 * refuse with a message naming the backend and the capability, and how panes hide the key.
 */

/** Health as a state: Consul's three plus unknown (Nacos and the embedded store use passing/critical). */
export type Health = 'passing' | 'warning' | 'critical' | 'unknown';
export const HEALTH_STATES: readonly Health[] = ['passing', 'warning', 'critical', 'unknown'];

/** Whether the instance takes traffic: Nacos `enabled`, Eureka's OUT_OF_SERVICE override, … */
export type Traffic = 'enabled' | 'disabled';

/** One service, in the scope kinds of its backend. */
export interface ServiceRef {
  scope: Scope;
  name: string;
}

/** One row of a service listing; the backend's scope kinds appear as fields (`namespace`, `group`, …). */
export type ServiceSummary = Scope & {
  /** The profile entry's name (or type) of the registry that holds it. */
  backend: string;
  name: string;
  instances: number;
  /** Instances whose health is passing. */
  healthy: number;
  /** Instances taken out of traffic. */
  disabled: number;
  /**
   * How the service's instances are registered, where a registry holds several layouts and tells
   * them apart from the data (ZooKeeper: spring-cloud, dubbo-app, dubbo-interface, curator; etcd:
   * go-micro, kratos, go-zero, a profile's template; several joined by "+"). Absent where the
   * registry has one layout.
   */
  layout?: string;
};

export interface InstanceView {
  /**
   * The backend's own id: Nacos `instanceId`, Eureka `instanceId`, Consul `ServiceID`, a ZooKeeper
   * node name. Commands also accept `IP:PORT` where it names exactly one instance (`matchInstance`).
   */
  id: string;
  ip: string;
  port: number;
  health: Health;
  traffic: Traffic;
  /** The backend's own status word where it has one (Eureka UP, DOWN, OUT_OF_SERVICE, STARTING, UNKNOWN). */
  status: string | null;
  /**
   * A status an operator set over the one the instance reports (Eureka's overriddenStatus, which a
   * drain sets to OUT_OF_SERVICE); null where there is none or the backend has no overrides. While
   * it is set, `status` is the override, not what the instance says about itself.
   */
  statusOverride: string | null;
  weight: number | null;
  /** Ephemeral (goes with its client's heartbeats or session) or persistent; null where the backend does not say. */
  ephemeral: boolean | null;
  /** Nacos' cluster, Eureka's zone: a grouping inside the service, where the backend has one. */
  cluster: string | null;
  metadata: Record<string, string>;
  tags: string[];
  /** Addresses the registry keeps for the instance besides ip:port, by name (Eureka's home, status and health pages); {} where none. */
  urls: Record<string, string>;
  lastHeartbeat: string | null;
  /** The lease the registry holds the instance by, where it has one (Eureka, etcd, the embedded store). */
  lease: { durationMs: number | null; expiresAt: string | null } | null;
  /** `health === 'passing'`: kept for scripts written against the first JSON shape. */
  healthy: boolean;
  /** `traffic === 'enabled'`: kept for the same reason. */
  enabled: boolean;
}

export type ServiceDetail = Scope &
  WriteNote & {
    backend: string;
    name: string;
    /** As in `ServiceSummary.layout`. */
    layout?: string;
    instances: InstanceView[];
  };

/**
 * What an answer or a write tells besides the state it shows: where a write went, and sentences the
 * user should know (a caveat of the write, or how to read the registry's state: Eureka keeping
 * instances whose leases ran out). Commands keep both in their JSON and print each warning on stderr.
 */
export interface WriteNote {
  /** Where the write was sent when that is not the registry's own address (Consul: the agent that owns the instance). */
  sentTo?: string;
  /** One sentence each; absent or empty when there is nothing to say. */
  warnings?: string[];
}

/** What `services list` returns: every registry backend asked on its own, as `locks list` does. */
export interface ServiceListing extends Coverage {
  services: ServiceSummary[];
}

export interface RegisterRequest {
  ip: string;
  port: number;
  weight?: number;
  metadata: Record<string, string>;
  /** Ephemeral instances live by heartbeats (ttlMs); persistent ones until deregistered. */
  ephemeral: boolean;
  /**
   * The lease of an ephemeral instance, for a registry whose `leaseTtl` is 'per-instance'; a
   * registry that sets leases itself ('server') refuses a request that carries one.
   */
  ttlMs?: number;
  cluster?: string;
}

/**
 * What every write takes: the caller's signal (Ctrl-C, a pane closing) aborts its requests in
 * flight; a write whose signal has already aborted does nothing and fails as cancelled.
 */
export interface WriteOptions {
  signal?: AbortSignal;
}

export interface MetadataChange {
  set: Record<string, string>;
  remove: string[];
}

export interface ScopeEntry {
  /** What commands take (`--namespace dev-ns-id`). */
  id: string;
  /** What people read (Nacos' namespace show name); the id where the backend has no other. */
  name: string;
  description: string | null;
}

export interface RegistryBackend {
  /** The profile entry's name, or its type: the `backend` column. */
  readonly name: string;
  readonly scope: ScopeModel;
  /**
   * Set (to the reason, one sentence) on a backend that takes no writes by design: Istio's
   * registry is fed by Kubernetes and Istio objects, not by clients. Such a backend has none of
   * the optional write methods; commands name the reason when they refuse one.
   */
  readonly readOnly?: string;
  /**
   * Who sets an ephemeral instance's lease: 'per-instance' where a registration carries its own TTL
   * (Eureka's lease duration, Consul's TTL check, the embedded store); 'server' where the registry
   * applies its own heartbeat timeouts (Nacos: unhealthy after 15 s, removed after 30 s, or what the
   * instance's metadata says). A 'server' registry refuses `RegisterRequest.ttlMs` as a usage error
   * naming itself, rather than dropping it.
   */
  readonly leaseTtl: 'per-instance' | 'server';
  /**
   * Services whose scope matches the kinds given (absent kinds: all) and whose name contains
   * `text` (case-insensitive). A listing cut short by a bound reports it through `opts.onIncomplete`.
   */
  listServices(filter: { scope: Scope; text?: string }, opts?: ListOptions): Promise<ServiceSummary[]>;
  /** Throws a not-found OpsError naming the service and its scope when the backend has no such service. */
  getService(ref: ServiceRef, opts?: { signal?: AbortSignal }): Promise<ServiceDetail>;
  /** The values one scope kind can take (Nacos namespaces, Consul datacenters), where the backend lists them. */
  listScope?(kind: ScopeKind): Promise<ScopeEntry[]>;
  /** Registers, or updates an instance with the same address; the detail of the service afterwards. */
  register?(ref: ServiceRef, req: RegisterRequest, opts?: WriteOptions): Promise<ServiceDetail>;
  deregister?(ref: ServiceRef, instanceId: string, opts?: WriteOptions): Promise<void | WriteNote>;
  /**
   * What a deregistration cannot promise for this instance, for the confirmation (Eureka: a client
   * that registers itself registers again at its next heartbeat); null when nothing.
   */
  deregisterWarning?(instance: InstanceView): string | null;
  heartbeat?(ref: ServiceRef, instanceId: string, opts?: WriteOptions): Promise<void>;
  setTraffic?(ref: ServiceRef, instanceId: string, traffic: Traffic, opts?: WriteOptions): Promise<ServiceDetail>;
  setWeight?(ref: ServiceRef, instanceId: string, weight: number, opts?: WriteOptions): Promise<ServiceDetail>;
  updateMetadata?(ref: ServiceRef, instanceId: string, change: MetadataChange, opts?: WriteOptions): Promise<ServiceDetail>;
  /**
   * Yields whenever what `listServices` (no `service`) or `getService` (a service) answers may
   * have changed, until the signal aborts: a backend with push (Consul's blocking queries) has it,
   * so the console reloads a pane on change instead of polling. A yield is no proof of change.
   */
  changes?(target: { scope: Scope; service?: string }, signal: AbortSignal): AsyncIterable<void>;
}

/** The instance a user named: its id, else an `IP:PORT` alias that names exactly one instance. */
export type InstanceMatch = { kind: 'found'; instance: InstanceView } | { kind: 'none' } | { kind: 'ambiguous'; candidates: InstanceView[] };

export function matchInstance(detail: Pick<ServiceDetail, 'instances'>, idOrAddress: string): InstanceMatch {
  const byId = detail.instances.find((i) => i.id === idOrAddress);
  if (byId) return { kind: 'found', instance: byId };
  const byAddress = detail.instances.filter((i) => `${i.ip}:${i.port}` === idOrAddress);
  if (byAddress.length === 1) return { kind: 'found', instance: byAddress[0]! };
  return byAddress.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates: byAddress };
}
