import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { connect } from '../../src/adapters/etcd/index.js';
import type { LockBackend } from '../../src/core/subsystems.js';
import { startEtcd } from '../servers/etcd-server.js';
import { describeLockConformance, type LockHarness } from './lock-suite.js';

/**
 * The probe reads etcd itself over plain HTTP: the oldest key (by create_revision) under
 * `<prefix><name>/` is the holder, as in Go's concurrency package; its value is the owner.
 */
async function oldestValue(url: string, key: string): Promise<string | null> {
  const start = Buffer.from(key);
  const end = Buffer.from(key);
  end[end.length - 1]! += 1;
  const res = await request(`${url}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: start.toString('base64'), range_end: end.toString('base64'), sort_target: 'CREATE', sort_order: 'ASCEND', limit: '1' }),
  });
  const body = (await res.body.json()) as { kvs?: Array<{ value?: string }> };
  const kv = body.kvs?.[0];
  return kv ? Buffer.from(kv.value ?? '', 'base64').toString('utf8') : null;
}

async function harness(prefix: string): Promise<LockHarness> {
  const server = await startEtcd();
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-etcd-conf-'));
  const adapter = await connect({ url: server.url, prefix }, { dataDir: dir, version: 'test', name: 'etcd' });
  return {
    backend: adapter.locks as Required<Pick<LockBackend, 'tryAcquire' | 'release' | 'forceRelease'>> & LockBackend,
    probe: { holder: (name) => oldestValue(server.url, `${prefix}${name}/`) },
    // A one-member etcd with default timing raises any lease below 2 s to 2 s.
    minTtlMs: 2000,
    // The holder key's create_revision only grows, and it is what acquire returns as the token.
    fencing: true,
    async dispose() {
      await adapter.dispose();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const skips = {
  reentrant: 'the etcd mutex layout has one key per session lease and no hold count; a second acquire is a new contender',
};

describeLockConformance('etcd 3.4 (concurrency mutex layout, real server)', () => harness(''), skips);
describeLockConformance('etcd 3.4 with a key prefix (prefix: /locks/)', () => harness('/locks/'), skips);
