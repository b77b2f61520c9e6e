/**
 * How applications register in ZooKeeper (docs/dev/zookeeper-registry-facts.md), told apart from
 * what the nodes hold, not from where they are: Spring Cloud Zookeeper and Dubbo's application
 * level share `/services`, and a curator-x-discovery base path is whatever its application chose.
 * - `spring-cloud`: a Curator ServiceInstance whose payload is Spring's ZookeeperInstance;
 * - `dubbo-app`: a Curator ServiceInstance whose payload is Dubbo's ZookeeperInstance;
 * - `curator`: any other Curator ServiceInstance (plain curator-x-discovery);
 * - `dubbo-interface`: `{dubboRoot}/{interface}/providers/{URL-encoded provider URL}`, where the
 *   node's name is the data (its data is only Curator's default, the client's address).
 */
export type ZkLayout = 'spring-cloud' | 'dubbo-app' | 'curator' | 'dubbo-interface';

export const SPRING_INSTANCE_CLASS = 'org.springframework.cloud.zookeeper.discovery.ZookeeperInstance';
export const DUBBO_INSTANCE_CLASS = 'org.apache.dubbo.registry.zookeeper.ZookeeperInstance';

/** Children of the Dubbo root that are Dubbo's own bookkeeping, not interfaces. */
export const DUBBO_RESERVED = new Set(['config', 'mapping', 'metadata']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Curator ServiceInstance as stored, with the whole object kept to write back unchanged but for the edit. */
export interface CuratorInstance {
  raw: Obj;
  name: string;
  id: string;
  address: string;
  port: number;
  payload: Obj | null;
  /** Curator's `enabled`; absent (null) means enabled: its serializer leaves it out by default. */
  enabled: boolean | null;
  layout: 'spring-cloud' | 'dubbo-app' | 'curator';
}

/** The node's data as a Curator ServiceInstance (JSON with name, id, address and a port), else null. */
export function parseCuratorInstance(data: Buffer): CuratorInstance | null {
  if (data.length < 2 || data.length > 1024 * 1024 || data[0] !== 0x7b) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch {
    return null;
  }
  if (!isObj(raw) || typeof raw.name !== 'string' || typeof raw.id !== 'string' || typeof raw.address !== 'string') return null;
  const port = typeof raw.port === 'number' ? raw.port : typeof raw.sslPort === 'number' ? raw.sslPort : null;
  if (port === null || !Number.isInteger(port)) return null;
  const payload = isObj(raw.payload) ? raw.payload : null;
  const cls = payload?.['@class'];
  const layout = cls === SPRING_INSTANCE_CLASS ? 'spring-cloud' : cls === DUBBO_INSTANCE_CLASS ? 'dubbo-app' : 'curator';
  return { raw, name: raw.name, id: raw.id, address: raw.address, port, payload, enabled: typeof raw.enabled === 'boolean' ? raw.enabled : null, layout };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * The instance's metadata: `payload.metadata` for Spring Cloud and Dubbo (Dubbo's structured
 * values are JSON inside strings already); for plain Curator the payload itself when it is a map,
 * without its Java type. Spring's `instance_status` is shown as the status, not as metadata.
 */
export function metadataOf(i: CuratorInstance): Record<string, string> {
  const p = i.payload;
  if (!p) return {};
  const source = i.layout === 'curator' ? p : isObj(p.metadata) ? p.metadata : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (k === '@class' || (i.layout === 'spring-cloud' && k === 'instance_status') || v === null || v === undefined) continue;
    out[k] = text(v);
  }
  return out;
}

/** Spring's `instance_status` (UP, OUT_OF_SERVICE, …); null where there is none. */
export function springStatus(i: CuratorInstance): string | null {
  const m = i.payload?.metadata;
  return isObj(m) && typeof m.instance_status === 'string' ? m.instance_status : null;
}

/** Spring Cloud LoadBalancer (Spring Cloud Zookeeper's supplier) keeps an instance whose status is empty or UP, in any case. */
export function springTakesTraffic(status: string | null): boolean {
  return status === null || status === '' || status.toUpperCase() === 'UP';
}

/** The instance with its metadata replaced, in the layout's place for it (Spring's status kept). */
export function withMetadata(i: CuratorInstance, metadata: Record<string, string>): Obj {
  if (i.layout === 'curator') return { ...i.raw, payload: { '@class': i.payload?.['@class'] ?? 'java.util.LinkedHashMap', ...metadata } };
  const status = springStatus(i);
  return { ...i.raw, payload: { ...(i.payload ?? {}), metadata: { ...metadata, ...(i.layout === 'spring-cloud' && status !== null ? { instance_status: status } : {}) } } };
}

/** The instance with Spring's `instance_status` set (the way Spring's ServiceRegistry.setStatus writes it). */
export function withSpringStatus(i: CuratorInstance, status: string): Obj {
  const payload = i.payload ?? { '@class': SPRING_INSTANCE_CLASS };
  const metadata = isObj(payload.metadata) ? payload.metadata : {};
  return { ...i.raw, payload: { ...payload, metadata: { ...metadata, instance_status: status } } };
}

/** The instance with Curator's own `enabled` flag, which its ServiceProvider honours. */
export function withEnabled(i: CuratorInstance, enabled: boolean): Obj {
  return { ...i.raw, enabled };
}

/** A provider URL as Dubbo writes it: `dubbo://host:port/path?k=v&…`, parameter values as they stand. */
export interface DubboUrl {
  protocol: string;
  host: string;
  port: number;
  path: string;
  params: Record<string, string>;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A `providers` child's name as a provider URL; null when it is not one. */
export function parseDubboUrl(nodeName: string): DubboUrl | null {
  const url = safeDecode(nodeName);
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^/:?]+)(?::(\d+))?(?:\/([^?]*))?(?:\?(.*))?$/i.exec(url);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const pair of (m[5] ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq > 0) params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { protocol: m[1]!, host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : 0, path: m[4] ?? '', params };
}
