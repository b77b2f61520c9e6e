import { createHash } from 'node:crypto';
import type { ConfigItem, ConfigRef, ConfigSummary } from '../../core/config-center.js';
import { conflict, notFound, OpsError, usage } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { ListOptions } from '../../core/subsystems.js';
import { typeOfName, type ConfigType } from '../../core/types.js';
import type { HttpReply } from '../kit/http.js';
import { readKv, type KvEntry } from './answers.js';
import { anonymousDenied, consulIndex, filteredByAcls, textOf } from './consul-http.js';
import type { ConsulContext } from './context.js';
import { datacenterOf, eachDatacenter } from './datacenters.js';

/**
 * Consul KV as a config centre. A data id is the full key (what `consul kv get` takes); the
 * profile's `prefix` is where listings look, and a key outside it is refused. The
 * compare-and-set token is the key's ModifyIndex (`?cas=`), and `0` means "only if absent". Consul
 * keeps no history (no `history`), no types (from the key's extension, else `defaultType`) and no
 * times. A write keeps the key's `flags`, which a plain PUT would reset to 0.
 */

/** A key's state in one read: the entry (null when absent) and X-Consul-Index for a blocking follow-up. */
export interface KeyRead {
  entry: KvEntry | null;
  index: number | null;
}

export function keyOf(ctx: ConsulContext, ref: ConfigRef): string {
  const key = ref.dataId;
  if (key.startsWith('/')) throw usage(`Consul keys do not start with "/": ${key}`, `use ${key.replace(/^\/+/, '')}`);
  if (!key.startsWith(ctx.o.prefix)) {
    throw usage(`key ${key} is outside ${ctx.o.name}'s prefix ${ctx.o.prefix}`, `give the full key under ${ctx.o.prefix}, or change prefix in the profile`);
  }
  return key;
}

export function kvPath(key: string): string {
  return `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** One key, plain or blocking (`block`): its entry, or null for 404. */
export async function readKey(ctx: ConsulContext, key: string, datacenter: string, o: { signal?: AbortSignal; block?: { index: number; waitMs: number; timeoutMs: number } } = {}): Promise<KeyRead> {
  const path = kvPath(key);
  const query: Record<string, string> = { dc: datacenter };
  if (o.block) Object.assign(query, { index: String(o.block.index), wait: `${Math.ceil(o.block.waitMs / 1000)}s` });
  const reply = await ctx.http.send({ path, query, ...(o.signal ? { signal: o.signal } : {}), ...(o.block ? { timeoutMs: o.block.timeoutMs } : {}) });
  // A missing key is 404 with an empty body.
  if (reply.status === 404) return { entry: null, index: consulIndex(reply) };
  if (reply.status !== 200) throw ctx.http.failure(reply, `read key ${key}`);
  const entries = readKv(ctx.http.shape(path), ctx.http.json(reply));
  return { entry: entries.find((e) => e.key === key) ?? null, index: consulIndex(reply) };
}

export async function getConfig(ctx: ConsulContext, ref: ConfigRef): Promise<ConfigItem> {
  const key = keyOf(ctx, ref);
  const datacenter = await datacenterOf(ctx, ref.scope);
  const { entry } = await readKey(ctx, key, datacenter);
  if (!entry) throw notFound(`key ${key} not found in datacenter ${datacenter} on ${ctx.http.where}`, 'keys are case-sensitive; "opsdeck config list" shows the keys under the prefix');
  return itemOf(ctx, datacenter, entry);
}

export function itemOf(ctx: ConsulContext, datacenter: string, e: KvEntry): ConfigItem {
  return { backend: ctx.o.name, datacenter, dataId: e.key, content: textOfValue(ctx, e), type: typeOfKey(e.key, ctx.o.defaultType), token: String(e.modifyIndex), md5: md5(e.value), version: null, updatedAt: null };
}

/**
 * Publishes. `ifMatch` is a ModifyIndex: the write is `?cas=<it>` and Consul applies it only while
 * the key still has that index; `0` creates the key only if it is absent. Without `ifMatch` the
 * write still goes as a cas on the index just read (so the flags it keeps are the key's own), and
 * is tried again when someone wrote in between: the user asked to overwrite.
 */
export async function setConfig(ctx: ConsulContext, ref: ConfigRef, content: string, _type: ConfigType, opts: { ifMatch?: string }): Promise<ConfigItem> {
  const key = keyOf(ctx, ref);
  const datacenter = await datacenterOf(ctx, ref.scope);
  const wanted = opts.ifMatch === undefined ? undefined : tokenOf(opts.ifMatch);
  for (let attempt = 0; ; attempt++) {
    const { entry } = await readKey(ctx, key, datacenter);
    if (wanted !== undefined) refuseStale(ctx, key, datacenter, entry, wanted);
    const cas = wanted ?? entry?.modifyIndex ?? 0;
    const reply = await ctx.http.send({ method: 'PUT', path: kvPath(key), query: { dc: datacenter, cas: String(cas), flags: String(entry?.flags ?? 0) }, body: content });
    if (reply.status !== 200) throw refusedWrite(ctx, reply, `write key ${key}`);
    if (answerOf(ctx, reply, key)) break;
    // Lost a race: with --if-match that is the answer; without it, read again and overwrite.
    if (wanted !== undefined || attempt >= 4) {
      const now = (await readKey(ctx, key, datacenter)).entry;
      throw casLost(ctx, key, datacenter, now, wanted ?? cas);
    }
  }
  const { entry } = await readKey(ctx, key, datacenter);
  if (!entry) throw new OpsError('failed', `${ctx.http.where} accepted the write of ${key}, but the key is gone again (deleted meanwhile)`, 'check with config get');
  return itemOf(ctx, datacenter, entry);
}

/** Deletes with `?cas=<ModifyIndex>`, so only what was shown is deleted; `0` names no key and is refused. */
export async function deleteConfig(ctx: ConsulContext, ref: ConfigRef, opts: { ifMatch?: string }): Promise<void> {
  const key = keyOf(ctx, ref);
  const datacenter = await datacenterOf(ctx, ref.scope);
  let token = opts.ifMatch === undefined ? undefined : tokenOf(opts.ifMatch);
  if (token === 0) throw usage('--if-match 0 means "the key is absent", so there is nothing to delete', 'pass the token "opsdeck config get" shows');
  if (token === undefined) {
    const { entry } = await readKey(ctx, key, datacenter);
    if (!entry) throw notFound(`key ${key} not found in datacenter ${datacenter} on ${ctx.http.where}`, 'it may have been deleted already');
    token = entry.modifyIndex;
  }
  const reply = await ctx.http.send({ method: 'DELETE', path: kvPath(key), query: { dc: datacenter, cas: String(token) } });
  if (reply.status !== 200) throw refusedWrite(ctx, reply, `delete key ${key}`);
  if (answerOf(ctx, reply, key)) return;
  const { entry } = await readKey(ctx, key, datacenter);
  if (!entry) throw notFound(`key ${key} was deleted already (datacenter ${datacenter})`, 'nothing was changed');
  throw casLost(ctx, key, datacenter, entry, token);
}

/**
 * Keys under the prefix with their values (`?recurse`, one request per datacenter), for md5s;
 * "folders" (keys ending in /) are left out. Every datacenter unless one is given; one that cannot
 * be read is a note on an incomplete listing.
 */
export function listConfigs(ctx: ConsulContext, filter: { scope: Scope; text?: string }, opts: ListOptions = {}): Promise<ConfigSummary[]> {
  const match = matcher(filter.text);
  return eachDatacenter(ctx, filter.scope, opts, async (dc, sofar) => {
    if (sofar >= ctx.o.maxConfigs) return 'stop';
    const path = kvPath(ctx.o.prefix);
    const reply = await ctx.http.send({ path, query: { dc, recurse: 'true' }, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (reply.status !== 200 && reply.status !== 404) throw ctx.http.failure(reply, `list the keys under ${ctx.o.prefix || '/'}`);
    if (filteredByAcls(reply)) opts.onIncomplete?.(`Consul left keys of datacenter ${dc} out that the ACL token may not read`, 'unauthorized');
    else if (anonymousDenied(ctx.http, reply)) opts.onIncomplete?.(`the profile has no ACL token and Consul denies by default, so datacenter ${dc} shows only what anonymous requests may read`, 'unauthorized');
    // Nothing under the prefix (or nothing the token may read) is 404.
    if (reply.status === 404) return [];
    const rows = readKv(ctx.http.shape(path), ctx.http.json(reply)).filter((e) => !e.key.endsWith('/') && match(e.key));
    opts.onProgress?.(sofar + rows.length);
    if (sofar + rows.length > ctx.o.maxConfigs) opts.onIncomplete?.(`the first ${ctx.o.maxConfigs} keys are listed (maxConfigs)`, 'limit');
    return rows.slice(0, ctx.o.maxConfigs - sofar).map((e) => ({ backend: ctx.o.name, datacenter: dc, dataId: e.key, type: typeOfKey(e.key, ctx.o.defaultType), md5: md5(e.value), version: null, updatedAt: null }));
  });
}

/** The type of a key: its extension's, else the profile's `defaultType` (Spring's `data` keys hold YAML). */
export function typeOfKey(key: string, fallback: ConfigType): ConfigType {
  return typeOfName(key) ?? fallback;
}

export function md5(value: Buffer | null): string {
  return createHash('md5').update(value ?? Buffer.alloc(0)).digest('hex');
}

/** A value as text; bytes that are not UTF-8 are refused rather than shown (and later written back) mangled. */
export function textOfValue(ctx: ConsulContext, e: KvEntry): string {
  const text = utf8(e.value);
  if (text === null) throw new OpsError('unsupported', `key ${e.key} holds ${e.value!.length} bytes that are not UTF-8 text; opsdeck shows and edits text values only`, 'read it with "consul kv get -base64"');
  return text;
}

/** The value as UTF-8 text ('' for none); null when it is not UTF-8. */
export function utf8(value: Buffer | null): string | null {
  if (value === null) return '';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    return null;
  }
}

/** The token as Consul takes it: a whole number (a ModifyIndex, or 0 for "absent"). */
function tokenOf(text: string): number {
  if (!/^\d{1,16}$/.test(text.trim())) throw usage(`the compare-and-set token of Consul KV is a key's ModifyIndex, a whole number, not "${text}"`, 'pass the token "opsdeck config get" shows, or 0 to create the key only if it is absent');
  return Number(text.trim());
}

/** Refuses before writing what cas would refuse anyway, with words that say why. */
function refuseStale(ctx: ConsulContext, key: string, datacenter: string, entry: KvEntry | null, wanted: number): void {
  if (wanted === 0 && entry) throw conflict(`key ${key} exists already (ModifyIndex ${entry.modifyIndex}, datacenter ${datacenter}); --if-match 0 creates it only if absent`, undefined, { current: String(entry.modifyIndex) });
  if (wanted !== 0 && (!entry || entry.modifyIndex !== wanted)) throw casLost(ctx, key, datacenter, entry, wanted);
}

function casLost(ctx: ConsulContext, key: string, datacenter: string, now: KvEntry | null, wanted: number): OpsError {
  const state = now === null ? 'is absent now' : `has ModifyIndex ${now.modifyIndex} now`;
  return conflict(`key ${key} (datacenter ${datacenter} on ${ctx.http.where}) ${state}, not ${wanted === 0 ? 'absent' : wanted}: it changed since it was read`, undefined, { current: now === null ? null : String(now.modifyIndex) });
}

/** A KV write answers `true`, or `false` with HTTP 200 when its cas failed. */
function answerOf(ctx: ConsulContext, reply: HttpReply, key: string): boolean {
  const t = reply.text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new OpsError('bad-answer', `${ctx.http.where} answered the write of ${key} with ${textOf(reply)}, not true or false`, 'check that the url points at a Consul agent');
}

function refusedWrite(ctx: ConsulContext, reply: HttpReply, what: string): OpsError {
  if (reply.status === 413) return new OpsError('usage', `${ctx.http.where} refused to ${what}: ${textOf(reply)}`, "the value is over the agent's kv_max_value_size (512 KiB by default)");
  return ctx.http.failure(reply, what);
}

/** Text filter of a listing: contains (case-insensitive), or a whole-key pattern where it holds `*`. */
function matcher(text: string | undefined): (key: string) => boolean {
  if (text === undefined || text === '') return () => true;
  if (!text.includes('*')) {
    const needle = text.toLowerCase();
    return (k) => k.toLowerCase().includes(needle);
  }
  const re = new RegExp(`^${text.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return (k) => re.test(k);
}
