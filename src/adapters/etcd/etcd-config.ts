import { refuseIfAborted } from '../kit/with-signal.js';
import type { ConfigBackend, ConfigItem, ConfigRef, ConfigHistory, ConfigSummary, ConfigVersion } from '../../core/config-center.js';
import { conflict, notFound, OpsError, usage } from '../../core/errors.js';
import type { ScopeModel } from '../../core/scope.js';
import type { ConfigType } from '../../core/types.js';
import { keyMatcher, md5, typeOfKey } from '../kit/config-keys.js';
import type { Kv } from './codec.js';
import type { EtcdHttp } from './etcd-http.js';
import { deleteIfUnchanged, isCompacted, putIfUnchanged, readKey, scanPrefix, utf8 } from './kv.js';
import type { EtcdOptions } from './options.js';
import { watchKey, watchPrefixes } from './watch.js';

/** etcd keys are one flat space; the profile's prefix bounds it. */
const FLAT: ScopeModel = { kinds: [], defaults: {} };

/**
 * etcd as a config centre: a data id is the full key, within the profile's `prefix`. The
 * compare-and-set token is the key's mod_revision, checked in a transaction (`0`: only if absent).
 * History is etcd's own MVCC: each older revision of the key is read back with `revision`, until
 * the key's creation or the compaction point, whichever comes first. Watch is a real etcd watch
 * over the gateway's stream, and the config pane is pushed by one on the prefix. No listeners and
 * no beta releases.
 */
export function etcdConfig(http: EtcdHttp, o: EtcdOptions): ConfigBackend {
  const keyOf = (ref: ConfigRef): Buffer => {
    if (!ref.dataId.startsWith(o.prefix)) throw usage(`key ${ref.dataId} is outside ${o.name}'s prefix ${o.prefix}`, `give the full key under ${o.prefix}, or change prefix in the profile`);
    if (ref.dataId === '') throw usage('an etcd key cannot be empty', 'give the full key');
    return Buffer.from(ref.dataId, 'utf8');
  };
  const itemOf = (kv: Kv): ConfigItem => ({
    backend: o.name,
    dataId: kv.key.toString('utf8'),
    content: textOf(kv),
    type: typeOfKey(kv.key.toString('utf8'), o.defaultType),
    token: String(kv.modRevision),
    md5: md5(kv.value),
    version: kv.version,
    updatedAt: null,
  });
  const absent = (key: string) => notFound(`key ${key} not found on ${o.name} (${o.url})`, 'keys are case-sensitive; "opsdeck config list" shows the keys under the prefix');
  const lost = (key: string, now: Kv | null, wanted: number) =>
    conflict(`key ${key} ${now === null ? 'is absent now' : `has mod_revision ${now.modRevision} now`}, not ${wanted === 0 ? 'absent' : wanted}: it changed since it was read`, undefined, { current: now === null ? null : String(now.modRevision) });

  return {
    name: o.name,
    scope: FLAT,
    tokenName: 'mod_revision',

    async list(filter, opts = {}): Promise<ConfigSummary[]> {
      const match = keyMatcher(filter.text);
      const kvs = await scanPrefix(http, Buffer.from(o.prefix, 'utf8'), o.maxConfigs, opts);
      return kvs
        .map((kv) => ({ kv, key: kv.key.toString('utf8') }))
        .filter(({ key }) => match(key))
        .map(({ kv, key }) => ({ backend: o.name, dataId: key, type: typeOfKey(key, o.defaultType), md5: md5(kv.value), version: kv.version, updatedAt: null }));
    },

    async get(ref) {
      const { kv } = await readKey(http, keyOf(ref));
      if (!kv) throw absent(ref.dataId);
      return itemOf(kv);
    },

    /**
     * With `ifMatch` the put happens only while the key's mod_revision is that token (0: while it is
     * absent). Without it the write is still a compare on what was just read, tried again when
     * someone wrote in between, so that a key bound to a lease keeps it.
     */
    async set(ref, content, _type: ConfigType, opts) {
      refuseIfAborted(opts.signal, 'the publish');
      const key = keyOf(ref);
      const wanted = opts.ifMatch === undefined ? undefined : tokenOf(opts.ifMatch);
      for (let attempt = 0; ; attempt++) {
        const { kv } = await readKey(http, key);
        if (wanted === 0 && kv) throw conflict(`key ${ref.dataId} exists already (mod_revision ${kv.modRevision}); --if-match 0 creates it only if absent`, undefined, { current: String(kv.modRevision) });
        if (wanted !== undefined && wanted !== 0 && kv?.modRevision !== wanted) throw lost(ref.dataId, kv, wanted);
        const expect = wanted ?? kv?.modRevision ?? 0;
        const r = await putIfUnchanged(http, key, Buffer.from(content, 'utf8'), expect, kv?.lease ?? '0');
        if (r.ok) {
          if (!r.now) throw new OpsError('failed', `etcd accepted the write of ${ref.dataId}, but the key is gone again`, 'check with config get');
          return itemOf(r.now);
        }
        if (wanted !== undefined || attempt >= 4) throw lost(ref.dataId, r.now, expect);
      }
    },

    async delete(ref, opts) {
      refuseIfAborted(opts.signal, 'the delete');
      const key = keyOf(ref);
      let token = opts.ifMatch === undefined ? undefined : tokenOf(opts.ifMatch);
      if (token === 0) throw usage('--if-match 0 means "the key is absent", so there is nothing to delete', 'pass the token "opsdeck config get" shows');
      if (token === undefined) {
        const { kv } = await readKey(http, key);
        if (!kv) throw absent(ref.dataId);
        token = kv.modRevision;
      }
      const r = await deleteIfUnchanged(http, key, token);
      if (r.ok) return;
      if (r.now === null) throw notFound(`key ${ref.dataId} was deleted already`, 'nothing was changed');
      throw lost(ref.dataId, r.now, token);
    },

    /**
     * The key's revisions still kept, newest first: from its current value back through each
     * earlier put (a range at mod_revision − 1) to its creation. Compaction removes every revision
     * older than its point, so a history that reaches it stops there and says so. A deletion ends a
     * key's life and etcd indexes no way back from an absent key, so a deleted key has no history here.
     */
    async history(ref): Promise<ConfigHistory> {
      const key = keyOf(ref);
      let { kv } = await readKey(http, key);
      if (!kv) {
        throw notFound(
          `key ${ref.dataId} has no value now, so etcd has no revision of it to walk back from`,
          'a deleted key\'s old revisions are only reachable until compaction, with "etcdctl get --rev=N KEY" at a revision you know',
        );
      }
      const rows: ConfigVersion[] = [];
      let incomplete: string | null = null;
      while (kv) {
        rows.push({ id: String(kv.modRevision), version: kv.version, op: kv.version <= 1 ? 'create' : 'update', at: null, md5: md5(kv.value), by: null, from: null, contentIs: 'after' });
        if (kv.version <= 1) break;
        if (rows.length >= o.maxHistory) {
          incomplete = `the newest ${o.maxHistory} revisions of ${ref.dataId} are listed (maxHistory); it has ${kv.version - 1} older ones`;
          break;
        }
        const shown: Kv = kv;
        try {
          kv = (await readKey(http, key, { revision: shown.modRevision - 1 })).kv;
        } catch (e) {
          if (!isCompacted(e)) throw e;
          incomplete = `etcd compacted the revisions before ${shown.modRevision}: the ${shown.version - 1} older versions of ${ref.dataId} are gone from the store`;
          break;
        }
      }
      return { entries: rows, complete: incomplete === null, incomplete };
    },

    async versionContent(ref, id) {
      const key = keyOf(ref);
      if (!/^\d{1,16}$/.test(id)) throw usage(`a history entry of etcd is a revision number, not "${id}"`, 'see "opsdeck config history"');
      try {
        const { kv } = await readKey(http, key, { revision: Number(id) });
        return kv && kv.modRevision === Number(id) ? textOf(kv) : null;
      } catch (e) {
        if (isCompacted(e)) throw notFound(`revision ${id} of ${ref.dataId} was compacted: etcd no longer keeps it`, 'pick a newer entry from "opsdeck config history"');
        throw e;
      }
    },

    watch: (ref, signal) => watchKey(http, o, keyOf(ref), signal),

    /** Push for the console's config pane: one watch on the profile's prefix. */
    changes: (_filter, signal) => watchPrefixes(http, o, [Buffer.from(o.prefix, 'utf8')], signal),
  };
}

/** A value as text; bytes that are not UTF-8 are refused rather than shown (and later written back) mangled. */
function textOf(kv: Kv): string {
  const text = utf8(kv.value);
  if (text === null) throw new OpsError('unsupported', `key ${kv.key.toString('utf8')} holds ${kv.value.length} bytes that are not UTF-8 text; opsdeck shows and edits text values only`, 'read it with "etcdctl get --print-value-only"');
  return text;
}

/** The token as etcd takes it: a mod_revision, or 0 for "absent". */
function tokenOf(text: string): number {
  if (!/^\d{1,16}$/.test(text.trim())) throw usage(`the compare-and-set token of etcd is a key's mod_revision, a whole number, not "${text}"`, 'pass the token "opsdeck config get" shows, or 0 to create the key only if it is absent');
  return Number(text.trim());
}
