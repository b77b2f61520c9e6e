import { randomUUID } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import { conflict, notFound, OpsError, usage } from '../../core/errors.js';
import type { InstanceView, MetadataChange, RegisterRequest, ServiceDetail, ServiceRef, Traffic, WriteNote } from '../../core/registry.js';
import { renderRule, withDrain, withoutDrain, type RuleTarget } from './dubbo-rules.js';
import { metadataOf, SPRING_INSTANCE_CLASS, withEnabled, withMetadata, withSpringStatus } from './registry-layouts.js';
import { addressOf, detailOf, locate, readService, rootsFor, RuleCache, rulesFor, type Registered, type ZkRegistryContext } from './zk-registry-read.js';
import type { ZkSession } from './zk-client.js';

/**
 * Registry writes, each a compare-and-set on the node's version (setData/delete with the version
 * just read), tried again when another writer came in between: the user asked for the end state.
 * - drain/undrain: Spring Cloud's `payload.metadata.instance_status` (OUT_OF_SERVICE / UP),
 *   Curator's `enabled`, Dubbo's override rule (dubbo-rules.ts);
 * - metadata: Spring Cloud's `payload.metadata`, a plain Curator payload; Dubbo's metadata is
 *   Dubbo's own (refused);
 * - register: a persistent node in the Spring Cloud layout under servicesRoot, or the plain
 *   Curator layout under a curator base path;
 * - deregister: deletes the node.
 */

const ATTEMPTS = 5;
const json = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8');

async function instanceAt(ctx: ZkRegistryContext, ref: ServiceRef, id: string): Promise<{ s: ZkSession; reg: Registered }> {
  const s = await ctx.session();
  const read = await locate(ctx, s, ref);
  const reg = read.instances.find((i) => i.id === id);
  if (!reg) throw notFound(`instance ${id} of service ${ref.name} is not registered under ${read.root.prefix} on ZooKeeper ${ctx.o.connect}`, `run "opsdeck services show ${ref.name}" to see its instances`);
  return { s, reg };
}

async function detailAfter(ctx: ZkRegistryContext, ref: ServiceRef, warnings: string[]): Promise<ServiceDetail> {
  const s = await ctx.session();
  const detail = await detailOf(ctx, s, await locate(ctx, s, ref), true);
  return warnings.length > 0 ? { ...detail, warnings } : detail;
}

function lostRace(ref: ServiceRef, id: string): OpsError {
  return conflict(`instance ${id} of ${ref.name} changed ${ATTEMPTS} times while opsdeck tried to write it`, 'try again; something else is writing it');
}

/** Rewrites one Curator-style node: read, edit, setData on the version read; again when someone wrote meanwhile. */
async function editNode(ctx: ZkRegistryContext, ref: ServiceRef, id: string, what: string, edit: (reg: Registered) => Record<string, unknown> | null): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const { s, reg } = await instanceAt(ctx, ref, id);
    const next = edit(reg);
    if (next === null) return;
    if (await s.setData(reg.path, json(next), reg.stat.version)) return;
  }
  throw lostRace(ref, `${id} (${what})`);
}

function layoutRefusal(ctx: ZkRegistryContext, reg: Registered, what: string, why: string): OpsError {
  return new OpsError('unsupported', `backend ${ctx.o.name} cannot ${what} instance ${reg.id}: it is in the ${reg.layout} layout, ${why}`, 'see docs/zookeeper.md for what each layout allows');
}

export async function setTraffic(ctx: ZkRegistryContext, ref: ServiceRef, id: string, traffic: Traffic): Promise<ServiceDetail> {
  const { reg } = await instanceAt(ctx, ref, id);
  const warnings: string[] = [];
  if (reg.layout === 'spring-cloud') {
    const status = traffic === 'disabled' ? 'OUT_OF_SERVICE' : 'UP';
    await editNode(ctx, ref, id, 'instance_status', (r) => (r.curator ? withSpringStatus(r.curator, status) : null));
    if (reg.stat.ephemeralOwner !== 0n) {
      warnings.push(`instance_status ${status} is in ZooKeeper: Spring Cloud LoadBalancer clients follow it (after their cache, 35 s by default); the application's own /actuator/serviceregistry keeps its in-memory status, and a re-registration (new session, restart) writes that back`);
    }
  } else if (reg.layout === 'curator') {
    await editNode(ctx, ref, id, 'enabled', (r) => (r.curator ? withEnabled(r.curator, traffic === 'enabled') : null));
  } else {
    warnings.push(...(await setDubboTraffic(ctx, ref, id, traffic)));
  }
  return detailAfter(ctx, ref, warnings);
}

/** Adds or lifts the drain in the Dubbo override rule(s) that speak to this provider. */
async function setDubboTraffic(ctx: ZkRegistryContext, ref: ServiceRef, id: string, traffic: Traffic): Promise<string[]> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const { s, reg } = await instanceAt(ctx, ref, id);
    const { ip, port } = addressOf(reg);
    const rules = new RuleCache(s);
    const targets = rulesFor(ctx.o, reg);
    let lost = false;
    if (traffic === 'disabled') {
      // The service's own rule at the interface level, the application's at the application level.
      const t = targets[0]!;
      const cur = await rules.get(t);
      if (cur.unreadable) throw unreadableRule(t, cur.unreadable);
      if (cur.rule?.enabled === false) throw new OpsError('failed', `the override rule at ${t.path} is switched off (enabled: false), so a drain added to it would not apply`, 'switch it on or remove it first (it may hold other overrides)');
      const next = withDrain(cur.rule, t, ip, port);
      if (next !== null) lost = !(await writeRule(s, t, renderRule(next), cur.version));
      if (!lost) {
        return [`Dubbo applies the rule at ${t.path} when the provider reads it: the provider registers again with disabled=true (so its interface-level node gets a new name; ${ip}:${port} still names it) and consumers stop calling it`];
      }
    } else {
      const warnings: string[] = [];
      for (const t of targets) {
        const cur = await rules.get(t);
        if (cur.rule === null) continue;
        const next = withoutDrain(cur.rule, ip, port);
        if (next.other) warnings.push(`the rule at ${t.path} still disables ${ip}:${port} by a wider address (0.0.0.0:${port}); opsdeck lifts only drains of this address`);
        if (!next.changed) continue;
        if (!(await writeRule(s, t, next.rule === null ? null : renderRule(next.rule), cur.version))) {
          lost = true;
          break;
        }
      }
      if (!lost) {
        if (reg.dubbo?.params.disabled === 'true') warnings.push(`the provider's URL says disabled=true until Dubbo reads the changed rule and registers again`);
        return warnings;
      }
    }
  }
  throw lostRace(ref, id);
}

function unreadableRule(t: RuleTarget, why: string): OpsError {
  return new OpsError('unsupported', `the override rule at ${t.path} is ${why}; opsdeck edits only YAML rules`, 'change it with Dubbo-Admin, or move it to the YAML format');
}

/** Creates, rewrites or (content null) deletes a rule node on the version read; false when someone else wrote it meanwhile. */
async function writeRule(s: ZkSession, t: RuleTarget, content: string | null, version: number | null): Promise<boolean> {
  if (version === null) {
    if (content === null) return true;
    await s.mkdirs(t.path.slice(0, t.path.lastIndexOf('/')));
    return s.createIfAbsent(t.path, Buffer.from(content, 'utf8'), zookeeper.CreateMode.PERSISTENT);
  }
  if (content === null) return s.remove(t.path, version);
  return s.setData(t.path, Buffer.from(content, 'utf8'), version);
}

export async function updateMetadata(ctx: ZkRegistryContext, ref: ServiceRef, id: string, change: MetadataChange): Promise<ServiceDetail> {
  const { reg } = await instanceAt(ctx, ref, id);
  if (reg.layout === 'dubbo-app' || reg.layout === 'dubbo-interface') {
    throw layoutRefusal(ctx, reg, 'change the metadata of', "whose metadata Dubbo derives from the provider's own configuration");
  }
  if (reg.layout === 'spring-cloud' && ('instance_status' in change.set || change.remove.includes('instance_status'))) {
    throw usage('instance_status is the status Spring Cloud load balancers follow', 'use "opsdeck instances drain" / "undrain" to change it');
  }
  await editNode(ctx, ref, id, 'metadata', (r) => {
    const meta = { ...metadataOf(r.curator!), ...change.set };
    for (const k of change.remove) delete meta[k];
    return withMetadata(r.curator!, meta);
  });
  const warnings = reg.stat.ephemeralOwner !== 0n ? [`${id} is registered by its application, which writes its own metadata back when it registers again (new session, restart)`] : [];
  return detailAfter(ctx, ref, warnings);
}

/**
 * Registers a persistent instance (opsdeck's session ends with the command, and an ephemeral node
 * would go with it), or rewrites the metadata of the one already at that address.
 */
export async function register(ctx: ZkRegistryContext, ref: ServiceRef, req: RegisterRequest): Promise<ServiceDetail> {
  const [root] = ref.scope.prefix === undefined ? rootsFor(ctx.o, { prefix: ctx.o.servicesRoot }) : rootsFor(ctx.o, ref.scope);
  if (root!.kind === 'dubbo') throw usage(`Dubbo providers register themselves under ${root!.prefix}; opsdeck does not write provider URLs`, `register under ${ctx.o.servicesRoot} (Spring Cloud layout) or a curator base path`);
  if (req.ephemeral) {
    throw usage('a ZooKeeper ephemeral node lives only as long as the session that made it, and opsdeck\'s ends with the command', 'register without --ephemeral (a persistent node), or let the application register itself');
  }
  if (req.weight !== undefined) throw usage(`the ${root!.kind === 'services' ? 'Spring Cloud' : 'Curator'} layout has no weights`, 'drop --weight');
  if (req.cluster !== undefined) throw usage('ZooKeeper registries have no clusters', 'drop --cluster; metadata (--meta) can carry a zone');
  const s = await ctx.session();
  const existing = await readService(s, root!, ref.name);
  const at = (existing?.instances ?? []).filter((i) => i.curator && i.curator.address === req.ip && i.curator.port === req.port);
  if (at.length > 1) throw usage(`${req.ip}:${req.port} names ${at.length} instances of ${ref.name}: ${at.map((i) => i.id).join(', ')}`, 'change one of them by its id (instances meta)');
  const scoped: ServiceRef = { ...ref, scope: { prefix: root!.prefix } };
  if (at.length === 1) {
    await editNode(ctx, scoped, at[0]!.id, 'metadata', (r) => withMetadata(r.curator!, req.metadata));
    return detailAfter(ctx, scoped, []);
  }
  const id = randomUUID();
  const payload =
    root!.kind === 'services'
      ? { '@class': SPRING_INSTANCE_CLASS, id: ref.name, name: ref.name, metadata: { ...req.metadata, instance_status: 'UP' } }
      : { '@class': 'java.util.LinkedHashMap', ...req.metadata };
  const doc = {
    name: ref.name,
    id,
    address: req.ip,
    port: req.port,
    sslPort: null,
    payload,
    registrationTimeUTC: Date.now(),
    // PERMANENT: Curator's word for an instance kept in a persistent node.
    serviceType: 'PERMANENT',
    uriSpec: { parts: [{ value: 'scheme', variable: true }, { value: '://', variable: false }, { value: 'address', variable: true }, { value: ':', variable: false }, { value: 'port', variable: true }] },
  };
  const dir = `${root!.prefix}/${ref.name}`;
  await s.mkdirs(dir);
  await s.create(`${dir}/${id}`, json(doc), zookeeper.CreateMode.PERSISTENT);
  return detailAfter(ctx, scoped, []);
}

export async function deregister(ctx: ZkRegistryContext, ref: ServiceRef, id: string): Promise<WriteNote> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const { s, reg } = await instanceAt(ctx, ref, id);
    if (await s.remove(reg.path, reg.stat.version)) {
      const w = reg.stat.ephemeralOwner !== 0n ? deregisterWarningFor(id) : null;
      return w ? { warnings: [w] } : {};
    }
  }
  throw lostRace(ref, id);
}

function deregisterWarningFor(id: string): string {
  return `${id} is an ephemeral node of its application's ZooKeeper session: deleting it takes it out of the registry while the application keeps running, until the application registers again (at its restart, and possibly when its client gets a new session); to take it out of traffic, drain it instead`;
}

export function deregisterWarning(instance: InstanceView): string | null {
  return instance.ephemeral ? deregisterWarningFor(instance.id) : null;
}
