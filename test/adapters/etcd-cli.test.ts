import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/session/session.js';
import type { Profile } from '../../src/session/profile-types.js';
import { levelOf, rowsOf } from '../../src/frontends/tui/pane-levels.js';
import { LiveCache } from '../../src/frontends/tui/live-cache.js';
import { opsdeck, sandbox } from '../helpers/cli.js';
import { freePort } from '../servers/redis-server.js';
import { startEtcd, type EtcdServer } from '../servers/etcd-server.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/** The built binary against a real etcd, and the lock listings with one of several backends down. */
let server: EtcdServer;
let deadUrl: string;
beforeAll(async () => {
  server = await startEtcd();
  deadUrl = `http://127.0.0.1:${await freePort()}`;
});
afterAll(async () => {
  await server?.stop();
});

function withProfile(yaml: string) {
  const box = sandbox();
  mkdirSync(join(box.dir, 'config', 'opsdeck'), { recursive: true });
  writeFileSync(join(box.dir, 'config', 'opsdeck', 'config.yaml'), yaml);
  return box;
}

describe('opsdeck CLI on etcd', () => {
  it('acquire, show, list, and a confirmed force release that is audited', () => {
    const box = withProfile(`profiles:\n  e:\n    locks: [{type: etcd, url: "${server.url}", prefix: "/app/locks/", name: etcd-main}]\n`);
    try {
      const got = opsdeck(box.env, ['--profile', 'e', 'locks', 'acquire', 'deploy/orders', '--owner', 'alice', '--ttl', '1m', '-o', 'json']);
      expect(got.code).toBe(0);
      expect(got.json()).toMatchObject({ name: 'deploy/orders', holder: 'alice' });
      // The key is where etcd's concurrency package would put it, under the profile prefix.
      const keys = execFileSync('etcdctl', [...server.ctlArgs, 'get', '--prefix', '/app/locks/deploy/orders/', '--keys-only'], { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8' });
      expect(keys).toMatch(/^\/app\/locks\/deploy\/orders\/[0-9a-f]+$/m);

      const shown = opsdeck(box.env, ['--profile', 'e', 'locks', 'show', 'deploy/orders', '-o', 'json']).json().locks[0];
      expect(shown).toMatchObject({ backend: 'etcd-main', holder: 'alice', kind: 'etcd-mutex', token: got.json().token });
      expect(opsdeck(box.env, ['--profile', 'e', 'locks', 'list', '--prefix', 'deploy/', '-o', 'json']).json().locks.map((v: { name: string }) => v.name)).toEqual(['deploy/orders']);

      const refused = opsdeck(box.env, ['--profile', 'e', 'locks', 'acquire', 'deploy/orders', '--owner', 'bob']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/held by alice/);

      const noYes = opsdeck(box.env, ['--profile', 'e', 'locks', 'release', 'deploy/orders', '--force']);
      expect(noYes.code).toBe(2);
      const forced = opsdeck(box.env, ['--profile', 'e', 'locks', 'release', 'deploy/orders', '--force', '--yes', '-o', 'json']);
      expect(forced.code).toBe(0);
      expect(forced.json()).toMatchObject({ forced: true, previousHolder: 'alice' });
      expect(opsdeck(box.env, ['--profile', 'e', 'locks', 'show', 'deploy/orders']).code).toBe(1);
      const audit = readFileSync(join(box.dir, 'state', 'opsdeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(audit.at(-1)).toMatchObject({ command: 'locks release', profile: 'e', exitCode: 0, forced: true, previousHolder: 'alice' });
    } finally {
      box.cleanup();
    }
  });

  it('locks list with one of two backends down shows the other, warns naming it, and exits 3', () => {
    const box = withProfile(`profiles:\n  two:\n    locks:\n      - {type: embedded}\n      - {type: etcd, url: "${deadUrl}", name: etcd-dead, timeoutMs: 1000}\n`);
    try {
      expect(opsdeck(box.env, ['--profile', 'two', 'locks', 'acquire', 'jobs/a', '--owner', 'alice']).code).toBe(0);
      const r = opsdeck(box.env, ['--profile', 'two', 'locks', 'list', '-o', 'json']);
      expect(r.code).toBe(3);
      expect(r.json().locks.map((v: { backend: string; name: string }) => `${v.backend}:${v.name}`)).toEqual(['embedded:jobs/a']);
      // The partial answer is in the data, for -o json readers, not only in the warning.
      expect(r.json()).toMatchObject({ complete: false, stoppedBy: 'unreachable' });
      expect(r.json().backends).toEqual([
        { backend: 'embedded', complete: true, stoppedBy: 'done', error: null },
        // The hint, where the error has one, rides along for the console's red row.
        expect.objectContaining({ backend: 'etcd-dead', complete: false, stoppedBy: 'unreachable', error: expect.stringMatching(/^etcd at .* is unreachable/) }),
      ]);
      expect(r.stderr).toMatch(/warning: lock backend etcd-dead was left out: etcd at .* is unreachable/);
      const table = opsdeck(box.env, ['--profile', 'two', 'locks', 'list', '-o', 'table']);
      expect(table.stdout).toContain('jobs/a');
      expect(table.stdout).toMatch(/^etcd-dead: left out \(unreachable\): etcd at .* is unreachable/m);
      expect(table.code).toBe(3);
    } finally {
      box.cleanup();
    }
  });

  it('locks show with one of two backends down still finds the holder elsewhere, warns and exits 3', () => {
    const box = withProfile(`profiles:\n  two:\n    locks:\n      - {type: embedded}\n      - {type: etcd, url: "${deadUrl}", name: etcd-dead, timeoutMs: 1000}\n`);
    try {
      expect(opsdeck(box.env, ['--profile', 'two', 'locks', 'acquire', 'jobs/b', '--owner', 'carol']).code).toBe(0);
      const r = opsdeck(box.env, ['--profile', 'two', 'locks', 'show', 'jobs/b', '-o', 'json']);
      expect(r.code).toBe(3);
      expect(r.json()).toMatchObject({ complete: false, stoppedBy: 'unreachable', locks: [{ backend: 'embedded', name: 'jobs/b', holder: 'carol' }] });
      expect(r.stderr).toMatch(/warning: lock backend etcd-dead was not asked: etcd at .* is unreachable/);
      // Not found anywhere that answered: the dead backend's error, not a confident "not held".
      const missing = opsdeck(box.env, ['--profile', 'two', 'locks', 'show', 'jobs/none']);
      expect(missing.code).toBe(3);
      expect(missing.stderr).not.toMatch(/is not held/);
    } finally {
      box.cleanup();
    }
  });

  it('locks list with its only backend down fails with one error line', () => {
    const box = withProfile(`profiles:\n  dead:\n    locks: [{type: etcd, url: "${deadUrl}"}]\n`);
    try {
      const r = opsdeck(box.env, ['--profile', 'dead', 'locks', 'list']);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^opsdeck: etcd at .* is unreachable/);
    } finally {
      box.cleanup();
    }
  });
});

describe('console locks pane and completion with a backend down', () => {
  const profile = (dataDir: string): Profile => ({
    name: 'mixed',
    readOnly: false,
    production: false,
    registry: [],
    config: [],
    locks: [
      { type: 'embedded', dataDir },
      { type: 'etcd', url: deadUrl, name: 'etcd-dead', timeoutMs: 1000 },
      { type: 'etcd', url: server.url, name: 'etcd-live' },
    ],
    source: 'test',
  });

  it('shows the live backends’ locks and one red row naming the dead backend', async () => {
    const box = sandbox();
    const session = new Session(profile(box.dir), box.dir, 'test');
    try {
      const [local, live] = [await session.lockBackend('embedded'), await session.lockBackend('etcd-live')];
      await local!.tryAcquire!('jobs/local', { owner: 'alice', ttlMs: 60_000, waitMs: 0 });
      await live!.tryAcquire!('jobs/etcd', { owner: 'bob', ttlMs: 60_000, waitMs: 0 });

      const rows = rowsOf(await levelOf('locks', { level: 'top' }).load(consoleReads(session), Date.now()));
      const byBackend = rows.map((r) => `${r.cells[0]}:${r.cells[1]}:${r.tone}`);
      expect(byBackend).toContain('embedded:jobs/local:plain');
      expect(byBackend).toContain('etcd-live:jobs/etcd:plain');
      const dead = rows.find((r) => r.cells[0] === 'etcd-dead')!;
      expect(dead.tone).toBe('bad');
      expect(dead.cells[2]).toMatch(/unreachable/);
      // No action on the error row: there is no lock to release.
      const level = levelOf('locks', { level: 'top' });
      expect(level.actions.map((a) => a.plan(dead, 'me'))).toEqual([null, null]);
      const detail = level.enter!(dead);
      expect(detail?.kind).toBe('detail');

      const cache = new LiveCache(consoleReads(session), { file: null, defaultProfile: 'mixed', profiles: new Map() }, 0);
      await cache.refresh();
      expect([...cache.locks()].sort()).toEqual(['jobs/etcd', 'jobs/local']);
    } finally {
      await session.dispose();
      box.cleanup();
    }
  });
});
