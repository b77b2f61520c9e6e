import { OpsError } from './errors.js';

/**
 * What a file-system error code says about a data dir path, with what the user can do about it.
 * Only codes that describe the path itself are here; anything else (a full disk, an I/O error) is
 * not the path's fault and keeps its own handling.
 */
const PROBLEMS: Record<string, [problem: string, hint: string]> = {
  ENAMETOOLONG: ['the path is too long (a name over 255 bytes, or over 4095 bytes in all)', 'pass a shorter path with --data-dir'],
  ELOOP: ['the path runs into a loop of symbolic links', 'fix the links, or pass another --data-dir'],
  ENOTDIR: ['a part of the path is a file, not a directory', 'pass a path whose parents are directories with --data-dir'],
  ENOENT: ['a directory on the way to it does not exist', 'create the parent directory, or pass another --data-dir'],
  EEXIST: ['it exists but is not a directory', 'pass a directory with --data-dir'],
  EACCES: ['permission denied', 'check the permissions on the path, or pass another --data-dir'],
  EPERM: ['permission denied', 'check the permissions on the path, or pass another --data-dir'],
  EROFS: ['it is on a read-only file system', 'pass a writable --data-dir'],
};

/** ENOENT while creating something in a directory that exists: /proc, /sys and the like. */
const NO_NEW_FILES: [string, string] = ['its file system takes no new files or directories there', 'pass a directory on an ordinary file system with --data-dir'];

/**
 * The one mapping from a file-system error on the data dir, or on a file in it, to a clear
 * configuration error (exit 2) naming the path and the problem. `creating` says the operation
 * was creating something whose parent exists, so ENOENT means the file system refused. Returns
 * undefined for errors that are not about the path, so the caller rethrows those unchanged.
 */
export function dataDirError(dir: string, e: unknown, creating = false): OpsError | undefined {
  const err = e as NodeJS.ErrnoException | null;
  const code = err?.code;
  const known = code === 'ENOENT' && creating ? NO_NEW_FILES : code !== undefined ? PROBLEMS[code] : undefined;
  if (!known) return undefined;
  const where = typeof err?.path === 'string' && err.path !== dir ? ` on ${err.path}` : '';
  return new OpsError('config', `cannot use the data dir ${dir}: ${known[0]} (${code}${where})`, known[1]);
}

/** Runs fn, turning a file-system error about the data dir into dataDirError's clear error. */
export function onDataDir<T>(dir: string, fn: () => T, creating = false): T {
  try {
    return fn();
  } catch (e) {
    throw dataDirError(dir, e, creating) ?? e;
  }
}
