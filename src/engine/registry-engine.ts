import { notFound } from '../core/errors.js';
import type { RegisterOptions, RegistryBackend, ServiceRef } from '../core/subsystems.js';
import type { InstanceView, ServiceDetail, ServiceSummary } from '../core/types.js';
import { keys, splitKey } from './keys.js';
import type { KvStore, ReadView, WriteTx } from './store/kv-store.js';

interface InstanceDoc {
  ip: string;
  port: number;
  weight: number;
  enabled: boolean;
  ephemeral: boolean;
  /** Heartbeat TTL for ephemeral instances; unhealthy after it, gone after twice it. */
  ttlMs: number;
  lastBeat: number;
  registeredAt: number;
  metadata: Record<string, string>;
}

/** The embedded registry: namespaces, groups, services and instances with heartbeat TTLs. */
export class RegistryEngine implements RegistryBackend {
  constructor(private readonly store: KvStore, private readonly now: () => number) {}

  listServices(filter: { namespace?: string; group?: string; text?: string }): Promise<ServiceSummary[]> {
    return this.store.read((view) => {
      const now = this.now();
      const byService = new Map<string, ServiceSummary>();
      const needle = filter.text?.toLowerCase();
      for (const [key, doc] of view.scan<InstanceDoc>(keys.instancePrefix(filter.namespace, filter.group))) {
        if (isGone(doc, now)) continue;
        const [namespace, group, name] = splitKey(key) as [string, string, string];
        if (needle && !name.toLowerCase().includes(needle)) continue;
        const id = `${namespace}\0${group}\0${name}`;
        let s = byService.get(id);
        if (!s) byService.set(id, (s = { namespace, group, name, instances: 0, healthy: 0 }));
        s.instances++;
        if (isHealthy(doc, now)) s.healthy++;
      }
      return [...byService.values()];
    });
  }

  getService(ref: ServiceRef): Promise<ServiceDetail> {
    return this.store.read((view) => this.detail(view, ref, true));
  }

  register(ref: ServiceRef, ip: string, port: number, opts: RegisterOptions): Promise<ServiceDetail> {
    return this.store.update((tx) => {
      const now = this.now();
      this.sweep(tx, ref, now);
      const key = keys.instance(ref.namespace, ref.group, ref.service, ip, port);
      const prev = tx.get<InstanceDoc>(key);
      const alive = prev && !isGone(prev, now) ? prev : undefined;
      tx.put(key, {
        ip,
        port,
        weight: opts.weight,
        // Re-registering must not silently undo a drain someone did on purpose.
        enabled: alive ? alive.enabled : true,
        ephemeral: opts.ephemeral,
        ttlMs: opts.ttlMs,
        lastBeat: now,
        registeredAt: alive ? alive.registeredAt : now,
        metadata: opts.metadata,
      } satisfies InstanceDoc);
      return this.detail(tx, ref, true);
    });
  }

  heartbeat(ref: ServiceRef, ip: string, port: number): Promise<void> {
    return this.store.update((tx) => {
      const key = keys.instance(ref.namespace, ref.group, ref.service, ip, port);
      const doc = this.existing(tx, ref, ip, port);
      tx.put(key, { ...doc, lastBeat: this.now() });
    });
  }

  deregister(ref: ServiceRef, ip: string, port: number): Promise<void> {
    return this.store.update((tx) => {
      this.existing(tx, ref, ip, port);
      tx.del(keys.instance(ref.namespace, ref.group, ref.service, ip, port));
      this.sweep(tx, ref, this.now());
    });
  }

  setEnabled(ref: ServiceRef, ip: string, port: number, enabled: boolean): Promise<ServiceDetail> {
    return this.store.update((tx) => {
      const doc = this.existing(tx, ref, ip, port);
      tx.put(keys.instance(ref.namespace, ref.group, ref.service, ip, port), { ...doc, enabled });
      return this.detail(tx, ref, true);
    });
  }

  private existing(view: ReadView, ref: ServiceRef, ip: string, port: number): InstanceDoc {
    const doc = view.get<InstanceDoc>(keys.instance(ref.namespace, ref.group, ref.service, ip, port));
    if (!doc || isGone(doc, this.now())) {
      throw notFound(
        `instance ${ip}:${port} is not registered in ${ref.service} (namespace ${ref.namespace}, group ${ref.group})`,
        `run "opsdeck services show ${ref.service}" to see its instances`,
      );
    }
    return doc;
  }

  /** Removes ephemeral instances of one service that have been silent for twice their TTL. */
  private sweep(tx: WriteTx, ref: ServiceRef, now: number): void {
    for (const [key, doc] of tx.scan<InstanceDoc>(keys.instancePrefix(ref.namespace, ref.group, ref.service))) {
      if (isGone(doc, now)) tx.del(key);
    }
  }

  private detail(view: ReadView, ref: ServiceRef, mustExist: boolean): ServiceDetail {
    const now = this.now();
    const instances: InstanceView[] = [];
    for (const [, doc] of view.scan<InstanceDoc>(keys.instancePrefix(ref.namespace, ref.group, ref.service))) {
      if (isGone(doc, now)) continue;
      instances.push({
        id: `${doc.ip}:${doc.port}`,
        ip: doc.ip,
        port: doc.port,
        weight: doc.weight,
        healthy: isHealthy(doc, now),
        enabled: doc.enabled,
        ephemeral: doc.ephemeral,
        metadata: { ...doc.metadata },
      });
    }
    if (mustExist && instances.length === 0) {
      throw notFound(
        `service ${ref.service} not found in namespace ${ref.namespace}, group ${ref.group}`,
        'run "opsdeck services list" to see the services, or pass --namespace/--group',
      );
    }
    return { namespace: ref.namespace, group: ref.group, name: ref.service, instances };
  }
}

function isHealthy(doc: InstanceDoc, now: number): boolean {
  return !doc.ephemeral || now - doc.lastBeat <= doc.ttlMs;
}

function isGone(doc: InstanceDoc, now: number): boolean {
  return doc.ephemeral && now - doc.lastBeat > 2 * doc.ttlMs;
}
