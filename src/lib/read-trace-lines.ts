import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { usage } from '../core/errors.js';
import { fileErrorReason } from './file-error-reason.js';

/** gzip's magic bytes: a compressed trace is recognised by content, whatever its name. */
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Streams the lines of a trace file, decompressing gzip on the fly, so a trace larger than memory
 * is read in constant space (what is kept of it is the caller's business). A missing or
 * unreadable file is a usage error naming it.
 */
export async function* readTraceLines(path: string, signal?: AbortSignal): AsyncGenerator<string> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      head = head.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw usage(`cannot read trace ${path}: ${fileErrorReason(e)}`, 'give a file with one key per line (or "timestamp key" lines), optionally gzipped');
  }
  const gzipped = head.length === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  const file = createReadStream(path, signal ? { signal } : {});
  const stream = gzipped ? file.pipe(createGunzip()) : file;
  file.on('error', (e) => stream.destroy(e));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (e) {
    if (signal?.aborted) throw e;
    throw usage(`cannot read trace ${path}: ${(e as Error).message}`, gzipped ? 'the gzip stream is damaged or cut short' : 'check the file');
  } finally {
    lines.close();
    file.destroy();
  }
}
