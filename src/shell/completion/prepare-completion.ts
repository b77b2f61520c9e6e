import { fuzzyIndexOf } from './fuzzy-index.js';
import type { CompletionData } from './types.js';

/**
 * Builds the search indexes of the cached lists now, rather than on the first keystroke that needs
 * them. Indexing 100k names takes a few hundred milliseconds; a console can call this when its
 * cache has replaced a list (e.g. after a refresh, from an idle tick) so typing never pays it.
 * Cheap when nothing changed: indexes are keyed by array identity.
 */
export function prepareCompletion(data: CompletionData): void {
  for (const list of [data.services(), data.configIds(), data.locks(), data.namespaces(), data.groups()]) fuzzyIndexOf(list);
}
