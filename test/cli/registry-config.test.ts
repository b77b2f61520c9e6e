import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { opsdeck, sandbox, writeProfileFile } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/one-line-error.js';

/**
 * The registry and config commands through the binary: addressing one service or config among
 * several backends, instance ids and aliases, the new commands, capabilities a backend lacks, and
 * the JSON shapes and exit codes of each.
 */
let box: ReturnType<typeof sandbox>;
const run = (...args: string[]) => opsdeck(box.env, args);

beforeEach(() => {
  box = sandbox();
});
afterEach(() => box.cleanup());

describe('instances', () => {
  it('weight, metadata and heartbeat by id; an unknown instance is exit 1 naming the service and its scope', () => {
    run('instances', 'register', 'cart', '10.0.0.9:9000', '--ephemeral', '--ttl', '1h', '--meta', 'zone=a', '--meta', 'canary=yes', '--cluster', 'eu');
    const w = run('instances', 'weight', 'cart', '10.0.0.9:9000', '2.5');
    expect(w.code, w.stderr).toBe(0);
    expect(w.json().instances[0]).toMatchObject({ id: '10.0.0.9:9000', weight: 2.5, cluster: 'eu' });
    const m = run('instances', 'meta', 'cart', '10.0.0.9:9000', '--set', 'zone=b', '--set', 'v=2', '--remove', 'canary');
    expect(m.json().instances[0].metadata).toEqual({ zone: 'b', v: '2' });
    const hb = run('instances', 'heartbeat', 'cart', '10.0.0.9:9000').json();
    expect(hb).toMatchObject({ backend: 'embedded', namespace: 'public', group: 'DEFAULT_GROUP', service: 'cart', id: '10.0.0.9:9000' });
    expect(Date.parse(hb.heartbeat)).toBeGreaterThan(0);
    const missing = run('instances', 'drain', 'cart', '10.0.0.9:1');
    expect(missing.code).toBe(1);
    expectOneLineError(missing, /^opsdeck: instance 10\.0\.0\.9:1 is not registered in cart \(embedded, namespace public, group DEFAULT_GROUP\) \(hint: run "opsdeck services show cart" to see its instances\)$/);
  });

  it('the scope on the line picks the service: drain in staging leaves the default namespace alone', () => {
    run('instances', 'register', 'orders', '10.0.0.1:80');
    run('instances', 'register', 'orders', '10.0.0.1:80', '--namespace', 'staging');
    expect(run('instances', 'drain', 'orders', '10.0.0.1:80', '--namespace', 'staging').json()).toMatchObject({ namespace: 'staging' });
    expect(run('services', 'show', 'orders', '--namespace', 'staging').json().instances[0].traffic).toBe('disabled');
    expect(run('services', 'show', 'orders').json().instances[0].traffic).toBe('enabled');
    const unknown = run('services', 'show', 'orders', '--namespace', 'nope');
    expect(unknown.code).toBe(1);
    expectOneLineError(unknown, /^opsdeck: service orders not found in namespace nope, group DEFAULT_GROUP \(hint: run "opsdeck services list" to see the services, or pass --namespace\/--group for another scope\)$/);
  });

  it('namespaces list gives the registry\'s namespaces as a listing', () => {
    run('instances', 'register', 'orders', '10.0.0.1:80', '--namespace', 'staging');
    const r = run('namespaces', 'list');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({
      complete: true,
      stoppedBy: 'done',
      backends: [{ backend: 'embedded', complete: true, stoppedBy: 'done', error: null }],
      namespaces: [
        { backend: 'embedded', id: 'public', name: 'public', description: null },
        { backend: 'embedded', id: 'staging', name: 'staging', description: null },
      ],
    });
  });
});

describe('config', () => {
  it('history says what each entry holds, in the table and the JSON', () => {
    run('config', 'set', 'a.properties', '--value', 'x=1');
    run('config', 'set', 'a.properties', '--value', 'x=2');
    expect(run('config', 'history', 'a.properties').json().entries.map((h: { contentIs: string }) => h.contentIs)).toEqual(['after', 'after']);
    expect(run('config', 'history', 'a.properties', '-o', 'table').stdout).toMatch(/^ID\s+OP\s+CONTENT\s+MD5\s+AT\n\s*2\s+update\s+after the change\s+[0-9a-f]{32}/);
  });

  it('get --entry shows what a history entry left, in the JSON and the table; a deletion left nothing', () => {
    for (const v of ['e=1\n', 'e=2\n']) run('config', 'set', 'e.properties', '--value', v);
    run('config', 'delete', 'e.properties', '--yes');
    expect(run('config', 'get', 'e.properties', '--entry', '1').json()).toMatchObject({ backend: 'embedded', dataId: 'e.properties', entry: { id: '1', op: 'create' }, content: 'e=1\n' });
    expect(run('config', 'get', 'e.properties', '--entry', '2', '-o', 'table').stdout).toMatch(/^# e\.properties · embedded · entry 2 · update · .* · the content right after this change\ne=2\n$/);
    expect(run('config', 'get', 'e.properties', '--entry', '3').json()).toMatchObject({ entry: { id: '3', op: 'delete' }, content: null });
    const unknown = run('config', 'get', 'e.properties', '--entry', '9');
    expect(unknown.code).toBe(1);
    expectOneLineError(unknown, /config e\.properties has no history entry 9/);
  });

  it('diff between any two entries, and the current content against a file', () => {
    for (const v of ['x=1\n', 'x=2\n', 'x=3\n']) run('config', 'set', 'd.properties', '--value', v);
    expect(run('config', 'diff', 'd.properties', '--from', '1', '--to', '3').json()).toMatchObject({ from: '1', to: '3', file: null, identical: false, diff: ['@@ -1,1 +1,1 @@', '-x=1', '+x=3'] });
    const file = join(box.dir, 'local.properties');
    writeFileSync(file, 'x=3\ny=4\n');
    const against = run('config', 'diff', 'd.properties', '--file', file).json();
    expect(against).toMatchObject({ backend: 'embedded', from: 'current', to: null, file, diff: ['@@ -1,1 +1,2 @@', ' x=3', '+y=4'] });
    expect(run('config', 'diff', 'd.properties', '--from', '1', '--file', file).json().diff).toEqual(['@@ -1,1 +1,2 @@', '-x=1', '+x=3', '+y=4']);
    const unknown = run('config', 'diff', 'd.properties', '--from', '9');
    expect(unknown.code).toBe(1);
    expectOneLineError(unknown, /config d\.properties has no history entry 9/);
  });

  it('rollback restores what an entry left, compared against the current token; a deletion entry is refused with the entry before it', () => {
    run('config', 'set', 'r.properties', '--value', 'x=1');
    run('config', 'set', 'r.properties', '--value', 'x=2');
    const back = run('config', 'rollback', 'r.properties', '--to', '1');
    expect(back.json()).toMatchObject({ content: 'x=1', version: 3, restored: '1' });
    const current = run('config', 'get', 'r.properties').json();
    const stale = run('config', 'rollback', 'r.properties', '--to', '2', '--if-match', '0'.repeat(32));
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/changed/);
    expect(run('config', 'get', 'r.properties').json().token).toBe(current.token);
    run('config', 'delete', 'r.properties', '--yes');
    const del = run('config', 'rollback', 'r.properties', '--to', '4');
    expect(del.code).toBe(2);
    expectOneLineError(del, /^opsdeck: history entry 4 of r\.properties is its deletion: it left no content to restore \(hint: roll back to the entry before it: --to 3\)$/);
    // A deleted config comes back from an earlier entry (there is no token to compare against).
    expect(run('config', 'rollback', 'r.properties', '--to', '2').json()).toMatchObject({ content: 'x=2', version: 5 });
  });

  it('--if-match and --if-md5 are the same check here, and must agree when both are given', () => {
    const v1 = run('config', 'set', 'c.txt', '--value', 'one').json();
    expect(run('config', 'set', 'c.txt', '--value', 'two', '--if-md5', v1.md5, '--if-match', v1.token).code).toBe(0);
    const both = run('config', 'set', 'c.txt', '--value', 'three', '--if-md5', v1.md5, '--if-match', 'other');
    expect(both.code).toBe(2);
    expectOneLineError(both, /--if-match and --if-md5 name different tokens/);
  });

  it('listeners and beta releases are capabilities the embedded backend lacks: exit 2 naming the backend and the capability, nothing changed', () => {
    run('config', 'set', 'b.properties', '--value', 'x=1');
    for (const [args, what] of [
      [['config', 'listeners', 'b.properties'], 'list config listeners'],
      [['config', 'beta', 'b.properties'], 'show beta \\(gray\\) releases'],
      [['config', 'beta-stop', 'b.properties', '--yes'], 'stop beta \\(gray\\) releases'],
      [['config', 'set', 'b.properties', '--value', 'x=2', '--beta-ips', '10.0.0.1'], 'publish beta \\(gray\\) releases'],
    ] as const) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLineError(r, new RegExp(`^opsdeck: backend embedded cannot ${what} \\(hint: `));
    }
    expect(run('config', 'get', 'b.properties').json().content).toBe('x=1');
  });
});

describe('several registries and config backends in one profile', () => {
  /** Two entries of the same embedded store under two names: every service is on both, which is what "found on several" needs. */
  const twoOfOne = () =>
    writeProfileFile(
      box.env,
      ['profiles:', '  two:', '    registry: [{type: embedded, name: a}, {type: embedded, name: b}]', '    config: [{type: embedded, name: a}, {type: embedded, name: b}]', '    locks: [{type: embedded}]', 'defaultProfile: two', ''].join('\n'),
    );

  it('lists every backend with a backend column; one service on several is exit 2 naming them, and --backend picks one', () => {
    run('instances', 'register', 'orders', '10.0.0.1:80');
    run('config', 'set', 'o.yaml', '--value', 'a: 1');
    twoOfOne();
    const list = run('services', 'list');
    expect(list.json().backends.map((b: { backend: string }) => b.backend)).toEqual(['a', 'b']);
    expect(list.json().services.map((s: { backend: string; name: string }) => `${s.backend}/${s.name}`)).toEqual(['a/orders', 'b/orders']);
    expect(run('services', 'list', '-o', 'table').stdout).toMatch(/^BACKEND\s+NAMESPACE\s+GROUP\s+SERVICE/);
    expect(run('services', 'list', '--backend', 'b').json().services.map((s: { backend: string }) => s.backend)).toEqual(['b']);
    const both = run('services', 'show', 'orders');
    expect(both.code).toBe(2);
    expectOneLineError(both, /^opsdeck: service orders is on several registry backends: a \(namespace public, group DEFAULT_GROUP\), b \(namespace public, group DEFAULT_GROUP\) \(hint: pick one with --backend a or --backend b\)$/);
    expect(run('services', 'show', 'orders', '--backend', 'b').json()).toMatchObject({ backend: 'b', name: 'orders' });
    expect(run('instances', 'drain', 'orders', '10.0.0.1:80', '--backend', 'a').json().backend).toBe('a');
    const nowhere = run('services', 'show', 'nope');
    expect(nowhere.code).toBe(1);
    expectOneLineError(nowhere, /^opsdeck: service nope not found on any registry backend: a \(namespace public, group DEFAULT_GROUP\), b \(namespace public, group DEFAULT_GROUP\)/);
    const create = run('instances', 'register', 'fresh', '10.0.0.2:80');
    expect(create.code).toBe(2);
    expectOneLineError(create, /service fresh is on none of the registry backends .* \(hint: pick where with --backend a or --backend b\)$/);
    expect(run('config', 'get', 'o.yaml').code).toBe(2);
    expect(run('config', 'get', 'o.yaml', '--backend', 'a').json()).toMatchObject({ backend: 'a', content: 'a: 1' });
    const unknownBackend = run('services', 'show', 'orders', '--backend', 'c');
    expect(unknownBackend.code).toBe(2);
    expectOneLineError(unknownBackend, /^opsdeck: profile two has no registry backend named c \(hint: use one of: a, b\)$/);
  });

  it('status and profile show name every backend', () => {
    twoOfOne();
    const status = run('status').json();
    expect(status.map((r: { subsystem: string; backend: string }) => `${r.subsystem}:${r.backend}`)).toEqual(['registry:a', 'registry:b', 'config:a', 'config:b', 'locks:embedded']);
    expect(run('profile', 'show').json()).toMatchObject({ registry: [{ type: 'embedded', name: 'a' }, { type: 'embedded', name: 'b' }], config: [{ name: 'a' }, { name: 'b' }] });
  });

  it('a registry that is down is an incomplete part of the listing and exit 3, the others still answer; a lookup falls back to its failure only when nothing was found', () => {
    run('instances', 'register', 'orders', '10.0.0.1:80');
    // Nothing listens on port 1: this entry's connection is refused, as a registry that is down.
    writeProfileFile(box.env, ['profiles:', '  mixed:', '    registry: [{type: embedded, name: local}, {type: redis, name: down, url: "redis://127.0.0.1:1", connectTimeoutMs: 500}]', 'defaultProfile: mixed', ''].join('\n'));
    const list = run('services', 'list');
    expect(list.code).toBe(3);
    expect(list.json()).toMatchObject({ complete: false, stoppedBy: 'unreachable', backends: [{ backend: 'local', complete: true, error: null }, { backend: 'down', complete: false, stoppedBy: 'unreachable' }] });
    expect(list.json().backends[1].error).toMatch(/unreachable/);
    expect(list.json().services.map((s: { backend: string; name: string }) => `${s.backend}/${s.name}`)).toEqual(['local/orders']);
    expect(list.stderr).toMatch(/^opsdeck: warning: registry backend down was left out: .*unreachable/m);
    expect(run('services', 'list', '-o', 'table').stdout).toMatch(/^down: left out \(unreachable\): /m);
    // Found where it is: the registry that is down does not matter.
    expect(run('services', 'show', 'orders').json().backend).toBe('local');
    // Not found on the one that answered while the other could not be asked: that failure, not "not found".
    const nowhere = run('services', 'show', 'nope');
    expect(nowhere.code).toBe(3);
    expectOneLineError(nowhere, /unreachable/);
    // Asking only the one that answers never touches the other.
    expect(run('services', 'list', '--backend', 'local').code).toBe(0);
  });
});
