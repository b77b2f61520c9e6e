import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceBuilder, type TraceFormat } from '../../../src/core/cache-sim/trace-builder.js';
import { OpsError } from '../../../src/core/errors.js';
import { readTraceLines } from '../../../src/lib/read-trace-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BIG = { maxKeys: 1_000_000, maxRequests: 1_000_000 };

async function read(path: string, format: TraceFormat = 'auto', bounds = BIG) {
  const b = new TraceBuilder(bounds, format, `trace ${path}`);
  let n = 0;
  for await (const line of readTraceLines(path)) b.addLine(line, ++n);
  const t = b.build();
  return { keys: Array.from(t.keys), keyCount: t.keyCount };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function failure(p: Promise<unknown>): Promise<OpsError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(OpsError);
  return e as OpsError;
}

describe('trace files', () => {
  it('reads one key per line, interning keys in order of first appearance and skipping blank lines', async () => {
    const p = file('plain.txt', 'user:1\nuser:2\n\nuser:1\r\n  user 3  \nuser:2\n');
    // The whole trimmed line is the key, spaces inside included; CRLF endings are read too.
    expect(await read(p)).toEqual({ keys: [0, 1, 0, 2, 1], keyCount: 3 });
  });

  it('reads "timestamp key" lines, keeping the order and dropping the timestamps', async () => {
    const p = file('ts.txt', '1700000000.125 a\n1700000000.5 b\n1700000001 a key with spaces\n1700000002 b\n');
    expect(await read(p)).toEqual({ keys: [0, 1, 2, 1], keyCount: 3 });
  });

  it('reads a gzipped trace, recognised by content whatever its name', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `k${i % 700}`).join('\n');
    const p = file('trace.log', gzipSync(lines));
    const t = await read(p);
    expect(t.keys).toHaveLength(5000);
    expect(t.keyCount).toBe(700);
    expect(t.keys.slice(698, 702)).toEqual([698, 699, 0, 1]);
  });

  it('--format keys reads a line that starts with a number as a whole key', async () => {
    const p = file('numbers.txt', '12 a\n13 a\n12 a\n');
    expect(await read(p, 'keys')).toEqual({ keys: [0, 1, 0], keyCount: 2 });
    // auto takes the first line for "timestamp key": one key, a, three times.
    expect(await read(p, 'auto')).toEqual({ keys: [0, 0, 0], keyCount: 1 });
  });

  it('refuses a timestamped trace with a line that is not "timestamp key", naming the line', async () => {
    const p = file('mixed.txt', '1 a\n2 b\nc\n');
    const e = await failure(read(p));
    expect(e.kind).toBe('usage');
    expect(e.message).toContain('line 3');
  });

  it('a missing file, a directory and a damaged gzip stream are usage errors naming the file', async () => {
    const missing = await failure(read(join(dir, 'nope.txt')));
    expect(missing.kind).toBe('usage');
    expect(missing.message).toMatch(/nope\.txt: it does not exist/);
    expect((await failure(read(dir))).message).toContain('directory');
    const cut = gzipSync('a\nb\nc\n'.repeat(1000)).subarray(0, 40);
    expect((await failure(read(file('cut.gz', cut)))).kind).toBe('usage');
  });

  it('stops at the key and request bounds with the bound in the message', async () => {
    const p = file('bounded.txt', 'a\nb\nc\na\n');
    const keys = await failure(read(p, 'auto', { maxKeys: 2, maxRequests: 100 }));
    expect(keys.message).toContain('more than 2 distinct keys');
    const requests = await failure(read(p, 'auto', { maxKeys: 100, maxRequests: 3 }));
    expect(requests.message).toContain('more than 3 requests');
    expect(await read(p, 'auto', { maxKeys: 3, maxRequests: 4 })).toEqual({ keys: [0, 1, 2, 0], keyCount: 3 });
  });

  it('offer reports the bound instead of throwing (what a sampler stops on)', () => {
    const b = new TraceBuilder({ maxKeys: 2, maxRequests: 3 });
    expect([b.offer('a'), b.offer('b'), b.offer('c'), b.offer('a'), b.offer('b')]).toEqual([null, null, 'keys', null, 'requests']);
    expect(Array.from(b.build().keys)).toEqual([0, 1, 0]);
  });
});
