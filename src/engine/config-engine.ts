import { digestHex } from '../lib/hash.js';
import type { ConfigBackend, ConfigEvent, ConfigHistory, ConfigItem, ConfigRef, ConfigSummary, ConfigVersion } from '../core/config-center.js';
import { cancelledWrite, conflict, notFound } from '../core/errors.js';
import { describeScope, type Scope } from '../core/scope.js';
import type { ConfigOp, ConfigType } from '../core/types.js';
import type { WriteOptions } from '../core/registry.js';
import { checkKinds, EMBEDDED_SCOPE, placeOf } from './embedded-scope.js';
import { keys, splitKey } from './keys.js';
import type { KvStore, ReadView, WriteTx } from './store/kv-store.js';
import { sleepUnlessAborted } from '../core/on-abort.js';

interface ConfigDoc {
  content: string;
  md5: string;
  type: ConfigType;
  version: number;
  updatedAt: number;
}

/** A history row. A delete row keeps the content that was deleted, though the row's own content is none. */
interface HistoryDoc extends ConfigDoc {
  op: ConfigOp;
}

type Place = { namespace: string; group: string };

/** Versions kept per data id; older ones are dropped so a hot key cannot grow the store forever. */
export const HISTORY_LIMIT = 100;
const NAME = 'embedded';

/**
 * The embedded config centre: content, md5, type, versioned history, compare-and-set and watch.
 * The compare-and-set token is the md5 of the content, as in Nacos; history rows hold the content
 * right after their change, and their id is the version number.
 */
export class ConfigEngine implements ConfigBackend {
  readonly name = NAME;
  readonly scope = EMBEDDED_SCOPE;
  readonly tokenName = 'md5';

  constructor(
    private readonly store: KvStore,
    private readonly now: () => number,
    private readonly pollMs = 200,
  ) {}

  list(filter: { scope: Scope; text?: string }): Promise<ConfigSummary[]> {
    checkKinds(filter.scope);
    const { namespace, group } = filter.scope;
    const matches = idMatcher(filter.text);
    return this.store.read((view) => {
      const out: ConfigSummary[] = [];
      for (const [key, doc] of view.scan<ConfigDoc>(keys.configPrefix(namespace, namespace === undefined ? undefined : group))) {
        const [ns, g, dataId] = splitKey(key) as [string, string, string];
        if (group !== undefined && g !== group) continue;
        if (!matches(dataId)) continue;
        out.push({ backend: NAME, namespace: ns, group: g, dataId, type: doc.type, md5: doc.md5, version: doc.version, updatedAt: iso(doc.updatedAt) });
      }
      return out;
    });
  }

  get(ref: ConfigRef): Promise<ConfigItem> {
    const place = placeOf(ref.scope);
    return this.store.read((view) => item(place, ref.dataId, current(view, place, ref.dataId)));
  }

  history(ref: ConfigRef): Promise<ConfigHistory> {
    const place = placeOf(ref.scope);
    return this.store.read((view) => {
      const rows = view.scan<HistoryDoc>(keys.configHistoryPrefix(place.namespace, place.group, ref.dataId));
      if (rows.length === 0) throw missing(place, ref.dataId);
      // Versions count from 1 and only the last HISTORY_LIMIT entries are kept: an oldest entry past 1 means some were dropped.
      const oldest = rows[0]![1].version;
      const complete = oldest === 1;
      return {
        entries: rows.map(([, h]) => versionOf(h)).reverse(),
        complete,
        incomplete: complete ? null : `the embedded store keeps the last ${HISTORY_LIMIT} entries of a config: versions before ${oldest} are gone`,
      };
    });
  }

  versionContent(ref: ConfigRef, id: string): Promise<string | null> {
    const place = placeOf(ref.scope);
    return this.store.read((view) => {
      const h = /^\d{1,10}$/.test(id) ? view.get<HistoryDoc>(keys.configHistory(place.namespace, place.group, ref.dataId, Number(id))) : undefined;
      if (!h) throw notFound(`config ${ref.dataId} has no version ${id}`, `run "opsdeck config history ${ref.dataId}" to see the versions`);
      return h.op === 'delete' ? null : h.content;
    });
  }

  set(ref: ConfigRef, content: string, type: ConfigType, opts: { ifMatch?: string } & WriteOptions = {}): Promise<ConfigItem> {
    if (opts.signal?.aborted) return Promise.reject(cancelledWrite('the publish'));
    const place = placeOf(ref.scope);
    return this.store.update((tx) => {
      const prev = tx.get<ConfigDoc>(keys.config(place.namespace, place.group, ref.dataId));
      checkToken(ref.dataId, prev, opts.ifMatch);
      return item(place, ref.dataId, this.publish(tx, place, ref.dataId, content, type, prev ? 'update' : 'create'));
    });
  }

  delete(ref: ConfigRef, opts: { ifMatch?: string } = {}): Promise<void> {
    const place = placeOf(ref.scope);
    return this.store.update((tx) => {
      const prev = current(tx, place, ref.dataId);
      checkToken(ref.dataId, prev, opts.ifMatch);
      const version = this.nextVersion(tx, place, ref.dataId);
      // The deleted content stays in the row: stores written before the contract read it so.
      this.appendHistory(tx, place, ref.dataId, { ...prev, version, updatedAt: this.now(), op: 'delete' });
      tx.del(keys.config(place.namespace, place.group, ref.dataId));
    });
  }

  async *watch(ref: ConfigRef, signal: AbortSignal): AsyncIterable<ConfigEvent> {
    const place = placeOf(ref.scope);
    // Start from the version counter, not the live doc, so a delete right after start is seen.
    let seen = await this.store.read((view) => view.get<number>(keys.configVersionCounter(place.namespace, place.group, ref.dataId)) ?? 0);
    while (!signal.aborted) {
      await sleepUnlessAborted(this.pollMs, signal);
      if (signal.aborted) return;
      const changes = await this.store.read((view) =>
        view
          .scan<HistoryDoc>(keys.configHistoryPrefix(place.namespace, place.group, ref.dataId))
          .map(([, h]) => h)
          .filter((h) => h.version > seen),
      );
      for (const h of changes) {
        seen = h.version;
        const gone = h.op === 'delete';
        yield {
          backend: NAME,
          ...place,
          dataId: ref.dataId,
          op: h.op,
          version: h.version,
          token: gone ? null : h.md5,
          md5: gone ? null : h.md5,
          content: gone ? null : h.content,
          at: iso(h.updatedAt),
        };
      }
    }
  }

  private publish(tx: WriteTx, place: Place, dataId: string, content: string, type: ConfigType, op: ConfigOp): ConfigDoc {
    const doc: ConfigDoc = { content, md5: md5(content), type, version: this.nextVersion(tx, place, dataId), updatedAt: this.now() };
    tx.put(keys.config(place.namespace, place.group, dataId), doc);
    this.appendHistory(tx, place, dataId, { ...doc, op });
    return doc;
  }

  /** Versions keep counting across a delete, so "version 7" always means one thing. */
  private nextVersion(tx: WriteTx, place: Place, dataId: string): number {
    const key = keys.configVersionCounter(place.namespace, place.group, dataId);
    const next = (tx.get<number>(key) ?? 0) + 1;
    tx.put(key, next);
    return next;
  }

  private appendHistory(tx: WriteTx, place: Place, dataId: string, h: HistoryDoc): void {
    tx.put(keys.configHistory(place.namespace, place.group, dataId, h.version), h);
    const all = tx.scan<HistoryDoc>(keys.configHistoryPrefix(place.namespace, place.group, dataId));
    for (const [key] of all.slice(0, Math.max(0, all.length - HISTORY_LIMIT))) tx.del(key);
  }
}

export function md5(text: string): string {
  return digestHex('md5', text);
}

/** Contains `text` (case-insensitive), or, where it holds `*`, matches it whole with `*` for any run of characters. */
function idMatcher(text: string | undefined): (dataId: string) => boolean {
  if (text === undefined || text === '') return () => true;
  const needle = text.toLowerCase();
  if (!needle.includes('*')) return (id) => id.toLowerCase().includes(needle);
  const parts = needle.split('*');
  return (id) => {
    const hay = id.toLowerCase();
    if (!hay.startsWith(parts[0]!) || !hay.endsWith(parts[parts.length - 1]!)) return false;
    // Greedy left to right: each middle part must appear after the previous one (linear, no regex backtracking).
    let at = parts[0]!.length;
    for (const p of parts.slice(1, -1)) {
      const i = hay.indexOf(p, at);
      if (i < 0) return false;
      at = i + p.length;
    }
    return at <= hay.length - parts[parts.length - 1]!.length;
  };
}

function versionOf(h: HistoryDoc): ConfigVersion {
  const gone = h.op === 'delete';
  return { id: String(h.version), version: h.version, op: h.op, at: iso(h.updatedAt), md5: gone ? null : h.md5, by: null, from: null, contentIs: 'after' };
}

function current(view: ReadView, place: Place, dataId: string): ConfigDoc {
  const doc = view.get<ConfigDoc>(keys.config(place.namespace, place.group, dataId));
  if (!doc) throw missing(place, dataId);
  return doc;
}

function checkToken(dataId: string, doc: ConfigDoc | undefined, ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const actual = doc?.md5 ?? null;
  if (actual !== ifMatch.toLowerCase()) {
    throw conflict(`config ${dataId} changed: its md5 is ${actual ?? '(absent: there is no such config)'}, not ${ifMatch}`, `fetch it again with "opsdeck config get ${dataId}", review, and retry with its new token`, { token: actual, md5: actual });
  }
}

function missing(place: Place, dataId: string) {
  return notFound(`config ${dataId} not found in ${describeScope(place)}`, 'run "opsdeck config list" to see the data ids');
}

function item(place: Place, dataId: string, doc: ConfigDoc): ConfigItem {
  return { backend: NAME, ...place, dataId, content: doc.content, type: doc.type, token: doc.md5, md5: doc.md5, version: doc.version, updatedAt: iso(doc.updatedAt) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
