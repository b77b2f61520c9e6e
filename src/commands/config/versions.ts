import { contentAfter, type ConfigBackend, type ConfigRef, type ConfigVersion } from '../../core/config-center.js';
import { isOpsError, notFound } from '../../core/errors.js';
import { requireCapability } from '../capability.js';

/** A backend that keeps history and can read what each entry holds: what diff and rollback need. */
export type Versioned = ConfigBackend & Required<Pick<ConfigBackend, 'history' | 'versionContent'>>;

export function requireVersions(c: ConfigBackend, what: string): Versioned {
  return requireCapability(requireCapability(c, 'history', what), 'versionContent', what);
}

/** The history entry `id` names; not-found naming the config and where to look. */
export function entryOf(history: readonly ConfigVersion[], id: string, dataId: string): ConfigVersion {
  const entry = history.find((h) => h.id === id);
  if (!entry) throw notFound(`config ${dataId} has no history entry ${id}`, `run "opsdeck config history ${dataId}" to see the entries`);
  return entry;
}

/** The config's content now, or null when it is gone (deleted). */
export async function currentContent(c: ConfigBackend, ref: ConfigRef): Promise<string | null> {
  try {
    return (await c.get(ref)).content;
  } catch (e) {
    if (isOpsError(e) && e.kind === 'not-found') return null;
    throw e;
  }
}

/** What the config held right after `entry`'s change, whichever way the backend's rows hold content (null: deleted). */
export function afterEntry(c: Versioned, ref: ConfigRef, history: readonly ConfigVersion[], entry: ConfigVersion): Promise<string | null> {
  return contentAfter(history, entry, (id) => c.versionContent(ref, id), () => currentContent(c, ref));
}
