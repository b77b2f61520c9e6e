import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opsdeck, opsdeckAsync, sandbox } from '../helpers/cli.js';
import { freePort } from '../servers/redis-server.js';

let box: ReturnType<typeof sandbox>;
const run = (...args: string[]) => opsdeck(box.env, args);

beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

describe('services and instances, one-shot', () => {
  it('register, list, show, drain, undrain and deregister with the documented JSON shapes', () => {
    expect(run('instances', 'register', 'orders', '10.0.0.5:8080', '--weight', '2', '--meta', 'zone=eu-1', '--meta', 'version=2.1').code).toBe(0);
    expect(run('instances', 'register', 'orders', '10.0.0.6:8080', '--ephemeral', '--ttl', '20s').code).toBe(0);
    expect(run('instances', 'register', 'orders', '10.1.0.5:8080', '--namespace', 'staging').code).toBe(0);

    const list = run('services', 'list', '-o', 'json');
    expect(list.code).toBe(0);
    expect(list.json()).toEqual({
      complete: true,
      stoppedBy: 'done',
      backends: [{ backend: 'embedded', complete: true, stoppedBy: 'done', error: null }],
      services: [
        { backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', name: 'orders', instances: 2, healthy: 2, disabled: 0 },
        { backend: 'embedded', namespace: 'staging', group: 'DEFAULT_GROUP', name: 'orders', instances: 1, healthy: 1, disabled: 0 },
      ],
    });
    expect(run('services', 'list', '--namespace', 'staging').json().services).toHaveLength(1);
    expect(run('services', 'list', '--filter', 'nomatch').json().services).toEqual([]);

    const show = run('services', 'show', 'orders').json();
    expect(show).toMatchObject({ backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', name: 'orders' });
    expect(show.instances[0]).toEqual({
      id: '10.0.0.5:8080', ip: '10.0.0.5', port: 8080, health: 'passing', traffic: 'enabled', status: null, statusOverride: null, weight: 2, ephemeral: false, cluster: null,
      metadata: { zone: 'eu-1', version: '2.1' }, tags: [], urls: {}, lastHeartbeat: null, lease: null, healthy: true, enabled: true,
    });
    expect(show.instances[1]).toMatchObject({ ephemeral: true, health: 'passing', healthy: true, lease: { durationMs: 40_000 } });
    expect(Date.parse(show.instances[1].lastHeartbeat)).toBeGreaterThan(0);

    expect(run('instances', 'drain', 'orders', '10.0.0.5:8080').json().instances[0]).toMatchObject({ traffic: 'disabled', enabled: false });
    expect(run('services', 'list').json().services[0]).toMatchObject({ disabled: 1 });
    expect(run('instances', 'undrain', 'orders', '10.0.0.5:8080').json().instances[0]).toMatchObject({ traffic: 'enabled', enabled: true });

    const refused = run('instances', 'deregister', 'orders', '10.0.0.5:8080');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect(run('services', 'show', 'orders').json().instances).toHaveLength(2);
    expect(run('instances', 'deregister', 'orders', '10.0.0.5:8080', '--yes').json()).toEqual({ backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', service: 'orders', id: '10.0.0.5:8080', deregistered: true });
    expect(run('services', 'show', 'orders').json().instances.map((i: { id: string }) => i.id)).toEqual(['10.0.0.6:8080']);
  });

  it('renders a readable table with -o table', () => {
    run('instances', 'register', 'payments', '10.0.0.7:8443');
    const t = run('services', 'list', '-o', 'table');
    expect(t.stdout).toMatch(/NAMESPACE\s+GROUP\s+SERVICE\s+INSTANCES\s+HEALTHY\s+DRAINED/);
    expect(t.stdout).toMatch(/payments\s+1\s+1\/1\s+0/);
    expect(t.stdout).not.toMatch(/BACKEND/);
    expect(t.stdout).not.toMatch(/\x1b\[/);
    expect(run('services', 'show', 'payments', '-o', 'table').stdout).toMatch(/INSTANCE\s+WEIGHT\s+HEALTH\s+TRAFFIC\s+EPHEMERAL\s+METADATA\n10\.0\.0\.7:8443\s+1\s+passing\s+enabled\s+no/);
  });
});

describe('config, one-shot', () => {
  it('set, get, list, history, diff, rollback and delete', () => {
    const v1 = run('config', 'set', 'orders.yaml', '--value', 'pool: 10\n').json();
    expect(v1).toMatchObject({ backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', dataId: 'orders.yaml', content: 'pool: 10\n', type: 'yaml', version: 1 });
    expect(v1.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(v1.token).toBe(v1.md5);
    const file = join(box.dir, 'orders.yaml');
    writeFileSync(file, 'pool: 20\ntimeout: 3\n');
    const v2 = run('config', 'set', 'orders.yaml', '--file', file, '--if-md5', v1.md5).json();
    expect(v2.version).toBe(2);

    const stale = run('config', 'set', 'orders.yaml', '--value', 'pool: 30\n', '--if-match', v1.token);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/changed/);
    expect(stale.stderr).toMatch(/--if-match/);
    expect(run('config', 'get', 'orders.yaml').json()).toEqual({ ...v2, content: 'pool: 20\ntimeout: 3\n' });

    const out = run('config', 'history', 'orders.yaml').json();
    expect(out).toMatchObject({ backend: 'embedded', dataId: 'orders.yaml', complete: true, incomplete: null });
    const history = out.entries;
    expect(history.map((h: { id: string; op: string; contentIs: string }) => [h.id, h.op, h.contentIs])).toEqual([['2', 'update', 'after'], ['1', 'create', 'after']]);
    expect(Object.keys(history[0]).sort()).toEqual(['at', 'by', 'contentIs', 'from', 'id', 'md5', 'op', 'version']);

    const diff = run('config', 'diff', 'orders.yaml').json();
    expect(diff).toMatchObject({ backend: 'embedded', from: '1', to: '2', file: null, identical: false });
    expect(diff.diff).toEqual(['@@ -1,1 +1,2 @@', '-pool: 10', '+pool: 20', '+timeout: 3']);

    expect(run('config', 'rollback', 'orders.yaml', '--to', '1').json()).toMatchObject({ content: 'pool: 10\n', version: 3, restored: '1' });
    expect(run('config', 'list').json().configs).toEqual([expect.objectContaining({ backend: 'embedded', dataId: 'orders.yaml', version: 3, type: 'yaml' })]);

    expect(run('config', 'delete', 'orders.yaml').code).toBe(2);
    const deleted = run('config', 'delete', 'orders.yaml', '--yes').json();
    expect(deleted).toMatchObject({ backend: 'embedded', dataId: 'orders.yaml', deleted: true, version: 3, md5: v1.md5, token: v1.md5 });
    expect(run('config', 'get', 'orders.yaml').code).toBe(1);
    expect(run('config', 'history', 'orders.yaml').json().entries[0]).toMatchObject({ id: '4', version: 4, op: 'delete', md5: null });
  });

  it('refuses to publish JSON or YAML that does not parse, unless it is declared text', () => {
    const bad = run('config', 'set', 'routes.json', '--value', '{"a": ');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON/);
    expect(run('config', 'get', 'routes.json').code).toBe(1);
    expect(run('config', 'set', 'routes.json', '--value', '{"a": ', '--type', 'text').code).toBe(0);
    expect(run('config', 'set', 'x.yaml', '--value', 'a: [1').code).toBe(2);
  });

  it('watch prints each change as NDJSON and stops after --count', async () => {
    run('config', 'set', 'flags', '--value', 'a=1', '--type', 'properties');
    let done = false;
    const watching = opsdeckAsync(box.env, ['config', 'watch', 'flags', '--count', '2', '--timeout', '30s', '-o', 'json']).finally(() => (done = true));
    // The watcher's start-up time is unknown on a loaded machine, so keep publishing (version k holds
    // a=k) until it has seen two changes, instead of guessing how long to wait before the first.
    for (let k = 2; !done && k < 60; k++) {
      await opsdeckAsync(box.env, ['config', 'set', 'flags', '--value', `a=${k}`]);
      await new Promise((r) => setTimeout(r, 300));
    }
    const w = await watching;
    expect(w.code).toBe(0);
    const events = w.stdout.trim().split('\n').map((l) => JSON.parse(l)) as Array<{ content: string; version: number }>;
    expect(events).toHaveLength(2);
    const first = events[0]!.version;
    expect(first).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => [e.version, e.content])).toEqual([[first, `a=${first}`], [first + 1, `a=${first + 1}`]]);
  });

  it('watch with --count fails (exit 1) when the timeout passes first', () => {
    run('config', 'set', 'quiet', '--value', 'x');
    const w = run('config', 'watch', 'quiet', '--count', '1', '--timeout', '500ms');
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/timeout/);
  });
});

describe('locks, one-shot', () => {
  it('acquire, show, list, refuse, reentrant release and force release', () => {
    const got = run('locks', 'acquire', 'deploy/orders', '--owner', 'alice', '--ttl', '5m').json();
    expect(Object.keys(got).sort()).toEqual(['expiresAt', 'holder', 'name', 'token']);
    expect(got).toMatchObject({ name: 'deploy/orders', holder: 'alice' });
    expect(Date.parse(got.expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000);

    const second = run('locks', 'acquire', 'deploy/orders', '--owner', 'bob');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/held by alice/);

    expect(run('locks', 'acquire', 'deploy/orders', '--owner', 'alice').json().token).toBe(got.token);
    const shown = run('locks', 'show', 'deploy/orders').json();
    expect(shown).toMatchObject({ complete: true, stoppedBy: 'done', backends: [{ backend: 'embedded', complete: true, stoppedBy: 'done', error: null }] });
    const [view] = shown.locks;
    expect(Object.keys(view).sort()).toEqual(['acquiredAt', 'backend', 'expiresAt', 'holder', 'kind', 'name', 'reentrancy', 'token', 'ttlMs', 'waiters']);
    expect(view).toMatchObject({ backend: 'embedded', name: 'deploy/orders', kind: 'embedded', holder: 'alice', reentrancy: 2, waiters: [], token: got.token });
    const listed = run('locks', 'list', '--prefix', 'deploy/').json();
    expect(Object.keys(listed)).toEqual(['complete', 'stoppedBy', 'backends', 'locks']);
    expect(listed.locks).toHaveLength(1);
    expect(run('locks', 'list', '--prefix', 'other/').json()).toEqual({ complete: true, stoppedBy: 'done', backends: [{ backend: 'embedded', complete: true, stoppedBy: 'done', error: null }], locks: [] });

    expect(run('locks', 'release', 'deploy/orders', '--owner', 'bob').code).toBe(1);
    expect(run('locks', 'release', 'deploy/orders', '--owner', 'alice').json()).toMatchObject({ released: true, remaining: 1 });
    expect(run('locks', 'release', 'deploy/orders', '--force').code).toBe(2);
    const notBobs = run('locks', 'release', 'deploy/orders', '--force', '--owner', 'bob', '--yes');
    expect(notBobs.code).toBe(1);
    expect(notBobs.stderr).toMatch(/deploy\/orders is held by alice, not bob; nothing was released/);
    expect(run('locks', 'release', 'deploy/orders', '--force', '--yes').json()).toMatchObject({ forced: true, previousHolder: 'alice' });
    expect(run('locks', 'show', 'deploy/orders').code).toBe(1);
  });

  it('a one-shot acquire without --owner uses a per-process owner, so a second process is refused', () => {
    const first = run('locks', 'acquire', 'job').json();
    expect(first.holder).toMatch(/@.+:\d+$/);
    expect(run('locks', 'acquire', 'job').code).toBe(1);
  });

  it('--wait queues for the lock and takes it when the holder releases', async () => {
    run('locks', 'acquire', 'queue-me', '--owner', 'alice');
    const waiting = opsdeckAsync(box.env, ['locks', 'acquire', 'queue-me', '--owner', 'bob', '--wait', '20s']);
    const deadline = Date.now() + 10_000;
    while (run('locks', 'show', 'queue-me').json().locks[0].waiters.length === 0) {
      if (Date.now() > deadline) throw new Error('bob never queued');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(run('locks', 'show', 'queue-me').json().locks[0].waiters[0].owner).toBe('bob');
    run('locks', 'release', 'queue-me', '--owner', 'alice');
    const bob = await waiting;
    expect(bob.code).toBe(0);
    expect(bob.json().holder).toBe('bob');
  });
});

describe('locks with one lock backend down', () => {
  // A Redis on a port nobody listens on: the profile's second lock backend is down.
  const mixed = async () => {
    const path = join(box.dir, 'mixed.yaml');
    writeFileSync(path, `profiles:\n  mixed:\n    locks: [{type: embedded, name: emb}, {type: redis, name: rdown, url: "redis://127.0.0.1:${await freePort()}", connectTimeoutMs: 500}]\n`);
    return (...args: string[]) => opsdeck(box.env, ['--config', path, '--profile', 'mixed', ...args]);
  };

  it('acquire, show and release on the named backend never touch the dead one', async () => {
    const m = await mixed();
    const got = m('locks', 'acquire', 'x', '--backend', 'emb', '--ttl', '5s', '--owner', 'alice');
    expect(got.code, got.stderr).toBe(0);
    expect(got.stderr).toBe('');
    const shown = m('locks', 'show', 'x', '--backend', 'emb');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json()).toMatchObject({ complete: true, backends: [{ backend: 'emb', complete: true }], locks: [{ backend: 'emb', name: 'x', holder: 'alice' }] });
    const released = m('locks', 'release', 'x', '--backend', 'emb', '--owner', 'alice');
    expect(released.code, released.stderr).toBe(0);
    expect(released.stderr).toBe('');
    const unknown = m('locks', 'acquire', 'x', '--backend', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('opsdeck: profile mixed has no lock backend named nope (hint: use one of: emb, rdown)');
  });

  it('a listing shows the live backend and says in its data that the dead one is missing', async () => {
    const m = await mixed();
    m('locks', 'acquire', 'y', '--backend', 'emb', '--owner', 'bob');
    const r = m('locks', 'list', '-o', 'json');
    expect(r.code).toBe(3);
    expect(r.json()).toMatchObject({
      complete: false,
      stoppedBy: 'unreachable',
      backends: [
        { backend: 'emb', complete: true, stoppedBy: 'done', error: null },
        { backend: 'rdown', complete: false, stoppedBy: 'unreachable', error: expect.stringMatching(/is unreachable/) },
      ],
      // Each lock row carries the profile entry's name, as --backend emb selects it.
      locks: [{ backend: 'emb', name: 'y', holder: 'bob' }],
    });
    expect(r.stderr).toMatch(/^opsdeck: warning: lock backend rdown was left out: /m);
    const table = m('locks', 'list', '-o', 'table');
    expect(table.stdout).toMatch(/^emb +y +/m);
    expect(table.stdout).toMatch(/^rdown: left out \(unreachable\): redis .* is unreachable/m);
  });
});

describe('profile, status, version, help, demo', () => {
  it('demo fills a believable fleet and is safe to run twice', () => {
    const d = run('demo').json();
    expect(d.namespaces).toBeGreaterThanOrEqual(2);
    expect(d.instances).toBeGreaterThanOrEqual(20);
    const services = run('services', 'list').json().services;
    expect(services.length).toBeGreaterThanOrEqual(5);
    expect(services.reduce((n: number, s: { instances: number }) => n + s.instances, 0)).toBeGreaterThanOrEqual(20);
    expect(run('locks', 'list').json().locks.length).toBeGreaterThanOrEqual(3);
    expect(run('config', 'history', 'orders.yaml').json().entries.length).toBeGreaterThanOrEqual(2);
    const again = run('demo');
    expect(again.code).toBe(0);
    expect(run('config', 'history', 'orders.yaml').json().entries.length).toBe(3);
  });

  it('status reports the embedded backend as reachable with a latency', () => {
    const s = run('status').json();
    expect(s.map((r: { subsystem: string }) => r.subsystem)).toEqual(['registry', 'config', 'locks']);
    expect(s.every((r: { reachable: boolean; latencyMs: number }) => r.reachable && r.latencyMs >= 0)).toBe(true);
  });

  it('version, help and help COMMAND', () => {
    expect(run('version').json().version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run('--version').stdout).toMatch(/^opsdeck \d/);
    const all = run('help', '-o', 'table').stdout;
    for (const cmd of ['services list', 'instances drain', 'config rollback', 'locks release', 'profile show', 'status']) expect(all).toContain(cmd);
    const one = run('help', 'locks', 'acquire').json();
    expect(one[0].usage).toBe('opsdeck locks acquire <name> [options]');
    expect(one[0].options.map((o: { flag: string }) => o.flag)).toContain('--ttl <duration>');
  });

  it('profile list and show use the built-in local profile without a config file', () => {
    expect(run('profile', 'list').json()).toEqual([expect.objectContaining({ name: 'local', active: true, registry: ['embedded'], config: ['embedded'] })]);
    expect(run('profile', 'show').json()).toMatchObject({ name: 'local', readOnly: false, dataDir: box.env.OPSDECK_DATA_DIR });
  });
});

describe('audit log', () => {
  it('records every mutating command, flags force releases with the previous holder, and skips reads', () => {
    run('locks', 'acquire', 'audited', '--owner', 'alice');
    run('services', 'list');
    run('locks', 'release', 'audited', '--force', '--yes');
    run('config', 'get', 'nothing');
    const lines = readFileSync(join(box.env.XDG_STATE_HOME!, 'opsdeck', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l: { command: string }) => l.command)).toEqual(['locks acquire', 'locks release']);
    expect(lines[1]).toMatchObject({ command: 'locks release', profile: 'local', exitCode: 0, forced: true, previousHolder: 'alice', args: { name: 'audited', force: true } });
    expect(lines[1].user).toBeTruthy();
    expect(Date.parse(lines[1].at)).toBeGreaterThan(0);
  });

  it('never stores config content: only its size and md5', () => {
    run('config', 'set', 'db.properties', '--value', 'db.password=hunter2');
    const text = readFileSync(join(box.env.XDG_STATE_HOME!, 'opsdeck', 'audit.log'), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text.trim().split('\n').pop()!).args.value).toMatch(/^<19 bytes, md5 [0-9a-f]{32}>$/);
  });
});
