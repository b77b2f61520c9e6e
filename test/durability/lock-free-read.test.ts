import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../src/core/errors.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { NO_COMPACTION, useTempStore } from './temp-store.js';

/**
 * Reads of the embedded store take no lock (ARCHITECTURE.md, "Reads take no lock"): they must see
 * one state some write left, never half of one, while another process writes and compacts; and a
 * process that holds the data dir no longer stops them, only writes.
 */
const t = useTempStore('opsdeck-lockfree-');
const held: Array<ReturnType<typeof spawn>> = [];
let work = '';
let writer = '';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'opsdeck-lockfree-writer-'));
  writer = join(work, 'store-writer.mjs');
  await build({ entryPoints: [resolve(__dirname, '../helpers/store-writer.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: writer, logLevel: 'error' });
});
afterAll(() => {
  for (const p of held) p.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Holds the data dir's mutex from another process (test/helpers/hold-store.mjs) until the test ends. */
async function holdStore(dir: string): Promise<void> {
  const holder = spawn(process.execPath, [resolve(__dirname, '../helpers/hold-store.mjs'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  held.push(holder);
  await new Promise<void>((res, rej) => {
    holder.stdout!.once('data', () => res());
    holder.once('exit', (c) => rej(new Error(`holder exited ${c}`)));
  });
}

describe('reads without the lock', () => {
  it('never see half a transaction while another process writes and compacts', async () => {
    const COUNT = 400;
    const store = t.open(NO_COMPACTION);
    await store.update((tx) => tx.put('start', true));
    const child = spawn(process.execPath, [writer, t.dir, String(COUNT), '3000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    let running = true;
    void exited.then(() => (running = false));

    let reads = 0;
    let last = 0;
    const seen = new Set<number>();
    while (running) {
      const [a, b] = await store.read((v) => [v.get<number>('pair/a') ?? 0, v.get<number>('pair/b') ?? 0]);
      expect(a).toBe(b);
      expect(a).toBeGreaterThanOrEqual(last);
      last = a;
      seen.add(a);
      reads++;
      // Give the writer's process the CPU now and then on a 2-core machine.
      if (reads % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    expect(await exited, stderr).toBe(0);
    expect(await store.read((v) => [v.get('pair/a'), v.get('pair/b')])).toEqual([COUNT, COUNT]);
    // The reads met the writer part-way, not only before it started or after it ended.
    expect(seen.size).toBeGreaterThan(2);
  }, 120_000);

  it('go on while another process holds the data dir; writes wait for it and time out', async () => {
    const store = t.open();
    await store.update((tx) => tx.put('k', 1));
    await holdStore(t.dir);
    const before = process.env.OPSDECK_STORE_TIMEOUT_MS;
    process.env.OPSDECK_STORE_TIMEOUT_MS = '300';
    try {
      const other = t.open();
      expect(await other.read((v) => v.get('k'))).toBe(1);
      const refused = await other.update((tx) => tx.put('k', 2)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(OpsError);
      expect((refused as OpsError).message).toMatch(/stayed busy for 300 ms/);
      expect(await other.read((v) => v.get('k'))).toBe(1);
    } finally {
      if (before === undefined) delete process.env.OPSDECK_STORE_TIMEOUT_MS;
      else process.env.OPSDECK_STORE_TIMEOUT_MS = before;
    }
  });

  it('the CLI lists from a held data dir, and a write there fails with a next step', async () => {
    const cli = sandbox();
    try {
      expect(opsdeck(cli.env, ['demo']).code).toBe(0);
      await holdStore(cli.env.OPSDECK_DATA_DIR!);
      const env = { ...cli.env, OPSDECK_STORE_TIMEOUT_MS: '300' };
      const list = opsdeck(env, ['services', 'list', '-o', 'json']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.json().services.map((s: { name: string }) => s.name)).toContain('orders');
      const write = opsdeck(env, ['instances', 'register', 'orders', '10.9.9.9:8080']);
      expect(write.code).not.toBe(0);
      expect(write.stderr).toMatch(/the data dir stayed busy for 300 ms \(hint: another opsdeck process is holding it/);
      expect(write.stderr).not.toMatch(/\n\s+at /);
    } finally {
      cli.cleanup();
    }
  });
});
