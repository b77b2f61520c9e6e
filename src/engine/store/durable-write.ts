import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Writes all of bytes at position (writeSync may write less than asked). */
export function writeAll(fd: number, bytes: Buffer, position: number): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, position + off);
}

/**
 * Replaces dir/name with content so that a crash at any moment leaves either the old file or the
 * new one, whole: write a temp file, fsync it, rename it over, fsync the directory.
 */
export function writeDurably(dir: string, name: string, content: string | Buffer): void {
  const tmp = join(dir, `${name}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, typeof content === 'string' ? Buffer.from(content) : content, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
