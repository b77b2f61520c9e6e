import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`: creates `dir` and its missing parents, top down, each once.
 *
 * Written out instead of `mkdirSync(dir, { recursive: true })`: Node's recursive mkdir retries
 * forever when mkdir answers ENOENT although the parent exists (as /proc and /sys do), so a data
 * dir, state dir or recording under /proc/1/x spun at 100 % CPU and never returned. Here the work
 * is bounded by the depth of the path. Throws the file-system error as it is; one that the file
 * system refused (ENOENT under an existing parent) carries `refusedByFs: true`.
 */
export function makeDirs(dir: string): void {
  const abs = resolve(dir);
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
      if (code === 'ENOENT' && statSync(dirname(p), { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(e as Error, { refusedByFs: true });
      throw e;
    }
  }
}
