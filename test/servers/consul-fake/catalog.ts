/**
 * One datacenter's replicated state in the Consul fake: the catalog (nodes, services, checks),
 * the KV store and the Raft index. Every write takes the next index, as one Raft log entry would,
 * and wakes the blocking queries of this datacenter, which re-run and answer once the index of
 * what they read has moved past the one they were given.
 *
 * Which index a read reports follows Consul's state store (agent/consul/state):
 * - /v1/catalog/services: the services table index, so check-only changes do not wake it;
 * - /v1/catalog/service/:name and /v1/health/service/:name: the per-service index, bumped by any
 *   change to an instance of the service, its checks or its node (else the table index);
 * - KV single key: the key's ModifyIndex, or the KV table index (tombstones included) when absent;
 * - KV list/keys: the highest ModifyIndex under the prefix, tombstones of deleted keys included.
 *
 * Record shapes are the JSON that agent/structs produces (ServiceNode, CheckServiceNode,
 * HealthCheck, DirEntry); see test/fixtures/consul/README.md for each field's origin.
 */

export type Status = 'passing' | 'warning' | 'critical';

export interface NodeRec {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface ServiceRec {
  Kind?: string;
  ID: string;
  Service: string;
  Tags: string[];
  Address: string;
  TaggedAddresses?: Record<string, { Address: string; Port: number }>;
  Meta: Record<string, string> | null;
  Port: number;
  Weights: { Passing: number; Warning: number };
  EnableTagOverride: boolean;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface CheckRec {
  Node: string;
  CheckID: string;
  Name: string;
  Status: Status;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  Type: string;
  Interval: string;
  Timeout: string;
  ExposedPort: number;
  Definition: Record<string, unknown>;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface KvRec {
  LockIndex: number;
  Key: string;
  Flags: number;
  Value: Buffer | null;
  Session?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface DatacenterSnapshot {
  index: number;
  nodes: Map<string, NodeRec>;
  services: Map<string, Map<string, ServiceRec>>;
  checks: Map<string, Map<string, CheckRec>>;
  kv: Map<string, KvRec>;
  tombstones: Map<string, number>;
  tables: Datacenter['tables'];
  serviceIndex: Map<string, number>;
}

/** A blocking query parked until the datacenter changes or its wait runs out. */
interface Waiter {
  wake(restored: boolean): void;
}

export class Datacenter {
  index: number;
  readonly nodes = new Map<string, NodeRec>();
  readonly services = new Map<string, Map<string, ServiceRec>>();
  readonly checks = new Map<string, Map<string, CheckRec>>();
  readonly kv = new Map<string, KvRec>();
  /** Key → index of its deletion, so a list's index never goes back when a key goes away. */
  readonly tombstones = new Map<string, number>();
  readonly tables = { nodes: 0, services: 0, checks: 0, kvs: 0 };
  readonly serviceIndex = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();

  constructor(readonly name: string, startIndex: number) {
    this.index = startIndex;
  }

  /** Takes the next Raft index for one write and wakes the waiters after it is applied. */
  write<T>(apply: (idx: number) => T): T {
    const idx = ++this.index;
    const out = apply(idx);
    for (const w of [...this.waiters]) w.wake(false);
    return out;
  }

  /** A copy of the whole state, as `consul snapshot save` takes it. */
  snapshot(): DatacenterSnapshot {
    return structuredClone({
      index: this.index,
      nodes: this.nodes,
      services: this.services,
      checks: this.checks,
      kv: this.kv,
      tombstones: this.tombstones,
      tables: this.tables,
      serviceIndex: this.serviceIndex,
    });
  }

  /**
   * A snapshot restore: the state and its indexes go back to the snapshot, and every blocking
   * query is answered at once (Consul closes the state store's abandon channel), so clients see
   * an X-Consul-Index lower than the one they sent and must start over from 0.
   */
  restore(snap: DatacenterSnapshot): void {
    const copy = structuredClone(snap);
    this.index = copy.index;
    for (const [mine, theirs] of [
      [this.nodes, copy.nodes],
      [this.services, copy.services],
      [this.checks, copy.checks],
      [this.kv, copy.kv],
      [this.tombstones, copy.tombstones],
      [this.serviceIndex, copy.serviceIndex],
    ] as Array<[Map<string, unknown>, Map<string, unknown>]>) {
      mine.clear();
      for (const [k, v] of theirs) mine.set(k, v);
    }
    // structuredClone turns a Buffer into a plain Uint8Array; stored values are Buffers again.
    for (const [k, e] of this.kv) this.kv.set(k, { ...e, Value: e.Value === null ? null : Buffer.from(e.Value) });
    Object.assign(this.tables, copy.tables);
    for (const w of [...this.waiters]) w.wake(true);
  }

  park(w: Waiter): () => void {
    this.waiters.add(w);
    return () => this.waiters.delete(w);
  }

  get parked(): number {
    return this.waiters.size;
  }

  // ---- catalog writes (each called inside write()) ----

  upsertNode(node: Omit<NodeRec, 'CreateIndex' | 'ModifyIndex'>, idx: number): void {
    const prev = this.nodes.get(node.Node);
    this.nodes.set(node.Node, { ...node, CreateIndex: prev?.CreateIndex ?? idx, ModifyIndex: idx });
    this.tables.nodes = idx;
    for (const s of this.services.get(node.Node)?.values() ?? []) this.serviceIndex.set(s.Service, idx);
  }

  upsertService(node: string, svc: Omit<ServiceRec, 'CreateIndex' | 'ModifyIndex'>, idx: number): void {
    const byId = this.services.get(node) ?? new Map<string, ServiceRec>();
    this.services.set(node, byId);
    const prev = byId.get(svc.ID);
    if (prev && prev.Service !== svc.Service) this.serviceIndex.set(prev.Service, idx);
    byId.set(svc.ID, { ...svc, CreateIndex: prev?.CreateIndex ?? idx, ModifyIndex: idx });
    this.tables.services = idx;
    this.serviceIndex.set(svc.Service, idx);
  }

  removeService(node: string, id: string, idx: number): boolean {
    const svc = this.services.get(node)?.get(id);
    if (!svc) return false;
    this.services.get(node)!.delete(id);
    // A service's checks go with it (Catalog.Deregister with a ServiceID).
    for (const [cid, c] of this.checks.get(node) ?? []) if (c.ServiceID === id) this.checks.get(node)!.delete(cid);
    this.tables.services = idx;
    this.tables.checks = idx;
    this.serviceIndex.set(svc.Service, idx);
    return true;
  }

  upsertCheck(check: Omit<CheckRec, 'CreateIndex' | 'ModifyIndex'>, idx: number): void {
    const byId = this.checks.get(check.Node) ?? new Map<string, CheckRec>();
    this.checks.set(check.Node, byId);
    const prev = byId.get(check.CheckID);
    byId.set(check.CheckID, { ...check, CreateIndex: prev?.CreateIndex ?? idx, ModifyIndex: idx });
    this.tables.checks = idx;
    this.touchChecked(check.Node, check.ServiceID, idx);
  }

  removeCheck(node: string, checkId: string, idx: number): boolean {
    const c = this.checks.get(node)?.get(checkId);
    if (!c) return false;
    this.checks.get(node)!.delete(checkId);
    this.tables.checks = idx;
    this.touchChecked(node, c.ServiceID, idx);
    return true;
  }

  /** A node check touches every service on the node; a service check only its service. */
  private touchChecked(node: string, serviceId: string, idx: number): void {
    for (const s of this.services.get(node)?.values() ?? []) {
      if (serviceId === '' || s.ID === serviceId) this.serviceIndex.set(s.Service, idx);
    }
  }

  // ---- catalog reads ----

  serviceNames(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const byId of this.services.values()) {
      for (const s of byId.values()) {
        const tags = out.get(s.Service) ?? new Set<string>();
        for (const t of s.Tags) tags.add(t);
        out.set(s.Service, tags);
      }
    }
    return out;
  }

  /** Every instance of a service, node by node in name order (Consul sorts by node). */
  instances(name: string): Array<{ node: NodeRec; svc: ServiceRec }> {
    const out: Array<{ node: NodeRec; svc: ServiceRec }> = [];
    for (const nodeName of [...this.services.keys()].sort()) {
      const node = this.nodes.get(nodeName);
      if (!node) continue;
      const ids = [...this.services.get(nodeName)!.values()].filter((s) => s.Service === name).sort((a, b) => a.ID.localeCompare(b.ID));
      for (const svc of ids) out.push({ node, svc });
    }
    return out;
  }

  /** The checks health answers carry for one instance: its own, then the node's. */
  checksFor(node: string, serviceId: string): CheckRec[] {
    const all = [...(this.checks.get(node)?.values() ?? [])];
    return [...all.filter((c) => c.ServiceID === serviceId), ...all.filter((c) => c.ServiceID === '')];
  }

  indexForService(name: string): number {
    return this.serviceIndex.get(name) ?? Math.max(this.tables.services, this.tables.nodes, 1);
  }

  // ---- KV ----

  kvList(prefix: string): KvRec[] {
    return [...this.kv.values()].filter((e) => e.Key.startsWith(prefix)).sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
  }

  /** The index a KV list under `prefix` reports (KVS.List / KVS.ListKeys). */
  kvPrefixIndex(prefix: string): number {
    let idx = 0;
    for (const e of this.kvList(prefix)) idx = Math.max(idx, e.ModifyIndex);
    for (const [k, at] of this.tombstones) if (k.startsWith(prefix)) idx = Math.max(idx, at);
    return idx || this.tables.kvs || 1;
  }
}
