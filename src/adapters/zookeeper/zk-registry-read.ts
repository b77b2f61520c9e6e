import { notFound, usage } from '../../core/errors.js';
import type { Health, InstanceView, ServiceDetail, ServiceRef, Traffic } from '../../core/registry.js';
import type { Scope } from '../../core/scope.js';
import { appRule, disables, parseRule, serviceRule, type RuleTarget } from './dubbo-rules.js';
import type { ZkOptions } from './options.js';
import { DUBBO_RESERVED, metadataOf, parseCuratorInstance, parseDubboUrl, safeDecode, springStatus, springTakesTraffic, type CuratorInstance, type DubboUrl, type ZkLayout } from './registry-layouts.js';
import type { Sessions } from './layouts.js';
import { sessionHex, type NodeStat, type ZkSession } from './zk-client.js';

/**
 * Reading services from ZooKeeper's registry layouts (registry-layouts.ts). A service is a
 * directory under one of the profile's roots (the scope kind `prefix`): `servicesRoot` (Spring
 * Cloud and Dubbo's application level), `dubboRoot` (Dubbo's interface level), and each of
 * `curatorBasePaths`. An instance is one node, its id the node's name.
 */

export type RootKind = 'services' | 'dubbo' | 'curator';
export interface Root {
  prefix: string;
  kind: RootKind;
}

export interface ZkRegistryContext {
  o: ZkOptions;
  session(): Promise<ZkSession>;
  /** Client addresses and session timeouts by session (`cons`), for the lease column. */
  sessions(): Promise<Sessions>;
}

/** One registered node as read: its layout decides what it means. */
export interface Registered {
  /** The full znode path. */
  path: string;
  /** The node's name: the instance id. */
  id: string;
  stat: NodeStat;
  layout: ZkLayout;
  curator: CuratorInstance | null;
  dubbo: DubboUrl | null;
}

export interface ServiceRead {
  root: Root;
  /** The service's znode name (Dubbo URL-encodes interfaces). */
  child: string;
  name: string;
  instances: Registered[];
}

export function rootsOf(o: ZkOptions): Root[] {
  const out: Root[] = [{ prefix: o.servicesRoot, kind: 'services' }, { prefix: o.dubboRoot, kind: 'dubbo' }];
  for (const p of o.curatorBasePaths) if (!out.some((r) => r.prefix === p)) out.push({ prefix: p, kind: 'curator' });
  return out;
}

/** The roots a scope names: its prefix (which must be one of the profile's), else all. */
export function rootsFor(o: ZkOptions, scope: Scope): Root[] {
  const all = rootsOf(o);
  if (scope.prefix === undefined) return all;
  const want = scope.prefix.replace(/(.)\/+$/, '$1');
  const r = all.find((x) => x.prefix === want);
  if (!r) throw usage(`${o.name} has no registry prefix ${scope.prefix}`, `use one of ${all.map((x) => x.prefix).join(', ')} (servicesRoot, dubboRoot and curatorBasePaths in the profile)`);
  return [r];
}

/** Reads many nodes at once (the client pipelines them), in slices so a huge directory does not queue everything. */
export async function inSlices<T, R>(items: readonly T[], fn: (t: T) => Promise<R>, size = 64): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** The instances of one service directory, recognised from their data; nodes no layout explains are left out. */
export async function readService(s: ZkSession, root: Root, child: string): Promise<ServiceRead | null> {
  const name = root.kind === 'dubbo' ? safeDecode(child) : child;
  if (root.kind === 'dubbo') {
    const dir = `${root.prefix}/${child}/providers`;
    const kids = await s.children(dir);
    if (kids === null) return null;
    const got = await inSlices(kids, async (id) => {
      const url = parseDubboUrl(id);
      const stat = url ? await s.exists(`${dir}/${id}`) : null;
      return url && stat ? ({ path: `${dir}/${id}`, id, stat, layout: 'dubbo-interface', curator: null, dubbo: url } satisfies Registered) : null;
    });
    return { root, child, name, instances: got.filter((x) => x !== null) };
  }
  const dir = `${root.prefix}/${child}`;
  const kids = await s.children(dir);
  if (kids === null) return null;
  const got = await inSlices(kids, async (id) => {
    const r = await s.read(`${dir}/${id}`);
    const c = r ? parseCuratorInstance(r.data) : null;
    return r && c ? ({ path: `${dir}/${id}`, id, stat: r.stat, layout: c.layout, curator: c, dubbo: null } satisfies Registered) : null;
  });
  return { root, child, name, instances: got.filter((x) => x !== null) };
}

/** The layout a service shows: its instances' one, `mixed` when they differ. */
export function layoutOf(read: ServiceRead): string | undefined {
  const kinds = new Set(read.instances.map((i) => i.layout));
  if (kinds.size === 1) return [...kinds][0];
  if (kinds.size > 1) return 'mixed';
  return read.root.kind === 'dubbo' ? 'dubbo-interface' : undefined;
}

/** The service by name: under the scope's prefix, else wherever it is (refusing a name found under two). */
export async function locate(ctx: ZkRegistryContext, s: ZkSession, ref: ServiceRef): Promise<ServiceRead> {
  const roots = rootsFor(ctx.o, ref.scope);
  const found: ServiceRead[] = [];
  for (const root of roots) {
    let child: string | undefined = ref.name;
    if (root.kind === 'dubbo') child = ((await s.children(root.prefix)) ?? []).find((c) => !DUBBO_RESERVED.has(c) && safeDecode(c) === ref.name);
    const read = child === undefined ? null : await readService(s, root, child);
    if (read && read.instances.length > 0) found.push(read);
  }
  if (found.length === 0) {
    const where = roots.map((r) => r.prefix).join(', ');
    throw notFound(`service ${ref.name} not found under ${where} on ZooKeeper ${ctx.o.connect}`, 'names are case-sensitive; "opsdeck services list" shows the services (a service with no instance left is not one)');
  }
  if (found.length > 1) {
    throw usage(`service ${ref.name} is registered under ${found.length} prefixes of ${ctx.o.name}: ${found.map((f) => f.root.prefix).join(', ')}`, 'pick one with --prefix');
  }
  return found[0]!;
}

/** Dubbo override rules read once per call: path → the rule (null when absent or unreadable). */
export class RuleCache {
  private readonly rules = new Map<string, Promise<{ rule: Record<string, unknown> | null; version: number | null; unreadable: string | null }>>();

  constructor(private readonly s: ZkSession) {}

  get(t: RuleTarget) {
    let p = this.rules.get(t.path);
    if (!p) {
      p = this.s.read(t.path).then((r) => {
        if (!r) return { rule: null, version: null, unreadable: null };
        const content = r.data.toString('utf8');
        if (content.trim() === '') return { rule: null, version: r.stat.version, unreadable: null };
        const parsed = parseRule(content);
        return 'rule' in parsed ? { rule: parsed.rule, version: r.stat.version, unreadable: null } : { rule: null, version: r.stat.version, unreadable: parsed.unreadable };
      });
      this.rules.set(t.path, p);
    }
    return p;
  }

  /** Forgets what was read (after a write). */
  clear(): void {
    this.rules.clear();
  }
}

/** The rules that can take a Dubbo instance out of traffic: its service's (interface level) and its application's. */
export function rulesFor(o: ZkOptions, reg: Registered): RuleTarget[] {
  if (reg.layout === 'dubbo-app' && reg.curator) return [appRule(o.dubboRoot, reg.curator.name)];
  if (reg.layout === 'dubbo-interface' && reg.dubbo) {
    const app = reg.dubbo.params.application;
    return [serviceRule(o.dubboRoot, reg.dubbo), ...(app ? [appRule(o.dubboRoot, app)] : [])];
  }
  return [];
}

export function addressOf(reg: Registered): { ip: string; port: number } {
  if (reg.curator) return { ip: reg.curator.address, port: reg.curator.port };
  return { ip: reg.dubbo!.host, port: reg.dubbo!.port };
}

export async function viewOf(ctx: ZkRegistryContext, reg: Registered, rules: RuleCache, sessions: Sessions | null): Promise<InstanceView> {
  const { ip, port } = addressOf(reg);
  const ephemeral = reg.stat.ephemeralOwner !== 0n;
  let metadata: Record<string, string> = {};
  let status: string | null = null;
  let statusOverride: string | null = null;
  let traffic: Traffic = 'enabled';
  let weight: number | null = null;
  if (reg.curator) metadata = metadataOf(reg.curator);
  if (reg.layout === 'spring-cloud') {
    status = springStatus(reg.curator!);
    if (!springTakesTraffic(status)) traffic = 'disabled';
  } else if (reg.layout === 'curator') {
    if (reg.curator!.enabled === false) traffic = 'disabled';
  } else {
    if (reg.dubbo) {
      metadata = { ...reg.dubbo.params };
      const w = Number(reg.dubbo.params.weight);
      weight = reg.dubbo.params.weight !== undefined && Number.isFinite(w) ? w : null;
      if (reg.dubbo.params.disabled === 'true') traffic = 'disabled';
    }
    for (const t of rulesFor(ctx.o, reg)) {
      const r = await rules.get(t);
      if (r.rule && disables(r.rule, ip, port)) {
        traffic = 'disabled';
        status = statusOverride = 'disabled';
      }
    }
  }
  // An ephemeral node lives while the session that made it does: the session is its lease.
  const health: Health = ephemeral ? 'passing' : 'unknown';
  const timeoutMs = ephemeral ? (sessions?.bySession?.get(sessionHex(reg.stat.ephemeralOwner))?.timeoutMs ?? null) : null;
  return {
    id: reg.id,
    ip,
    port,
    health,
    traffic,
    status,
    statusOverride,
    weight,
    ephemeral,
    cluster: null,
    metadata,
    tags: [],
    urls: {},
    lastHeartbeat: null,
    lease: ephemeral ? { durationMs: timeoutMs, expiresAt: null } : null,
    healthy: health === 'passing',
    enabled: traffic === 'enabled',
  };
}

export async function detailOf(ctx: ZkRegistryContext, s: ZkSession, read: ServiceRead, withSessions: boolean): Promise<ServiceDetail> {
  const rules = new RuleCache(s);
  const sessions = withSessions && read.instances.some((i) => i.stat.ephemeralOwner !== 0n) ? await ctx.sessions() : null;
  const instances = await Promise.all(read.instances.map((i) => viewOf(ctx, i, rules, sessions)));
  const layout = layoutOf(read);
  return { backend: ctx.o.name, prefix: read.root.prefix, name: read.name, ...(layout ? { layout } : {}), instances };
}

export async function getService(ctx: ZkRegistryContext, ref: ServiceRef): Promise<ServiceDetail> {
  const s = await ctx.session();
  return detailOf(ctx, s, await locate(ctx, s, ref), true);
}
