import { cancelledWrite, notFound, OpsError, usage } from '../core/errors.js';
import type { InstanceView, MetadataChange, RegisterRequest, RegistryBackend, ScopeEntry, ServiceDetail, ServiceRef, ServiceSummary, Traffic, WriteOptions } from '../core/registry.js';
import { describeScope, type Scope, type ScopeKind } from '../core/scope.js';
import { checkKinds, EMBEDDED_SCOPE, placeOf } from './embedded-scope.js';
import { keys, splitKey } from './keys.js';
import type { KvStore, ReadView, WriteTx } from './store/kv-store.js';

/** An instance as stored. Fields added later are optional, so data dirs written before them still read. */
interface InstanceDoc {
  ip: string;
  port: number;
  weight: number;
  enabled: boolean;
  ephemeral: boolean;
  /** Heartbeat TTL for ephemeral instances; critical after it, gone after twice it. */
  ttlMs: number;
  lastBeat: number;
  registeredAt: number;
  metadata: Record<string, string>;
  cluster?: string;
}

/** Ephemeral instances registered without a TTL get the one `instances register` defaults to. */
const DEFAULT_TTL_MS = 15_000;
const NAME = 'embedded';

/**
 * The embedded registry: namespaces, groups, services and instances with heartbeat TTLs. An
 * instance's id is its address `IP:PORT`: the store keeps one instance per address in a service.
 */
export class RegistryEngine implements RegistryBackend {
  readonly name = NAME;
  readonly scope = EMBEDDED_SCOPE;
  readonly leaseTtl = 'per-instance' as const;

  constructor(private readonly store: KvStore, private readonly now: () => number) {}

  listServices(filter: { scope: Scope; text?: string }): Promise<ServiceSummary[]> {
    checkKinds(filter.scope);
    const { namespace, group } = filter.scope;
    return this.store.read((view) => {
      const now = this.now();
      const byService = new Map<string, ServiceSummary>();
      const needle = filter.text?.toLowerCase();
      // A group without a namespace cannot narrow the key prefix: it is checked per key.
      for (const [key, doc] of view.scan<InstanceDoc>(keys.instancePrefix(namespace, namespace === undefined ? undefined : group))) {
        if (isGone(doc, now)) continue;
        const [ns, g, name] = splitKey(key) as [string, string, string];
        if (group !== undefined && g !== group) continue;
        if (needle && !name.toLowerCase().includes(needle)) continue;
        const id = `${ns}\0${g}\0${name}`;
        let s = byService.get(id);
        if (!s) byService.set(id, (s = { backend: NAME, namespace: ns, group: g, name, instances: 0, healthy: 0, disabled: 0 }));
        s.instances++;
        if (isHealthy(doc, now)) s.healthy++;
        if (!doc.enabled) s.disabled++;
      }
      return [...byService.values()];
    });
  }

  getService(ref: ServiceRef): Promise<ServiceDetail> {
    return this.store.read((view) => this.detail(view, ref, true));
  }

  /** Namespaces (or groups) that hold a service or a config, and the default one, sorted. */
  listScope(kind: ScopeKind): Promise<ScopeEntry[]> {
    if (kind !== 'namespace' && kind !== 'group') throw usage(`the embedded backend has no ${kind} scope`, 'it addresses services and configs by namespace and group');
    const at = kind === 'namespace' ? 0 : 1;
    return this.store.read((view) => {
      const values = new Set<string>([EMBEDDED_SCOPE.defaults[kind]!]);
      for (const prefix of [keys.instancePrefix(), keys.configPrefix()]) {
        for (const [key] of view.scan(prefix)) values.add(splitKey(key)[at]!);
      }
      return [...values].sort().map((id) => ({ id, name: id, description: null }));
    });
  }

  register(ref: ServiceRef, req: RegisterRequest, opts?: WriteOptions): Promise<ServiceDetail> {
    // A local write is one quick transaction: a cancelled caller is honoured before it starts.
    if (opts?.signal?.aborted) return Promise.reject(cancelledWrite('the registration'));
    const place = placeOf(ref.scope);
    return this.store.update((tx) => {
      const now = this.now();
      this.sweep(tx, ref, now);
      const key = keys.instance(place.namespace, place.group, ref.name, req.ip, req.port);
      const prev = tx.get<InstanceDoc>(key);
      const alive = prev && !isGone(prev, now) ? prev : undefined;
      const doc: InstanceDoc = {
        ip: req.ip,
        port: req.port,
        weight: req.weight ?? 1,
        // Re-registering must not silently undo a drain someone did on purpose.
        enabled: alive ? alive.enabled : true,
        ephemeral: req.ephemeral,
        ttlMs: req.ttlMs ?? DEFAULT_TTL_MS,
        lastBeat: now,
        registeredAt: alive ? alive.registeredAt : now,
        metadata: { ...req.metadata },
      };
      if (req.cluster !== undefined) doc.cluster = req.cluster;
      tx.put(key, doc);
      return this.detail(tx, ref, true);
    });
  }

  heartbeat(ref: ServiceRef, instanceId: string): Promise<void> {
    return this.store.update((tx) => {
      const [key, doc] = this.existing(tx, ref, instanceId);
      tx.put(key, { ...doc, lastBeat: this.now() });
    });
  }

  deregister(ref: ServiceRef, instanceId: string): Promise<void> {
    return this.store.update((tx) => {
      const [key] = this.existing(tx, ref, instanceId);
      tx.del(key);
      this.sweep(tx, ref, this.now());
    });
  }

  setTraffic(ref: ServiceRef, instanceId: string, traffic: Traffic): Promise<ServiceDetail> {
    return this.change(ref, instanceId, (doc) => ({ ...doc, enabled: traffic === 'enabled' }));
  }

  setWeight(ref: ServiceRef, instanceId: string, weight: number): Promise<ServiceDetail> {
    if (!(weight >= 0 && weight <= 10_000)) throw usage(`weight must be from 0 to 10000, not ${weight}`);
    return this.change(ref, instanceId, (doc) => ({ ...doc, weight }));
  }

  updateMetadata(ref: ServiceRef, instanceId: string, change: MetadataChange): Promise<ServiceDetail> {
    return this.change(ref, instanceId, (doc) => {
      const metadata = { ...doc.metadata, ...change.set };
      for (const k of change.remove) delete metadata[k];
      return { ...doc, metadata };
    });
  }

  private change(ref: ServiceRef, instanceId: string, edit: (doc: InstanceDoc) => InstanceDoc): Promise<ServiceDetail> {
    return this.store.update((tx) => {
      const [key, doc] = this.existing(tx, ref, instanceId);
      tx.put(key, edit(doc));
      return this.detail(tx, ref, true);
    });
  }

  /** The stored instance whose id (its address) is `instanceId`; not-found when absent or expired. */
  private existing(view: ReadView, ref: ServiceRef, instanceId: string): [string, InstanceDoc] {
    const place = placeOf(ref.scope);
    const now = this.now();
    for (const [key, doc] of view.scan<InstanceDoc>(keys.instancePrefix(place.namespace, place.group, ref.name))) {
      if (idOf(doc) === instanceId && !isGone(doc, now)) return [key, doc];
    }
    throw notFound(`instance ${instanceId} is not registered in ${ref.name} (${describeScope(place)})`, `run "opsdeck services show ${ref.name}" to see its instances`);
  }

  /** Removes ephemeral instances of one service that have been silent for twice their TTL. */
  private sweep(tx: WriteTx, ref: ServiceRef, now: number): void {
    const place = placeOf(ref.scope);
    for (const [key, doc] of tx.scan<InstanceDoc>(keys.instancePrefix(place.namespace, place.group, ref.name))) {
      if (isGone(doc, now)) tx.del(key);
    }
  }

  private detail(view: ReadView, ref: ServiceRef, mustExist: boolean): ServiceDetail {
    const place = placeOf(ref.scope);
    const now = this.now();
    const instances: InstanceView[] = [];
    for (const [, doc] of view.scan<InstanceDoc>(keys.instancePrefix(place.namespace, place.group, ref.name))) {
      if (!isGone(doc, now)) instances.push(viewOf(doc, now));
    }
    if (mustExist && instances.length === 0) {
      throw notFound(`service ${ref.name} not found in ${describeScope(place)}`, 'run "opsdeck services list" to see the services');
    }
    return { backend: NAME, ...place, name: ref.name, instances };
  }
}

function idOf(doc: InstanceDoc): string {
  return `${doc.ip}:${doc.port}`;
}

function viewOf(doc: InstanceDoc, now: number): InstanceView {
  const healthy = isHealthy(doc, now);
  return {
    id: idOf(doc),
    ip: doc.ip,
    port: doc.port,
    health: healthy ? 'passing' : 'critical',
    traffic: doc.enabled ? 'enabled' : 'disabled',
    status: null,
    statusOverride: null,
    weight: doc.weight,
    ephemeral: doc.ephemeral,
    cluster: doc.cluster ?? null,
    metadata: { ...doc.metadata },
    tags: [],
    urls: {},
    // A persistent instance's health does not depend on heartbeats, so it has none to show.
    lastHeartbeat: doc.ephemeral ? iso(doc.lastBeat) : null,
    // The store removes a silent ephemeral instance after twice its TTL: that is its lease.
    lease: doc.ephemeral ? { durationMs: 2 * doc.ttlMs, expiresAt: iso(doc.lastBeat + 2 * doc.ttlMs) } : null,
    healthy,
    enabled: doc.enabled,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isHealthy(doc: InstanceDoc, now: number): boolean {
  return !doc.ephemeral || now - doc.lastBeat <= doc.ttlMs;
}

function isGone(doc: InstanceDoc, now: number): boolean {
  return doc.ephemeral && now - doc.lastBeat > 2 * doc.ttlMs;
}

