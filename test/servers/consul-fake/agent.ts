/**
 * One Consul agent of the fake: the services and checks it owns (its local state), the check
 * runners (TTL expiry, HTTP and TCP probes, the reaper of DeregisterCriticalServiceAfter) and
 * anti-entropy, which makes the catalog entries of its node match its local state. That last part
 * is why a catalog deregister of an agent-managed service does not stick: the next sync puts it
 * back (hashicorp/consul#2541), and why maintenance must be sent to the agent that owns the
 * service: another agent answers 404 "Unknown service ID".
 */
import { checkTimes, probeHttp, probeTcp, type CheckDef } from './checks.js';
import type { CheckRec, Datacenter, ServiceRec, Status } from './catalog.js';

export interface LocalService {
  svc: Omit<ServiceRec, 'CreateIndex' | 'ModifyIndex'>;
}

export interface LocalCheck {
  check: Omit<CheckRec, 'CreateIndex' | 'ModifyIndex'>;
  def: CheckDef | null;
  timer?: NodeJS.Timeout;
  criticalSince: number | null;
}

export interface AgentOptions {
  name: string;
  dc: Datacenter;
  address: string;
  nodeId: string;
  server: boolean;
  /** How often the reaper looks for services critical longer than DeregisterCriticalServiceAfter. */
  reapIntervalMs: number;
}

export class Agent {
  readonly name: string;
  readonly dc: Datacenter;
  readonly address: string;
  readonly nodeId: string;
  readonly server: boolean;
  readonly services = new Map<string, LocalService>();
  readonly checks = new Map<string, LocalCheck>();
  private readonly reaper: NodeJS.Timeout;
  private stopped = false;

  constructor(o: AgentOptions) {
    this.name = o.name;
    this.dc = o.dc;
    this.address = o.address;
    this.nodeId = o.nodeId;
    this.server = o.server;
    this.reaper = setInterval(() => this.reap(), o.reapIntervalMs);
    this.reaper.unref();
  }

  /** The node record this agent keeps in the catalog. */
  nodeRecord() {
    return {
      ID: this.nodeId,
      Node: this.name,
      Address: this.address,
      Datacenter: this.dc.name,
      TaggedAddresses: { lan: this.address, lan_ipv4: this.address, wan: this.address, wan_ipv4: this.address },
      Meta: { 'consul-network-segment': '' },
    };
  }

  /** Joins the cluster: the leader registers the node with its serfHealth check (and a server's "consul" service). */
  join(): void {
    this.dc.write((idx) => {
      this.dc.upsertNode(this.nodeRecord(), idx);
      this.dc.upsertCheck(serfHealth(this.name, 'passing'), idx);
      if (this.server) {
        this.dc.upsertService(this.name, { ID: 'consul', Service: 'consul', Tags: [], Address: '', Meta: {}, Port: 8300, Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false }, idx);
      }
    });
  }

  addService(svc: LocalService['svc'], checks: CheckDef[], replaceExistingChecks: boolean): void {
    this.services.set(svc.ID, { svc });
    const keep = new Set<string>();
    for (const def of checks) {
      keep.add(def.id);
      const prev = this.checks.get(def.id);
      this.setCheck(def, svc, prev?.check.Status);
    }
    if (replaceExistingChecks) {
      for (const [id, c] of this.checks) if (c.check.ServiceID === svc.ID && !keep.has(id)) this.dropCheck(id);
    }
    // A re-registration updates the tags every check of the service carries.
    for (const c of this.checks.values()) if (c.check.ServiceID === svc.ID) c.check.ServiceTags = [...svc.Tags];
    this.sync();
  }

  removeService(id: string): boolean {
    if (!this.services.delete(id)) return false;
    for (const [cid, c] of this.checks) if (c.check.ServiceID === id) this.dropCheck(cid);
    this.sync();
    return true;
  }

  /** Registers (or replaces) one check; a new check starts critical unless its definition says otherwise. */
  setCheck(def: CheckDef, svc: LocalService['svc'] | null, keepStatus?: Status): void {
    this.dropCheck(def.id);
    const status: Status = keepStatus ?? (def.status || 'critical');
    const local: LocalCheck = {
      def,
      criticalSince: status === 'critical' ? Date.now() : null,
      check: {
        Node: this.name,
        CheckID: def.id,
        Name: def.name,
        Status: status,
        Notes: def.notes,
        Output: '',
        ServiceID: svc?.ID ?? '',
        ServiceName: svc?.Service ?? '',
        ServiceTags: svc ? [...svc.Tags] : [],
        Type: def.kind,
        ...checkTimes(def),
        ExposedPort: 0,
        Definition: {},
      },
    };
    this.checks.set(def.id, local);
    this.arm(local);
  }

  dropCheck(id: string): boolean {
    const c = this.checks.get(id);
    if (!c) return false;
    clearTimeout(c.timer);
    clearInterval(c.timer);
    this.checks.delete(id);
    return true;
  }

  /** A TTL check update (agent/check/pass|warn|fail|update): the note becomes the output. */
  updateTtl(id: string, status: Status, output: string): 'ok' | 'unknown' | 'not-ttl' {
    const c = this.checks.get(id);
    if (!c) return 'unknown';
    if (c.def?.kind !== 'ttl') return 'not-ttl';
    this.setStatus(c, status, output);
    this.arm(c);
    this.sync();
    return 'ok';
  }

  /** Maintenance: a critical "_service_maintenance:<id>" check (Type "maintenance") with the reason in Notes. */
  serviceMaintenance(id: string, enable: boolean, reason: string): boolean {
    const svc = this.services.get(id);
    if (!svc) return false;
    const text = reason || 'Maintenance mode is enabled for this service, but no reason was provided. This is a default message.';
    this.maintenance(`_service_maintenance:${id}`, 'Service Maintenance Mode', enable, text, svc.svc);
    return true;
  }

  /** Node maintenance: "_node_maintenance", which makes every service on the node critical. */
  nodeMaintenance(enable: boolean, reason: string): void {
    const text = reason || 'Maintenance mode is enabled for this node, but no reason was provided. This is a default message.';
    this.maintenance('_node_maintenance', 'Node Maintenance Mode', enable, text, null);
  }

  /** Enabling twice keeps the first reason (Consul returns early when the check exists). */
  private maintenance(checkId: string, name: string, enable: boolean, notes: string, svc: LocalService['svc'] | null): void {
    if (enable && !this.checks.has(checkId)) {
      const check = { ...serfHealth(this.name, 'critical'), CheckID: checkId, Name: name, Notes: notes, Output: '', Type: 'maintenance' };
      this.checks.set(checkId, { def: null, criticalSince: null, check: { ...check, ServiceID: svc?.ID ?? '', ServiceName: svc?.Service ?? '', ServiceTags: svc ? [...svc.Tags] : [] } });
    } else if (!enable) {
      this.checks.delete(checkId);
    }
    this.sync();
  }

  /**
   * Anti-entropy: one catalog write per service (with its checks) or node check that differs
   * from the local state, and removal of what this node has in the catalog but not locally.
   * Writes that change nothing are skipped, so an idempotent heartbeat does not move the index.
   */
  sync(): void {
    if (this.stopped) return;
    const dc = this.dc;
    const inCatalog = dc.services.get(this.name) ?? new Map<string, ServiceRec>();
    for (const { svc } of this.services.values()) {
      const cur = inCatalog.get(svc.ID);
      const checks = [...this.checks.values()].filter((c) => c.check.ServiceID === svc.ID);
      const svcDiffers = !cur || !same(strip(cur), svc);
      const checksDiffer = checks.some((c) => {
        const cc = dc.checks.get(this.name)?.get(c.check.CheckID);
        return !cc || !same(strip(cc), c.check);
      });
      if (svcDiffers || checksDiffer) {
        dc.write((idx) => {
          if (svcDiffers) dc.upsertService(this.name, svc, idx);
          for (const c of checks) {
            const cc = dc.checks.get(this.name)?.get(c.check.CheckID);
            if (!cc || !same(strip(cc), c.check)) dc.upsertCheck(c.check, idx);
          }
        });
      }
    }
    for (const c of this.checks.values()) {
      if (c.check.ServiceID !== '') continue;
      const cc = dc.checks.get(this.name)?.get(c.check.CheckID);
      if (!cc || !same(strip(cc), c.check)) dc.write((idx) => dc.upsertCheck(c.check, idx));
    }
    for (const id of [...inCatalog.keys()]) {
      if (id === 'consul' && this.server) continue;
      if (!this.services.has(id)) dc.write((idx) => dc.removeService(this.name, id, idx));
    }
    for (const [cid, cc] of [...(dc.checks.get(this.name) ?? [])]) {
      if (cid === 'serfHealth') continue;
      if (!this.checks.has(cid) && (cc.ServiceID === '' || this.services.has(cc.ServiceID))) dc.write((idx) => dc.removeCheck(this.name, cid, idx));
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.reaper);
    for (const c of this.checks.values()) {
      clearTimeout(c.timer);
      clearInterval(c.timer);
    }
  }

  private setStatus(c: LocalCheck, status: Status, output: string): void {
    if (status === 'critical' && c.check.Status !== 'critical') c.criticalSince = Date.now();
    if (status !== 'critical') c.criticalSince = null;
    c.check.Status = status;
    c.check.Output = output;
  }

  /** Starts what keeps a check's status true: the TTL timer or the interval probe. */
  private arm(c: LocalCheck): void {
    clearTimeout(c.timer);
    clearInterval(c.timer);
    const def = c.def;
    if (!def || this.stopped) return;
    if (def.kind === 'ttl') {
      c.timer = setTimeout(() => {
        this.setStatus(c, 'critical', 'TTL expired');
        this.sync();
      }, def.ttlMs);
      c.timer.unref();
    } else if (def.kind === 'http' || def.kind === 'tcp') {
      const run = async () => {
        const r = def.kind === 'http' ? await probeHttp(def) : await probeTcp(def);
        if (this.checks.get(def.id) !== c || this.stopped) return;
        this.setStatus(c, r.status, r.output);
        this.sync();
      };
      // Consul staggers the first run randomly within the interval; the fake runs it at once.
      void run();
      c.timer = setInterval(() => void run(), def.intervalMs);
      c.timer.unref();
    }
  }

  /** Deregisters services whose check has been critical longer than its DeregisterCriticalServiceAfter. */
  private reap(): void {
    const now = Date.now();
    for (const c of [...this.checks.values()]) {
      const after = c.def?.deregisterAfterMs ?? 0;
      if (after > 0 && c.check.Status === 'critical' && c.criticalSince !== null && now - c.criticalSince > after && c.check.ServiceID) {
        this.removeService(c.check.ServiceID);
      }
    }
  }
}

export function serfHealth(node: string, status: Status): Omit<CheckRec, 'CreateIndex' | 'ModifyIndex'> {
  return {
    Node: node,
    CheckID: 'serfHealth',
    Name: 'Serf Health Status',
    Status: status,
    Notes: '',
    Output: status === 'passing' ? 'Agent alive and reachable' : 'Agent not live or unreachable',
    ServiceID: '',
    ServiceName: '',
    ServiceTags: [],
    Type: '',
    Interval: '',
    Timeout: '',
    ExposedPort: 0,
    Definition: {},
  };
}

function strip<T extends { CreateIndex: number; ModifyIndex: number }>(r: T): Omit<T, 'CreateIndex' | 'ModifyIndex'> {
  const { CreateIndex: _c, ModifyIndex: _m, ...rest } = r;
  return rest;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}
