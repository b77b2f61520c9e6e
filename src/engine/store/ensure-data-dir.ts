import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { dataDirError, onDataDir } from '../../core/data-dir-error.js';

/** The longest name the store puts inside the data dir (see kv-store.ts), with its slash. */
const LONGEST_FILE = '/snapshot.json.tmp'.length;
/** Linux's PATH_MAX, counting the terminating NUL. */
const PATH_MAX = 4096;

/**
 * Creates the data dir and any missing parents, and returns its real path. Every file-system
 * error about the path becomes one clear configuration error (see core/data-dir-error.ts).
 *
 * Written out instead of `mkdirSync(dir, { recursive: true })`: Node's recursive mkdir retries
 * forever when mkdir answers ENOENT although the parent exists (as /proc does), so
 * `--data-dir /proc/1/x` spun at 100 % CPU. Here each missing directory is created once, from the
 * top down, so the work is bounded by the depth of the path.
 */
export function ensureDataDir(dir: string): string {
  const abs = resolve(dir);
  return onDataDir(abs, () => {
    const missing: string[] = [];
    for (let p = abs; ; p = dirname(p)) {
      const st = statSync(p, { throwIfNoEntry: false });
      if (st) {
        if (!st.isDirectory()) throw Object.assign(new Error(`${p} is not a directory`), { code: p === abs ? 'EEXIST' : 'ENOTDIR', path: p });
        break;
      }
      missing.push(p);
      if (dirname(p) === p) break;
    }
    for (const p of missing.reverse()) {
      try {
        mkdirSync(p);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Another process created it first: fine, as long as it is a directory.
        if (code === 'EEXIST' && statSync(p).isDirectory()) continue;
        // ENOENT for a directory whose parent exists: the file system takes no new directories.
        if (code === 'ENOENT' && statSync(dirname(p), { throwIfNoEntry: false })?.isDirectory()) throw dataDirError(abs, e, true);
        throw e;
      }
    }
    const real = realpathSync(abs);
    if (Buffer.byteLength(real) + LONGEST_FILE >= PATH_MAX) throw Object.assign(new Error('path too long for the store files'), { code: 'ENAMETOOLONG' });
    return real;
  });
}
