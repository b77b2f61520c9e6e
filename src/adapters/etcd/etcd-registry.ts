import { refuseIfAborted } from '../kit/with-signal.js';
import { randomUUID } from 'node:crypto';
import { conflict, notFound, OpsError, usage } from '../../core/errors.js';
import type { InstanceView, MetadataChange, RegisterRequest, RegistryBackend, ServiceDetail, ServiceRef, ServiceSummary, Traffic, WriteNote, WriteOptions } from '../../core/registry.js';
import type { Scope, ScopeModel } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import { readGrant, readKeepAlive } from './answers.js';
import type { EtcdHttp } from './etcd-http.js';
import { deleteIfUnchanged, leaseTtl, putIfUnchanged, scanPrefix } from './kv.js';
import type { EtcdOptions } from './options.js';
import { encodeNew, metadataHolder, recognise, rootsOf, type Registration, type Root } from './registry-layouts.js';
import { watchPrefixes } from './watch.js';

/** Lease look-ups in flight at once while reading a service or a listing. */
const LEASE_CONCURRENCY = 8;

/**
 * etcd as a registry: registrations are keys under the profile's prefixes (scope kind `prefix`),
 * each read in the layout its value shows (registry-layouts.ts). An instance lives by its key's
 * lease: the lease's time left and granted TTL are its heartbeat (`lease`), and a key without one
 * is persistent with unknown health (etcd checks nothing). No layout of the frameworks has a
 * status, so drain exists only when the profile's template names a status field; weights likewise.
 */
export function etcdRegistry(http: EtcdHttp, o: EtcdOptions): RegistryBackend {
  const roots = rootsOf(o.prefixes, o.templates);
  const scope: ScopeModel = { kinds: ['prefix'], defaults: {} };
  const rootsFor = (s: Scope): Root[] => {
    if (s.prefix === undefined) return roots;
    const known = roots.filter((r) => r.prefix === s.prefix);
    if (known.length > 0) return known;
    throw usage(`${o.name} has no registry prefix ${s.prefix}`, `its prefixes are ${roots.map((r) => JSON.stringify(r.prefix)).join(', ')}; add one under prefixes: or templates: in the profile`);
  };

  /** The registrations of one service in one root, with the lease facts of each. */
  const readService = async (root: Root, name: string, signal?: AbortSignal): Promise<Registration[]> => {
    const kvs = await scanPrefix(http, Buffer.from(root.servicePrefix(name), 'utf8'), o.maxServiceKeys, signal ? { signal } : {});
    return kvs.map((kv) => recognise(kv, root)).filter((r): r is Registration => r !== null && r.service === name);
  };

  const leases = async (regs: readonly Registration[]): Promise<Map<string, { ttlS: number; grantedTtlS: number | null } | null>> => {
    const ids = [...new Set(regs.map((r) => r.kv.lease).filter((l) => l !== '0'))];
    const out = new Map<string, { ttlS: number; grantedTtlS: number | null } | null>();
    for (let i = 0; i < ids.length; i += LEASE_CONCURRENCY) {
      const batch = ids.slice(i, i + LEASE_CONCURRENCY);
      const facts = await Promise.all(batch.map((id) => leaseTtl(http, id)));
      batch.forEach((id, j) => out.set(id, facts[j]!));
    }
    return out;
  };

  const viewOf = (r: Registration, lease: { ttlS: number; grantedTtlS: number | null } | null | undefined, now: number): InstanceView => {
    const leased = r.kv.lease !== '0';
    const alive = leased && lease !== null && lease !== undefined;
    const health = !leased ? 'unknown' : alive ? 'passing' : 'critical';
    return {
      id: r.id,
      ip: r.ip,
      port: r.port,
      health,
      traffic: r.traffic,
      status: r.status,
      statusOverride: null,
      weight: r.weight,
      ephemeral: leased,
      cluster: null,
      metadata: r.metadata,
      tags: r.tags,
      urls: r.urls,
      lastHeartbeat: null,
      lease: leased ? { durationMs: lease?.grantedTtlS == null ? null : lease.grantedTtlS * 1000, expiresAt: alive ? new Date(now + lease.ttlS * 1000).toISOString() : null } : null,
      healthy: health === 'passing',
      enabled: r.traffic === 'enabled',
    };
  };

  const layoutOf = (regs: readonly Registration[]): string => [...new Set(regs.map((r) => (r.layout === 'template' ? `template ${r.root.template!.key}` : r.layout)))].sort().join('+');

  const detail = async (ref: ServiceRef, signal?: AbortSignal): Promise<{ root: Root; regs: Registration[]; view: ServiceDetail }> => {
    for (const root of rootsFor(ref.scope)) {
      const regs = await readService(root, ref.name, signal);
      if (regs.length === 0) continue;
      const facts = await leases(regs);
      const now = Date.now();
      return { root, regs, view: { backend: o.name, prefix: root.prefix, name: ref.name, layout: layoutOf(regs), instances: regs.map((r) => viewOf(r, facts.get(r.kv.lease), now)) } };
    }
    const where = ref.scope.prefix === undefined ? `any of ${o.name}'s prefixes` : `prefix ${ref.scope.prefix}`;
    throw notFound(`service ${ref.name} has no registrations under ${where}`, 'names are case-sensitive; "opsdeck services list" shows the services');
  };

  const instanceOf = async (ref: ServiceRef, id: string): Promise<Registration> => {
    const { regs } = await detail(ref);
    const found = regs.find((r) => r.id === id) ?? (regs.filter((r) => `${r.ip}:${r.port}` === id).length === 1 ? regs.find((r) => `${r.ip}:${r.port}` === id) : undefined);
    if (!found) throw notFound(`service ${ref.name} has no instance ${id}`, `"opsdeck services show ${ref.name}" lists its instances`);
    return found;
  };

  /** Rewrites one registration's JSON with `change`, only while the key is as read, keeping its lease. */
  const rewrite = async (ref: ServiceRef, id: string, what: string, change: (r: Registration) => void): Promise<ServiceDetail> => {
    const r = await instanceOf(ref, id);
    change(r);
    const res = await putIfUnchanged(http, r.kv.key, Buffer.from(JSON.stringify(r.json), 'utf8'), r.kv.modRevision, r.kv.lease);
    if (!res.ok) throw conflict(`instance ${id} of ${ref.name} changed while opsdeck was ${what} (its key is at mod_revision ${res.now?.modRevision ?? 'none'} now)`, 'look again and retry');
    return (await detail(ref)).view;
  };

  const templateField = (r: Registration, field: 'status' | 'weight', what: string): string => {
    const name = r.root.template?.[field];
    if (name === undefined || r.json === null) {
      throw new OpsError('unsupported', `instance ${r.id} of ${r.service} is registered in the ${r.layout} layout, which has no ${field} field, so opsdeck cannot ${what} it`, `a layout of the profile's own (templates:) can name a ${field} field`);
    }
    return name;
  };

  const backend: RegistryBackend = {
    name: o.name,
    scope,
    // Each registration carries its own lease (a TTL granted per instance).
    leaseTtl: 'per-instance',

    async listServices(filter, opts: ListOptions = {}): Promise<ServiceSummary[]> {
      const needle = filter.text?.toLowerCase();
      const out: ServiceSummary[] = [];
      for (const root of rootsFor(filter.scope)) {
        const kvs = await scanPrefix(http, Buffer.from(root.prefix, 'utf8'), o.maxServiceKeys, opts);
        const byService = new Map<string, Registration[]>();
        let unknown = 0;
        for (const kv of kvs) {
          const r = recognise(kv, root);
          if (r === null) {
            unknown++;
            continue;
          }
          if (needle !== undefined && !r.service.toLowerCase().includes(needle)) continue;
          byService.set(r.service, [...(byService.get(r.service) ?? []), r]);
        }
        if (unknown > 0) opts.onWarning?.(`${unknown} key(s) under ${JSON.stringify(root.prefix)} are no registration of a known layout and were left out`);
        const all = [...byService.values()].flat();
        const facts = await leases(all);
        const now = Date.now();
        for (const [name, regs] of byService) {
          const views = regs.map((r) => viewOf(r, facts.get(r.kv.lease), now));
          out.push({ backend: o.name, prefix: root.prefix, name, instances: views.length, healthy: views.filter((v) => v.health === 'passing').length, disabled: views.filter((v) => v.traffic === 'disabled').length, layout: layoutOf(regs) });
        }
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },

    async getService(ref, opts = {}) {
      return (await detail(ref, opts.signal)).view;
    },

    /**
     * Push for the console's panes from etcd watches: a service's pane watches its key prefix in
     * each root in scope, the listing every root. A lease that expires deletes its keys, so a dead
     * instance shows as soon as etcd drops it; keep-alives write nothing and wake nobody.
     */
    async *changes(target, signal) {
      const prefixes = rootsFor(target.scope).map((r) => Buffer.from(target.service === undefined ? r.prefix : r.servicePrefix(target.service), 'utf8'));
      yield* watchPrefixes(http, o, prefixes, signal);
    },

    async listScope(kind) {
      if (kind !== 'prefix') return [];
      return roots.map((r) => ({ id: r.prefix, name: r.prefix, description: r.template ? `template ${r.template.key}` : r.writes }));
    },

    /**
     * Writes a registration in the layout of the prefix (the first prefix without --prefix), on a
     * lease of its own when ephemeral. An address the service has already is rewritten in place.
     */
    async register(ref, req: RegisterRequest, wo?: WriteOptions) {
      refuseIfAborted(wo?.signal, 'the registration');
      const root = ref.scope.prefix === undefined ? roots[0] : rootsFor(ref.scope)[0];
      if (!root) throw usage(`${o.name} has no registry prefix to register under`, 'add one under prefixes: or templates: in the profile');
      if ((root.writes === 'go-zero' || root.template?.value === 'address') && Object.keys(req.metadata).length > 0) throw usage(`the ${root.writes} layout keeps only the address: it has no metadata`, 'register without --meta');
      const existing = (await readService(root, ref.name)).find((r) => r.ip === req.ip && r.port === req.port);
      let lease = existing?.kv.lease ?? '0';
      if (req.ephemeral) {
        const granted = readGrant(http.shape('/v3/lease/grant'), await http.call('/v3/lease/grant', { TTL: String(Math.max(1, Math.ceil((req.ttlMs ?? 30_000) / 1000))) }));
        lease = granted.id;
      } else if (!existing) lease = '0';
      // go-zero names a registration by its lease id; the others by an id of their own.
      const id = existing?.id ?? (root.writes === 'go-zero' ? (lease !== '0' ? lease : String(Date.now())) : root.writes === 'go-micro' ? `${ref.name}-${randomUUID()}` : randomUUID());
      const key = Buffer.from(root.keyOf(ref.name, id), 'utf8');
      const value = encodeNew(root, ref.name, id, req.ip, req.port, req.metadata, req.weight);
      const res = await putIfUnchanged(http, key, Buffer.from(value, 'utf8'), existing?.kv.modRevision ?? 0, lease);
      if (!res.ok) throw conflict(`${root.keyOf(ref.name, id)} changed while opsdeck was registering`, 'look again and retry');
      return (await detail({ scope: { prefix: root.prefix }, name: ref.name })).view;
    },

    async deregister(ref, instanceId): Promise<WriteNote> {
      const r = await instanceOf(ref, instanceId);
      const res = await deleteIfUnchanged(http, r.kv.key, r.kv.modRevision);
      if (!res.ok) throw conflict(`instance ${instanceId} of ${ref.name} changed while opsdeck was deregistering it; nothing was deleted`, 'look again and retry');
      return r.kv.lease === '0' ? {} : { warnings: [leaseWarning(r.kv.lease)] };
    },

    deregisterWarning(instance) {
      return instance.ephemeral ? 'this registration lives on its app\'s lease: while that app runs it keeps the lease alive and may register again (go-micro re-registers every RegisterInterval; Kratos and go-zero when their keep-alive breaks)' : null;
    },

    async heartbeat(ref, instanceId) {
      const r = await instanceOf(ref, instanceId);
      if (r.kv.lease === '0') throw usage(`instance ${instanceId} of ${ref.name} has no lease: it is persistent and needs no heartbeat`, 'only registrations on a lease expire');
      const ttl = readKeepAlive(http.shape('/v3/lease/keepalive'), await http.call('/v3/lease/keepalive', { ID: r.kv.lease }));
      if (ttl <= 0) throw notFound(`the lease of instance ${instanceId} of ${ref.name} is gone`, 'the registration expired');
    },

    async updateMetadata(ref, instanceId, change: MetadataChange) {
      return rewrite(ref, instanceId, 'updating its metadata', (r) => {
        const holder = metadataHolder(r);
        if (holder === null) throw new OpsError('unsupported', `instance ${instanceId} of ${ref.name} is registered in the ${r.layout} layout, which keeps only the address: it has no metadata`, 'metadata lives in the go-micro, Kratos and JSON template layouts');
        for (const k of change.remove) delete holder[k];
        Object.assign(holder, change.set);
      });
    },
  };

  // Drain and weights exist only where a layout of the profile has the field.
  if (o.templates.some((t) => t.status !== undefined)) {
    backend.setTraffic = (ref, instanceId, traffic: Traffic) =>
      rewrite(ref, instanceId, traffic === 'disabled' ? 'draining it' : 'undraining it', (r) => {
        const field = templateField(r, 'status', traffic === 'disabled' ? 'drain' : 'undrain');
        r.json![field] = traffic === 'disabled' ? r.root.template!.down : r.root.template!.up;
      });
  }
  if (o.templates.some((t) => t.weight !== undefined)) {
    backend.setWeight = (ref, instanceId, weight) =>
      rewrite(ref, instanceId, 'setting its weight', (r) => {
        r.json![templateField(r, 'weight', 'weigh')] = weight;
      });
  }
  return backend;
}

function leaseWarning(lease: string): string {
  return `the key was on lease ${BigInt(lease).toString(16)}: an app still keeping that lease alive may register again`;
}
