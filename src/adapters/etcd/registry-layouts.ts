import type { Traffic } from '../../core/registry.js';
import { isObject } from '../kit/shape.js';
import type { Kv } from './codec.js';
import { utf8 } from './kv.js';
import type { EtcdLayout, EtcdTemplate } from './options.js';

/**
 * The registration layouts Go frameworks write into etcd, read from each project's source (the
 * origin of every shape is in test/fixtures/etcd/README.md):
 * - go-micro: `/micro/registry/{service}/{node id}` → JSON of its registry.Service holding one node,
 *   `{name, version, metadata, endpoints, nodes: [{id, address: "host:port", metadata}]}`;
 * - Kratos: `/microservices/{name}/{id}` → JSON ServiceInstance `{id, name, version, metadata,
 *   endpoints: ["http://ip:port", "grpc://ip:port"]}`;
 * - go-zero: `{key}/{lease id}` → the text `host:port`;
 * - the profile's own templates (a key with {service} and {instance}, a value of named fields).
 * The key says where a registration sits; the value says which layout wrote it, so a prefix holding
 * another framework's keys is still read right.
 */

/** One place registrations live: a prefix with the layout written there, or a template. */
export interface Root {
  prefix: string;
  /** What register writes here. */
  writes: EtcdLayout | 'template';
  template: EtcdTemplate | null;
  /** The service and instance id a key under `prefix` names; null when it names none. */
  split(key: string): { service: string; id: string } | null;
  /** The key prefix holding every instance of one service. */
  servicePrefix(service: string): string;
  /** The key of one instance. */
  keyOf(service: string, id: string): string;
}

export function rootsOf(prefixes: Record<string, EtcdLayout>, templates: readonly EtcdTemplate[]): Root[] {
  const roots: Root[] = Object.entries(prefixes).map(([prefix, layout]) => ({
    prefix,
    writes: layout,
    template: null,
    split(key) {
      const rest = key.slice(prefix.length);
      const i = rest.lastIndexOf('/');
      if (i <= 0 || i === rest.length - 1) return null;
      return { service: rest.slice(0, i), id: rest.slice(i + 1) };
    },
    servicePrefix: (service) => `${prefix}${service}/`,
    keyOf: (service, id) => `${prefix}${service}/${id}`,
  }));
  for (const t of templates) {
    const at = t.key.indexOf('{service}');
    const prefix = t.key.slice(0, at);
    const middle = t.key.slice(at + '{service}'.length, t.key.indexOf('{instance}'));
    const re = new RegExp(`^${escape(prefix)}([^/]+)${escape(middle)}([^/]+)$`);
    roots.push({
      prefix,
      writes: 'template',
      template: t,
      split(key) {
        const m = re.exec(key);
        return m ? { service: m[1]!, id: m[2]! } : null;
      },
      servicePrefix: (service) => `${prefix}${service}${middle}`,
      keyOf: (service, id) => `${prefix}${service}${middle}${id}`,
    });
  }
  return roots;
}

/** A registration as read from one key. */
export interface Registration {
  kv: Kv;
  root: Root;
  service: string;
  id: string;
  layout: EtcdLayout | 'template';
  ip: string;
  port: number;
  metadata: Record<string, string>;
  tags: string[];
  urls: Record<string, string>;
  status: string | null;
  traffic: Traffic;
  weight: number | null;
  /** The parsed JSON value, for read-modify-write; null for a text value. */
  json: Record<string, unknown> | null;
}

/**
 * Reads one key as a registration, telling the layout from the value; null when the key is no
 * registration of a layout opsdeck knows (the caller counts those and says so).
 */
export function recognise(kv: Kv, root: Root): Registration | null {
  const where = root.split(kv.key.toString('utf8'));
  if (!where) return null;
  const text = utf8(kv.value);
  if (text === null) return null;
  const base = { kv, root, service: where.service, id: where.id, tags: [] as string[], urls: {} as Record<string, string>, status: null, traffic: 'enabled' as Traffic, weight: null };
  if (root.template) return fromTemplate(root.template, text, base);
  const json = parseObject(text);
  if (json) {
    if (Array.isArray(json.nodes)) {
      const nodes = json.nodes.filter(isObject);
      const node = nodes.find((n) => n.id === where.id) ?? nodes[0];
      const addr = node && typeof node.address === 'string' ? hostPort(node.address) : null;
      if (!node || !addr) return null;
      return { ...base, layout: 'go-micro', ...addr, metadata: strings(node.metadata), tags: versionTag(json.version), json };
    }
    if (Array.isArray(json.endpoints) && typeof json.id === 'string') {
      const endpoints = json.endpoints.filter((e): e is string => typeof e === 'string');
      const urls: Record<string, string> = {};
      let addr: { ip: string; port: number } | null = null;
      for (const e of endpoints) {
        const u = safeUrl(e);
        if (!u) continue;
        const scheme = u.protocol.replace(/:$/, '');
        if (!(scheme in urls)) urls[scheme] = e;
        addr ??= urlAddress(u);
      }
      if (!addr) return null;
      return { ...base, layout: 'kratos', ...addr, metadata: strings(json.metadata), tags: versionTag(json.version), urls, json };
    }
    return null;
  }
  const addr = hostPort(text.trim());
  return addr ? { ...base, layout: 'go-zero', ...addr, metadata: {}, json: null } : null;
}

function fromTemplate(t: EtcdTemplate, text: string, base: Omit<Registration, 'layout' | 'ip' | 'port' | 'metadata' | 'json'>): Registration | null {
  if (t.value === 'address') {
    const addr = hostPort(text.trim());
    return addr ? { ...base, layout: 'template', ...addr, metadata: {}, json: null } : null;
  }
  const json = parseObject(text);
  if (!json) return null;
  const hostField = json[t.host];
  const portField = t.port === undefined ? undefined : json[t.port];
  let addr: { ip: string; port: number } | null = null;
  if (typeof hostField === 'string') {
    const port = typeof portField === 'number' ? portField : typeof portField === 'string' ? Number(portField) : NaN;
    const u = safeUrl(hostField);
    addr = Number.isInteger(port) && port > 0 && port < 65536 ? { ip: hostField, port } : (hostPort(hostField) ?? (u ? urlAddress(u) : null));
  }
  if (!addr) return null;
  const status = t.status !== undefined && typeof json[t.status] === 'string' ? (json[t.status] as string) : null;
  const weight = t.weight !== undefined && typeof json[t.weight] === 'number' ? (json[t.weight] as number) : null;
  return {
    ...base,
    layout: 'template',
    ...addr,
    metadata: t.metadata === undefined ? {} : strings(json[t.metadata]),
    status,
    traffic: status !== null && status === t.down ? 'disabled' : 'enabled',
    weight,
    json,
  };
}

/** `host:port`, `[v6]:port`; null for anything else. */
export function hostPort(text: string): { ip: string; port: number } | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { ip: m[1]!.replace(/^\[|\]$/g, ''), port } : null;
}

/** A URL's host and port; a URL that leaves its port out (http://h) has its scheme's. */
function urlAddress(u: URL): { ip: string; port: number } | null {
  const port = u.port !== '' ? Number(u.port) : u.protocol === 'http:' ? 80 : u.protocol === 'https:' ? 443 : NaN;
  return u.hostname !== '' && Number.isInteger(port) ? { ip: u.hostname.replace(/^\[|\]$/g, ''), port } : null;
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  if (!text.trimStart().startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** A JSON object's string values (metadata maps are map[string]string in every layout). */
function strings(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function versionTag(v: unknown): string[] {
  return typeof v === 'string' && v !== '' ? [`version=${v}`] : [];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The value register writes for a new instance in `root`'s layout. */
export function encodeNew(root: Root, service: string, id: string, ip: string, port: number, metadata: Record<string, string>, weight: number | undefined): string {
  const address = ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
  switch (root.writes) {
    case 'go-micro':
      return JSON.stringify({ name: service, version: '', metadata: {}, endpoints: [], nodes: [{ id, address, metadata }] });
    case 'kratos':
      return JSON.stringify({ id, name: service, version: '', metadata, endpoints: [`http://${address}`] });
    case 'go-zero':
      return address;
    case 'template': {
      const t = root.template!;
      if (t.value === 'address') return address;
      const out: Record<string, unknown> = t.port === undefined ? { [t.host]: address } : { [t.host]: ip, [t.port]: port };
      if (t.status !== undefined) out[t.status] = t.up;
      if (t.weight !== undefined) out[t.weight] = weight ?? 1;
      if (t.metadata !== undefined) out[t.metadata] = metadata;
      return JSON.stringify(out);
    }
  }
}

/** Where a layout keeps instance metadata in its JSON; null where it has none (go-zero, an address template). */
export function metadataHolder(r: Registration): Record<string, unknown> | null {
  if (!r.json) return null;
  if (r.layout === 'go-micro') {
    const nodes = (r.json.nodes as unknown[]).filter(isObject);
    const node = nodes.find((n) => n.id === r.id) ?? nodes[0]!;
    if (!isObject(node.metadata)) node.metadata = {};
    return node.metadata as Record<string, unknown>;
  }
  if (r.layout === 'kratos') {
    if (!isObject(r.json.metadata)) r.json.metadata = {};
    return r.json.metadata as Record<string, unknown>;
  }
  const field = r.root.template?.metadata;
  if (field === undefined) return null;
  if (!isObject(r.json[field])) r.json[field] = {};
  return r.json[field] as Record<string, unknown>;
}
