import { refuseIfAborted } from '../kit/with-signal.js';
import { createHash } from 'node:crypto';
import zookeeper, { type ZkEvent } from 'node-zookeeper-client';
import type { ConfigBackend, ConfigEvent, ConfigItem, ConfigRef, ConfigSummary } from '../../core/config-center.js';
import { conflict, notFound, OpsError, usage } from '../../core/errors.js';
import type { Scope, ScopeModel } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import type { WriteOptions } from '../../core/registry.js';
import type { ConfigType } from '../../core/types.js';
import { textMatcher } from '../kit/text-match.js';
import type { ZkOptions } from './options.js';
import { codeOf, guarded, mapZkError, type NodeStat, type ZkSession } from './zk-client.js';
import { wakeOrTimeout } from '../../core/on-abort.js';
import { rearmingWatches } from './rearming-watches.js';

/**
 * Spring Cloud Zookeeper config as a config centre: a data id is a key's path below the root
 * (`{app}/{key}`, `{app},{profile}/{key}`, `application/{key}`), the node's data its value. The
 * compare-and-set token is the node's version (`setData`/`delete` with it); `absent` asks for a
 * create only if the node is not there (ZooKeeper's create fails when it is). ZooKeeper keeps no
 * history, records no listeners and has no beta releases, so those capabilities are absent; watch
 * is a ZooKeeper data watch, armed again after each event.
 */

export interface ZkConfigContext {
  o: ZkOptions;
  session(): Promise<ZkSession>;
}

const ATTEMPTS = 5;
/** How often a watch reads the node again without an event: watches are lost when a session expires. */
const WATCH_RECHECK_MS = 30_000;

export function zkConfig(ctx: ZkConfigContext): ConfigBackend {
  const scope: ScopeModel = Object.freeze({ kinds: Object.freeze(['prefix'] as const), defaults: Object.freeze({ prefix: ctx.o.configRoot }) });
  const guard = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => guarded(ctx.o.connect, fn);
  return {
    name: ctx.o.name,
    scope,
    tokenName: 'version',
    list: guard((filter: { scope: Scope; text?: string }, opts?: ListOptions) => listConfigs(ctx, filter, opts)),
    get: guard((ref: ConfigRef) => getConfig(ctx, ref)),
    set: guard(async (ref: ConfigRef, content: string, _type: ConfigType, opts: { ifMatch?: string } & WriteOptions) => (refuseIfAborted(opts.signal, 'the publish'), setConfig(ctx, ref, content, opts))),
    delete: guard(async (ref: ConfigRef, opts: { ifMatch?: string } & WriteOptions) => (refuseIfAborted(opts.signal, 'the delete'), deleteConfig(ctx, ref, opts))),
    watch: (ref, signal) => watchConfig(ctx, ref, signal),
    changes: (filter, signal) => configChanges(ctx, filter, signal),
  };
}

function rootOf(ctx: ZkConfigContext, scope: Scope): string {
  const p = scope.prefix ?? ctx.o.configRoot;
  if (!/^(\/[^/\0]+)+$/.test(p)) throw usage(`"${p}" is not a config root for ZooKeeper`, `give an absolute znode path such as ${ctx.o.configRoot}`);
  return p;
}

function pathOf(ctx: ZkConfigContext, ref: ConfigRef): string {
  const id = ref.dataId;
  const parts = id.split('/');
  if (id === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0'))) {
    throw usage(`"${id}" is not a config key for ZooKeeper`, 'give the path below the root, such as shop,dev/opsdeck.greeting (no leading or trailing slash)');
  }
  return `${rootOf(ctx, ref.scope)}/${id}`;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function typeOfKey(key: string, fallback: ConfigType): ConfigType {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  if (ext === 'json') return 'json';
  if (ext === 'properties') return 'properties';
  return fallback;
}

function utf8(path: string, data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new OpsError('unsupported', `${path} holds ${data.length} bytes that are not UTF-8 text; opsdeck shows and edits text values only`, 'read it with zkCli.sh get');
  }
}

function itemOf(ctx: ZkConfigContext, ref: ConfigRef, data: Buffer, stat: NodeStat): ConfigItem {
  return {
    backend: ctx.o.name,
    prefix: rootOf(ctx, ref.scope),
    dataId: ref.dataId,
    content: utf8(pathOf(ctx, ref), data),
    type: typeOfKey(ref.dataId, ctx.o.defaultType),
    token: String(stat.version),
    md5: md5(data),
    version: stat.version,
    updatedAt: new Date(stat.mtime).toISOString(),
  };
}

async function getConfig(ctx: ZkConfigContext, ref: ConfigRef): Promise<ConfigItem> {
  const path = pathOf(ctx, ref);
  const r = await (await ctx.session()).read(path);
  if (!r) throw notFound(`config ${ref.dataId} not found: no node ${path} on ZooKeeper ${ctx.o.connect}`, 'keys are case-sensitive; "opsdeck config list" shows the keys under the root');
  return itemOf(ctx, ref, r.data, r.stat);
}

/** `absent`, or a node version (a whole number). */
function tokenOf(text: string): number | 'absent' {
  const t = text.trim();
  if (t === 'absent') return 'absent';
  if (!/^\d{1,10}$/.test(t)) throw usage(`the compare-and-set token of a ZooKeeper key is its node version, a whole number, not "${text}"`, 'pass the token "opsdeck config get" shows, or absent to create the key only if it is not there');
  return Number(t);
}

async function setConfig(ctx: ZkConfigContext, ref: ConfigRef, content: string, opts: { ifMatch?: string }): Promise<ConfigItem> {
  const path = pathOf(ctx, ref);
  const data = Buffer.from(content, 'utf8');
  const wanted = opts.ifMatch === undefined ? undefined : tokenOf(opts.ifMatch);
  const s = await ctx.session();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const now = wanted === undefined ? await s.read(path) : null;
    if (wanted === 'absent' || (wanted === undefined && now === null)) {
      // Parents without data: Spring reads a context node's children, not its data.
      await s.mkdirs(path.slice(0, path.lastIndexOf('/')));
      if (await s.createIfAbsent(path, data, zookeeper.CreateMode.PERSISTENT)) return getConfig(ctx, ref);
      if (wanted === 'absent') throw casLost(ctx, ref, await s.read(path), 'absent');
      continue;
    }
    const version = wanted ?? now!.stat.version;
    if (await s.setData(path, data, version)) return getConfig(ctx, ref);
    if (wanted !== undefined) throw casLost(ctx, ref, await s.read(path), version);
  }
  throw conflict(`config ${ref.dataId} changed ${ATTEMPTS} times while opsdeck tried to write it`, 'try again; something else is writing it');
}

async function deleteConfig(ctx: ZkConfigContext, ref: ConfigRef, opts: { ifMatch?: string }): Promise<void> {
  const path = pathOf(ctx, ref);
  const wanted = opts.ifMatch === undefined ? undefined : tokenOf(opts.ifMatch);
  if (wanted === 'absent') throw usage('--if-match absent means "the key is not there", so there is nothing to delete', 'pass the token "opsdeck config get" shows');
  const s = await ctx.session();
  const now = await s.read(path);
  if (!now) throw notFound(`config ${ref.dataId} not found: no node ${path} on ZooKeeper ${ctx.o.connect}`, 'it may have been deleted already');
  if (now.stat.numChildren > 0) throw usage(`${path} has ${now.stat.numChildren} keys below it; opsdeck deletes one key at a time`, 'delete the keys below it first');
  const version = wanted ?? now.stat.version;
  const ok = await s.remove(path, version).catch((e: unknown) => {
    if (codeOf(e) === zookeeper.Exception.NOT_EMPTY) throw usage(`${path} got keys below it meanwhile`, 'delete those first');
    throw e;
  });
  if (ok) return;
  const after = await s.read(path);
  if (!after) throw notFound(`config ${ref.dataId} was deleted already (${path})`, 'nothing was changed');
  throw casLost(ctx, ref, after, version);
}

function casLost(ctx: ZkConfigContext, ref: ConfigRef, now: { stat: NodeStat } | null, wanted: number | 'absent'): OpsError {
  const state = now === null ? 'is absent now' : `has version ${now.stat.version} now`;
  return conflict(`config ${ref.dataId} (${pathOf(ctx, ref)}) ${state}, not ${wanted === 'absent' ? 'absent' : `version ${wanted}`}: it changed since it was read`, undefined, { current: now === null ? null : String(now.stat.version) });
}

/**
 * The keys under the root, breadth-first within `maxNodes` nodes, `maxDepth` levels and
 * `listTimeMs`: every node that holds data or has no children is a key (a context node such as
 * `shop,dev` holds none).
 */
/** The keys under the scope's root, breadth first within the profile's bounds; with `watcher`, every node read is watched. */
async function listConfigs(ctx: ZkConfigContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}, watcher?: () => void): Promise<ConfigSummary[]> {
  const root = rootOf(ctx, filter.scope);
  const match = textMatcher(filter.text);
  const s = await ctx.session();
  const deadline = Date.now() + ctx.o.listTimeMs;
  const out: ConfigSummary[] = [];
  let seen = 0;
  let level: string[] = [''];
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    for (const rel of level) {
      if (seen >= ctx.o.maxNodes || Date.now() > deadline || depth > ctx.o.maxDepth) {
        opts.onIncomplete?.(`stopped after ${seen} nodes under ${root} (maxNodes ${ctx.o.maxNodes}, maxDepth ${ctx.o.maxDepth}, listTimeMs ${ctx.o.listTimeMs})`, 'limit');
        return out;
      }
      const kids = (await s.children(rel === '' ? root : `${root}/${rel}`, watcher)) ?? [];
      const reads = await Promise.all(kids.sort().map(async (k) => ({ id: rel === '' ? k : `${rel}/${k}`, r: await s.read(`${root}/${rel === '' ? k : `${rel}/${k}`}`, watcher) })));
      seen += kids.length;
      for (const { id, r } of reads) {
        if (!r) continue;
        if (r.stat.numChildren > 0) next.push(id);
        if ((r.data.length > 0 || r.stat.numChildren === 0) && match(id)) {
          out.push({ backend: ctx.o.name, prefix: root, dataId: id, type: typeOfKey(id, ctx.o.defaultType), md5: md5(r.data), version: r.stat.version, updatedAt: new Date(r.stat.mtime).toISOString() });
        }
      }
      opts.onProgress?.(out.length);
    }
    level = next;
  }
  return out;
}

/**
 * Push for the console's config pane: the listing's own walk, with a child watch on every
 * directory and a data watch on every key it reads (so a new key, a deleted one and a new value
 * all wake it), armed again after each event and every WATCH_RECHECK_MS (a session that expired
 * took its watches along). A root that is not there yet gets an exists watch. A yield is no proof
 * of change.
 */
async function* configChanges(ctx: ZkConfigContext, filter: { scope: Scope }, signal: AbortSignal): AsyncIterable<void> {
  const root = rootOf(ctx, filter.scope);
  const arm = async (watcher: () => void) => {
    try {
      const s = await ctx.session();
      if ((await s.exists(root, watcher)) !== null) await listConfigs(ctx, filter, {}, watcher);
    } catch (e) {
      throw mapZkError(e, ctx.o.connect);
    }
  };
  yield* rearmingWatches(arm, WATCH_RECHECK_MS, signal);
}

/**
 * A ZooKeeper data watch (an exists watch while the node is absent), armed again after each
 * event; each read is compared with the last state, so a wake-up without a change is quiet and
 * changes made while no watch was armed are still seen (coalesced into one event).
 */
async function* watchConfig(ctx: ZkConfigContext, ref: ConfigRef, signal: AbortSignal): AsyncIterable<ConfigEvent> {
  const path = pathOf(ctx, ref);
  let last: { version: number; czxid: bigint; md5: string } | null | undefined;
  while (!signal.aborted) {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const watcher = (_e: ZkEvent) => wake();
    let state: { data: Buffer; stat: NodeStat } | null;
    try {
      const s = await ctx.session();
      state = await s.read(path, watcher);
      // Absent: watch for its creation instead (a data watch cannot be set on a missing node).
      if (!state && (await s.exists(path, watcher))) continue;
    } catch (e) {
      throw mapZkError(e, ctx.o.connect);
    }
    const now = state ? { version: state.stat.version, czxid: state.stat.czxid, md5: md5(state.data) } : null;
    if (last !== undefined && !same(last, now)) {
      yield {
        backend: ctx.o.name,
        prefix: rootOf(ctx, ref.scope),
        dataId: ref.dataId,
        op: now === null ? 'delete' : last === null || last.czxid !== now.czxid ? 'create' : 'update',
        version: now?.version ?? null,
        token: now === null ? null : String(now.version),
        md5: now?.md5 ?? null,
        content: state ? safeText(state.data) : null,
        at: new Date().toISOString(),
      };
    }
    last = now;
    await wakeOrTimeout(woken, WATCH_RECHECK_MS, signal);
  }
}

function same(a: { version: number; czxid: bigint; md5: string } | null, b: { version: number; czxid: bigint; md5: string } | null): boolean {
  if (a === null || b === null) return a === b;
  return a.version === b.version && a.czxid === b.czxid && a.md5 === b.md5;
}

function safeText(data: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return null;
  }
}
