import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeDirs } from '../../lib/make-dirs.js';
import { dataDirError, onDataDir } from '../../core/data-dir-error.js';

/** The longest name the store puts inside the data dir (see kv-store.ts), with its slash. */
const LONGEST_FILE = '/snapshot.json.tmp'.length;
/** Linux's PATH_MAX, counting the terminating NUL. */
const PATH_MAX = 4096;

/**
 * Creates the data dir and any missing parents (bounded, see lib/make-dirs.ts), and returns its
 * real path. Every file-system error about the path becomes one clear configuration error (see
 * core/data-dir-error.ts).
 */
export function ensureDataDir(dir: string): string {
  const abs = resolve(dir);
  return onDataDir(abs, () => {
    try {
      makeDirs(abs);
    } catch (e) {
      // ENOENT for a directory whose parent exists: the file system takes no new directories.
      if ((e as { refusedByFs?: boolean }).refusedByFs) throw dataDirError(abs, e, true);
      throw e;
    }
    const real = realpathSync(abs);
    if (Buffer.byteLength(real) + LONGEST_FILE >= PATH_MAX) throw Object.assign(new Error('path too long for the store files'), { code: 'ENAMETOOLONG' });
    return real;
  });
}
