import type { InstanceView, ScopeEntry } from '../../core/registry.js';
import type { AnswerShape } from '../kit/shape.js';

/**
 * The naming answers opsdeck reads, checked field by field: a wrong shape is a 'bad-answer' (exit
 * 3) naming the server and the JSON path, never a crash or a listing that is silently empty.
 * Fields differ by version (`allIPs`/`allIps`, `instanceId` absent on persistent instances, an
 * `instanceIdGenerator` on some), so only what opsdeck uses is required.
 */

type Obj = Record<string, unknown>;

export function num(s: AnswerShape, o: Obj, key: string, parent: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw s.fail(at(parent, key), 'a number', v);
  return v;
}

export function optNum(s: AnswerShape, o: Obj, key: string, parent: string): number | undefined {
  return o[key] === undefined || o[key] === null ? undefined : num(s, o, key, parent);
}

/** A string field that Nacos may send as null. */
export function optText(s: AnswerShape, o: Obj, key: string, parent: string): string | undefined {
  return o[key] === null ? undefined : s.optStr(o, key, parent);
}

export function at(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** Namespaces (2.x `/v1/console/namespaces` data, 3.x namespace list data): the public one as "public". */
export function readNamespaces(s: AnswerShape, data: unknown): ScopeEntry[] {
  return s.arrayOf(data, 'data', (item, path) => {
    const n = s.object(item, path);
    const id = optText(s, n, 'namespace', path) ?? '';
    const name = optText(s, n, 'namespaceShowName', path) ?? id;
    return { id: id === '' ? 'public' : id, name: name === '' ? id || 'public' : name, description: optText(s, n, 'namespaceDesc', path) ?? null };
  });
}

/** The id Nacos gives an instance registered without one (persistent instances carry none). */
export function builtInstanceId(ip: string, port: number, cluster: string, group: string, service: string): string {
  return `${ip}#${port}#${cluster}#${group}@@${service}`;
}

/** One instance of the catalog (2.x) or admin (3.x) list: disabled ones included. */
export function readInstance(s: AnswerShape, v: unknown, path: string, group: string, service: string, cluster?: string): InstanceView {
  const o = s.object(v, path);
  const ip = s.str(o, 'ip', path);
  const port = num(s, o, 'port', path);
  const clusterName = optText(s, o, 'clusterName', path) ?? cluster ?? 'DEFAULT';
  const healthy = s.optBool(o, 'healthy', path) ?? s.optBool(o, 'valid', path) ?? false;
  const enabled = s.optBool(o, 'enabled', path) ?? true;
  const id = optText(s, o, 'instanceId', path);
  return {
    id: id === undefined || id === '' ? builtInstanceId(ip, port, clusterName, group, service) : id,
    ip,
    port,
    health: healthy ? 'passing' : 'critical',
    traffic: enabled ? 'enabled' : 'disabled',
    status: null,
    statusOverride: null,
    weight: optNum(s, o, 'weight', path) ?? null,
    ephemeral: s.optBool(o, 'ephemeral', path) ?? null,
    cluster: clusterName,
    metadata: readMetadata(s, o.metadata, at(path, 'metadata')),
    tags: [],
    urls: {},
    // Nacos' HTTP APIs do not say when an instance last beat, nor hold a lease per instance.
    lastHeartbeat: null,
    lease: null,
    healthy,
    enabled,
  };
}

function readMetadata(s: AnswerShape, v: unknown, path: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  const o = s.object(v, path);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else throw s.fail(at(path, k), 'text', x);
  }
  return out;
}

/** One service of a service list, with the instances where the answer carries them. */
export interface ServiceRow {
  group: string;
  name: string;
  instances: number;
  healthy: number;
  /** Null where the list gives counts only (2.x without instances). */
  disabled: number | null;
}

/** 2.x `/v1/ns/catalog/services?withInstances=false`: `{count, serviceList}`. */
export function readCatalogPage(s: AnswerShape, body: unknown): { total: number; rows: ServiceRow[] } {
  const o = s.object(body);
  return {
    total: num(s, o, 'count', ''),
    rows: s.arrayOf(o.serviceList ?? [], 'serviceList', (item, path) => {
      const r = s.object(item, path);
      return { group: s.str(r, 'groupName', path), name: s.str(r, 'name', path), instances: num(s, r, 'ipCount', path), healthy: num(s, r, 'healthyInstanceCount', path), disabled: null };
    }),
  };
}

/**
 * 2.x `withInstances=true` (a plain list of services that have instances; hosts carry `valid`
 * and `enabled`) and 3.x `/v3/admin/ns/service/list?withInstances=true` (a page whose items
 * carry `clusterMap.*.hosts` with `healthy` and `enabled`): counts from the instances.
 */
export function readServicesWithHosts(s: AnswerShape, items: unknown, path: string): ServiceRow[] {
  return s.arrayOf(items, path, (item, p) => {
    const r = s.object(item, p);
    const clusters = r.clusterMap === null || r.clusterMap === undefined ? {} : s.obj(r, 'clusterMap', p);
    let instances = 0;
    let healthy = 0;
    let disabled = 0;
    for (const [name, c] of Object.entries(clusters)) {
      const cp = at(at(p, 'clusterMap'), name);
      const hosts = s.object(c, cp).hosts;
      if (hosts === null || hosts === undefined) continue;
      for (const [i, h] of s.array(hosts, at(cp, 'hosts')).entries()) {
        const host = s.object(h, `${at(cp, 'hosts')}[${i}]`);
        instances++;
        if (host.healthy === true || (host.healthy === undefined && host.valid === true)) healthy++;
        if (host.enabled === false) disabled++;
      }
    }
    return { group: s.str(r, 'groupName', p), name: s.str(r, 'serviceName', p), instances, healthy, disabled };
  });
}

/** A v3 page: `{totalCount, pageNumber, pagesAvailable, pageItems}`. */
export function readPage(s: AnswerShape, data: unknown, path = 'data'): { total: number; items: unknown[] } {
  const o = s.object(data, path);
  return { total: num(s, o, 'totalCount', path), items: s.array(o.pageItems ?? [], at(path, 'pageItems')) };
}

/** The cluster names of a 2.x `/v1/ns/catalog/service` answer. */
export function readClusterNames(s: AnswerShape, body: unknown): string[] {
  const o = s.object(body);
  return s.arrayOf(o.clusters ?? [], 'clusters', (c, path) => s.str(s.object(c, path), 'name', path));
}

/** The cluster names of a 3.x `/v3/admin/ns/service` answer's data (`clusterMap` keys). */
export function readClusterMapNames(s: AnswerShape, data: unknown): string[] {
  const o = s.object(data, 'data');
  return o.clusterMap === null || o.clusterMap === undefined ? [] : Object.keys(s.obj(o, 'clusterMap', 'data'));
}

/** `{list, count}` of 2.x `/v1/ns/catalog/instances`. */
export function readCatalogInstances(s: AnswerShape, body: unknown): { total: number; items: unknown[] } {
  const o = s.object(body);
  return { total: num(s, o, 'count', ''), items: s.array(o.list ?? [], 'list') };
}
