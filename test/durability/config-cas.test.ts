import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';

/**
 * Compare-and-set across processes on the embedded store: every process reads a counter and
 * writes counter + 1 with --if-md5 of what it read. However the writes interleave, the final
 * counter equals the number of writes that succeeded: no update is lost, none applied twice.
 */

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

const PROCESSES = 4;
const ATTEMPTS = 12;

async function incrementer(): Promise<{ won: number; refused: number }> {
  let won = 0;
  let refused = 0;
  for (let i = 0; i < ATTEMPTS; i++) {
    const got = await opsdeckAsync(box.env, ['config', 'get', 'counter', '-o', 'json']);
    expect(got.code, got.stderr).toBe(0);
    const { content, md5 } = got.json<{ content: string; md5: string }>();
    const set = await opsdeckAsync(box.env, ['config', 'set', 'counter', '--value', String(Number(content) + 1), '--if-md5', md5, '-o', 'json']);
    if (set.code === 0) won++;
    else {
      expect(set.code, set.stderr).toBe(1);
      expect(set.stderr).toMatch(/md5/);
      refused++;
    }
  }
  return { won, refused };
}

describe('config set --if-md5 across processes', () => {
  it(`${PROCESSES} processes × ${ATTEMPTS} read-increment-write rounds lose no update`, async () => {
    expect(opsdeck(box.env, ['config', 'set', 'counter', '--value', '0']).code).toBe(0);
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => incrementer()));
    const won = results.reduce((n, r) => n + r.won, 0);
    const refused = results.reduce((n, r) => n + r.refused, 0);
    expect(won + refused).toBe(PROCESSES * ATTEMPTS);
    const final = opsdeck(box.env, ['config', 'get', 'counter', '-o', 'json']);
    expect(final.code, final.stderr).toBe(0);
    expect(Number(final.json<{ content: string }>().content)).toBe(won);
    // The version counts every successful write, the first one included.
    expect(final.json<{ version: number }>().version).toBe(won + 1);
    console.info(`cas: ${won} succeeded, ${refused} refused`);
  }, 180_000);
});
