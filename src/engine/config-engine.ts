import { createHash } from 'node:crypto';
import { conflict, notFound } from '../core/errors.js';
import type { ConfigBackend, ConfigRef } from '../core/subsystems.js';
import type { ConfigEvent, ConfigItem, ConfigOp, ConfigSummary, ConfigType, ConfigVersion } from '../core/types.js';
import { keys, splitKey } from './keys.js';
import type { KvStore, ReadView, WriteTx } from './store/kv-store.js';

interface ConfigDoc {
  content: string;
  md5: string;
  type: ConfigType;
  version: number;
  updatedAt: number;
}

interface HistoryDoc extends ConfigDoc {
  op: ConfigOp;
}

/** Versions kept per data id; older ones are dropped so a hot key cannot grow the store forever. */
export const HISTORY_LIMIT = 100;

/** The embedded config centre: content, md5, type, versioned history, compare-and-set and watch. */
export class ConfigEngine implements ConfigBackend {
  constructor(
    private readonly store: KvStore,
    private readonly now: () => number,
    private readonly pollMs = 200,
  ) {}

  list(filter: { namespace?: string; group?: string; text?: string }): Promise<ConfigSummary[]> {
    return this.store.read((view) => {
      const needle = filter.text?.toLowerCase();
      const out: ConfigSummary[] = [];
      for (const [key, doc] of view.scan<ConfigDoc>(keys.configPrefix(filter.namespace, filter.group))) {
        const [namespace, group, dataId] = splitKey(key) as [string, string, string];
        if (needle && !dataId.toLowerCase().includes(needle)) continue;
        out.push({ namespace, group, dataId, md5: doc.md5, type: doc.type, version: doc.version, updatedAt: iso(doc.updatedAt) });
      }
      return out;
    });
  }

  get(ref: ConfigRef): Promise<ConfigItem> {
    return this.store.read((view) => item(ref, current(view, ref)));
  }

  history(ref: ConfigRef): Promise<ConfigVersion[]> {
    return this.store.read((view) => {
      const rows = view.scan<HistoryDoc>(keys.configHistoryPrefix(ref.namespace, ref.group, ref.dataId));
      if (rows.length === 0) throw missing(ref);
      return rows.map(([, h]) => ({ version: h.version, md5: h.md5, updatedAt: iso(h.updatedAt), op: h.op })).reverse();
    });
  }

  getVersion(ref: ConfigRef, version: number): Promise<ConfigItem> {
    return this.store.read((view) => item(ref, historical(view, ref, version)));
  }

  set(ref: ConfigRef, content: string, type: ConfigType, ifMd5?: string): Promise<ConfigItem> {
    return this.store.update((tx) => {
      const prev = tx.get<ConfigDoc>(keys.config(ref.namespace, ref.group, ref.dataId));
      checkMd5(ref, prev, ifMd5);
      return item(ref, this.publish(tx, ref, content, type, prev ? 'update' : 'create'));
    });
  }

  delete(ref: ConfigRef, ifMd5?: string): Promise<ConfigVersion> {
    return this.store.update((tx) => {
      const prev = current(tx, ref);
      checkMd5(ref, prev, ifMd5);
      const version = this.nextVersion(tx, ref);
      const updatedAt = this.now();
      // The deleted content stays in history so a delete can be rolled back.
      this.appendHistory(tx, ref, { ...prev, version, updatedAt, op: 'delete' });
      tx.del(keys.config(ref.namespace, ref.group, ref.dataId));
      return { version, md5: prev.md5, updatedAt: iso(updatedAt), op: 'delete' };
    });
  }

  rollback(ref: ConfigRef, version: number, ifMd5?: string): Promise<ConfigItem> {
    return this.store.update((tx) => {
      const target = historical(tx, ref, version);
      checkMd5(ref, tx.get<ConfigDoc>(keys.config(ref.namespace, ref.group, ref.dataId)), ifMd5);
      return item(ref, this.publish(tx, ref, target.content, target.type, 'rollback'));
    });
  }

  async *watch(ref: ConfigRef, signal: AbortSignal): AsyncIterable<ConfigEvent> {
    // Start from the version counter, not the live doc, so a delete right after start is seen.
    let seen = await this.store.read((view) => view.get<number>(keys.configVersionCounter(ref.namespace, ref.group, ref.dataId)) ?? 0);
    while (!signal.aborted) {
      await sleep(this.pollMs, signal);
      if (signal.aborted) return;
      const changes = await this.store.read((view) =>
        view
          .scan<HistoryDoc>(keys.configHistoryPrefix(ref.namespace, ref.group, ref.dataId))
          .map(([, h]) => h)
          .filter((h) => h.version > seen),
      );
      for (const h of changes) {
        seen = h.version;
        yield {
          ...ref,
          op: h.op,
          version: h.version,
          md5: h.op === 'delete' ? null : h.md5,
          content: h.op === 'delete' ? null : h.content,
          at: iso(h.updatedAt),
        };
      }
    }
  }

  private publish(tx: WriteTx, ref: ConfigRef, content: string, type: ConfigType, op: ConfigOp): ConfigDoc {
    const doc: ConfigDoc = { content, md5: md5(content), type, version: this.nextVersion(tx, ref), updatedAt: this.now() };
    tx.put(keys.config(ref.namespace, ref.group, ref.dataId), doc);
    this.appendHistory(tx, ref, { ...doc, op });
    return doc;
  }

  /** Versions keep counting across a delete, so "version 7" always means one thing. */
  private nextVersion(tx: WriteTx, ref: ConfigRef): number {
    const key = keys.configVersionCounter(ref.namespace, ref.group, ref.dataId);
    const next = (tx.get<number>(key) ?? 0) + 1;
    tx.put(key, next);
    return next;
  }

  private appendHistory(tx: WriteTx, ref: ConfigRef, h: HistoryDoc): void {
    tx.put(keys.configHistory(ref.namespace, ref.group, ref.dataId, h.version), h);
    const all = tx.scan<HistoryDoc>(keys.configHistoryPrefix(ref.namespace, ref.group, ref.dataId));
    for (const [key] of all.slice(0, Math.max(0, all.length - HISTORY_LIMIT))) tx.del(key);
  }
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function current(view: ReadView, ref: ConfigRef): ConfigDoc {
  const doc = view.get<ConfigDoc>(keys.config(ref.namespace, ref.group, ref.dataId));
  if (!doc) throw missing(ref);
  return doc;
}

function historical(view: ReadView, ref: ConfigRef, version: number): HistoryDoc {
  const h = view.get<HistoryDoc>(keys.configHistory(ref.namespace, ref.group, ref.dataId, version));
  if (!h) {
    throw notFound(`config ${ref.dataId} has no version ${version}`, `run "opsdeck config history ${ref.dataId}" to see the versions`);
  }
  return h;
}

function checkMd5(ref: ConfigRef, doc: ConfigDoc | undefined, ifMd5: string | undefined): void {
  if (ifMd5 === undefined) return;
  const actual = doc?.md5 ?? null;
  if (actual !== ifMd5.toLowerCase()) {
    throw conflict(
      `config ${ref.dataId} changed: its md5 is ${actual ?? '(absent)'}, not ${ifMd5}`,
      `fetch it again with "opsdeck config get ${ref.dataId}", review, and retry with the new --if-md5`,
      { md5: actual },
    );
  }
}

function missing(ref: ConfigRef) {
  return notFound(
    `config ${ref.dataId} not found in namespace ${ref.namespace}, group ${ref.group}`,
    'run "opsdeck config list" to see the data ids, or pass --group/--namespace',
  );
}

function item(ref: ConfigRef, doc: ConfigDoc): ConfigItem {
  return { namespace: ref.namespace, group: ref.group, dataId: ref.dataId, content: doc.content, md5: doc.md5, type: doc.type, version: doc.version };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
