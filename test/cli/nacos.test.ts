import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeConfig, probeInstances } from '../conformance/nacos-probe.js';
import { opsdeckAsync, sandbox, writeProfileFile, type RunResult } from '../helpers/cli.js';
import type { NacosEndpoint } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';

/**
 * The binary against a real Nacos 2.5.1 (auth on, the run's shared server), in a namespace of its
 * own: every registry and config command a user runs on Nacos, their JSON, exit codes and refusals.
 * What a write did is checked by reading Nacos directly (nacos-probe.ts), never through opsdeck.
 * The password reaches the profile through ${NACOS_TEST_PASSWORD}, as a user's would.
 */

const VERSION = '2.5.1';
let s: NacosEndpoint;
let token: string;
let ns: string;
let box: ReturnType<typeof sandbox>;
const G = 'CLI_GROUP';
const md5 = (t: string) => createHash('md5').update(t, 'utf8').digest('hex');
/** Each test runs the binary a dozen times; on a loaded shared machine one run can take seconds. */
const T = 300_000;

beforeAll(async () => {
  s = await sharedNacos(VERSION);
  token = await nacosToken(s);
  ns = await nacosNamespace(s, token, 'cli');
  box = sandbox();
  box.env.NACOS_TEST_PASSWORD = s.password;
  const entry = (extra = '') => `{type: nacos, url: "${s.url}", username: ${s.username}, password: "\${NACOS_TEST_PASSWORD}"${extra}}`;
  writeProfileFile(
    box.env,
    [
      'profiles:',
      '  n:',
      `    registry: ${entry()}`,
      `    config: ${entry()}`,
      '  ro:',
      '    readOnly: true',
      `    registry: ${entry()}`,
      `    config: ${entry()}`,
      '  wrong:',
      `    registry: {type: nacos, url: "${s.url}", username: ${s.username}, password: "Wr0ng-pw-not-shown"}`,
      '',
    ].join('\n'),
  );
}, 25 * 60_000);
afterAll(() => box?.cleanup());

const run = (...args: string[]) => opsdeckAsync(box.env, ['--profile', 'n', ...args, '-o', 'json']);
const scoped = (...args: string[]) => run(...args, '--namespace', ns, '--group', G);
const ok = (r: RunResult) => {
  expect(r.code, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
};
/** One line on stderr, no stack trace. */
const oneLine = (r: RunResult) => {
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trim();
};
const instances = (service: string) => probeInstances(s, token, ns, G, service);
const content = (dataId: string) => probeConfig(s, token, ns, G, dataId);

async function until<T>(what: string, f: () => Promise<T>, done: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe(`opsdeck CLI on Nacos ${VERSION}: services and instances`, () => {
  it('register, services list and show, drain, undrain, weight, meta: each reaches Nacos', async () => {
    const reg = ok(await scoped('instances', 'register', 'orders', '10.40.0.1:8080', '--weight', '2', '--meta', 'zone=a', '--meta', 'tier=web'));
    expect(reg.json().instances[0]).toMatchObject({ ip: '10.40.0.1', port: 8080, weight: 2, ephemeral: false, traffic: 'enabled' });
    expect(await instances('orders')).toEqual([{ ip: '10.40.0.1', port: 8080, enabled: true, weight: 2, metadata: { zone: 'a', tier: 'web' } }]);

    const list = ok(await run('services', 'list', '--namespace', ns));
    expect(list.json().services).toEqual([{ backend: 'nacos', namespace: ns, group: G, name: 'orders', instances: 1, healthy: 1, disabled: 0 }]);
    const show = ok(await scoped('services', 'show', 'orders')).json();
    expect(show).toMatchObject({ backend: 'nacos', namespace: ns, group: G, name: 'orders' });
    expect(show.instances[0].id).toBe(`10.40.0.1#8080#DEFAULT#${G}@@orders`);

    ok(await scoped('instances', 'drain', 'orders', '10.40.0.1:8080'));
    expect((await instances('orders'))[0]).toMatchObject({ enabled: false, weight: 2 });
    expect(ok(await run('services', 'list', '--namespace', ns)).json().services[0]).toMatchObject({ disabled: 1 });
    // By its Nacos id too.
    ok(await scoped('instances', 'undrain', 'orders', show.instances[0].id));
    expect((await instances('orders'))[0]).toMatchObject({ enabled: true, weight: 2 });

    expect(ok(await scoped('instances', 'weight', 'orders', '10.40.0.1:8080', '3.5')).json().instances[0].weight).toBe(3.5);
    expect((await instances('orders'))[0]!.weight).toBe(3.5);

    const meta = ok(await scoped('instances', 'meta', 'orders', '10.40.0.1:8080', '--set', 'team=ops', '--remove', 'zone'));
    expect(meta.json().instances[0].metadata).toEqual({ tier: 'web', team: 'ops' });
    expect((await instances('orders'))[0]).toMatchObject({ enabled: true, weight: 3.5, metadata: { tier: 'web', team: 'ops' } });
  }, T);

  it("shows Nacos' refusal: an ephemeral instance in a service of persistent ones (exit 1, nothing registered)", async () => {
    ok(await scoped('instances', 'register', 'billing', '10.40.1.1:80'));
    const r = await scoped('instances', 'register', 'billing', '10.40.1.2:80', '--ephemeral');
    expect(r.code).toBe(1);
    expect(oneLine(r)).toMatch(/refused to register 10\.40\.1\.2:80 in service billing .*persistent service, can't register ephemeral instance/);
    expect((await instances('billing')).map((i) => i.ip)).toEqual(['10.40.1.1']);
  }, T);

  it('an ephemeral instance: a --ttl is refused (Nacos sets its own, exit 2); without one it registers and takes heartbeats', async () => {
    const ttl = await scoped('instances', 'register', 'cart', '10.40.2.1:80', '--ephemeral', '--ttl', '20s');
    expect(ttl.code).toBe(2);
    expect(oneLine(ttl)).toContain('registry nacos (Nacos) takes no TTL for an instance');
    expect(ttl.stderr).toContain('--meta preserved.heart.beat.timeout=20000');
    expect(await instances('cart')).toEqual([]);

    const reg = ok(await scoped('instances', 'register', 'cart', '10.40.2.1:80', '--ephemeral'));
    expect(reg.json().instances[0]).toMatchObject({ ephemeral: true, health: 'passing' });
    const hb = ok(await scoped('instances', 'heartbeat', 'cart', '10.40.2.1:80')).json();
    expect(hb).toMatchObject({ backend: 'nacos', namespace: ns, group: G, service: 'cart' });
    // A persistent instance takes none.
    const persistent = await scoped('instances', 'heartbeat', 'orders', '10.40.0.1:8080');
    expect(persistent.code).toBe(1);
    expect(oneLine(persistent)).toContain('is persistent: Nacos checks persistent instances itself');
  }, T);

  it('deregister asks first (refused off a terminal without --yes, nothing removed), and removes with --yes', async () => {
    ok(await scoped('instances', 'register', 'gone', '10.40.3.1:80'));
    ok(await scoped('instances', 'register', 'gone', '10.40.3.2:80'));
    const asked = await scoped('instances', 'deregister', 'gone', '10.40.3.1:80');
    expect(asked.code).toBe(2);
    expect(oneLine(asked)).toContain('needs confirmation');
    expect(await instances('gone')).toHaveLength(2);
    ok(await scoped('instances', 'deregister', 'gone', '10.40.3.1:80', '--yes'));
    expect((await instances('gone')).map((i) => i.ip)).toEqual(['10.40.3.2']);
  }, T);

  it('namespaces list shows the namespace; unknown namespace, service and instance are exit 1 naming them', async () => {
    const nss = ok(await run('namespaces', 'list')).json().namespaces;
    expect(nss).toContainEqual({ backend: 'nacos', id: ns, name: ns, description: 'opsdeck test cli' });
    expect(nss).toContainEqual(expect.objectContaining({ id: 'public' }));

    const noNs = await run('services', 'show', 'orders', '--namespace', 'no-such-ns');
    expect(noNs.code).toBe(1);
    expect(oneLine(noNs)).toContain('namespace no-such-ns does not exist');
    const noSvc = await scoped('services', 'show', 'no-such-service');
    expect(noSvc.code).toBe(1);
    expect(oneLine(noSvc)).toContain('no-such-service');
    const noInst = await scoped('instances', 'drain', 'orders', '10.40.0.1:1');
    expect(noInst.code).toBe(1);
    expect(oneLine(noInst)).toContain('10.40.0.1:1');
  }, T);
});

describe(`opsdeck CLI on Nacos ${VERSION}: config`, () => {
  it('set and get: the type and md5; list with a word and with a * pattern (blur search)', async () => {
    const set = ok(await scoped('config', 'set', 'shop.yaml', '--value', 'a: 1\n'));
    expect(set.json()).toMatchObject({ backend: 'nacos', namespace: ns, group: G, dataId: 'shop.yaml', type: 'yaml', md5: md5('a: 1\n'), token: md5('a: 1\n') });
    expect(await content('shop.yaml')).toBe('a: 1\n');
    ok(await scoped('config', 'set', 'shop-db.properties', '--value', 'url=x'));
    ok(await scoped('config', 'set', 'page.xml', '--value', '<a/>'));
    const got = ok(await scoped('config', 'get', 'page.xml')).json();
    expect(got).toMatchObject({ content: '<a/>', type: 'xml', md5: md5('<a/>') });

    const word = ok(await run('config', 'list', '--namespace', ns, '--filter', 'shop')).json().configs;
    expect(word.map((c: { dataId: string }) => c.dataId).sort()).toEqual(['shop-db.properties', 'shop.yaml']);
    const pattern = ok(await run('config', 'list', '--namespace', ns, '--filter', '*.yaml')).json().configs;
    expect(pattern.map((c: { dataId: string }) => c.dataId)).toEqual(['shop.yaml']);
    expect(pattern[0]).toMatchObject({ backend: 'nacos', namespace: ns, group: G, type: 'yaml' });
  }, T);

  it('set --if-match: a stale token is refused (exit 1) and nothing is written; --if-md5 is its alias', async () => {
    const first = ok(await scoped('config', 'set', 'cas.yaml', '--value', 'v: 1')).json();
    const second = ok(await scoped('config', 'set', 'cas.yaml', '--value', 'v: 2', '--if-match', first.token)).json();
    expect(await content('cas.yaml')).toBe('v: 2');
    const stale = await scoped('config', 'set', 'cas.yaml', '--value', 'v: 3', '--if-match', first.token);
    expect(stale.code).toBe(1);
    expect(oneLine(stale)).toContain(`its md5 is now ${second.md5}`);
    expect(await content('cas.yaml')).toBe('v: 2');
    const staleMd5 = await scoped('config', 'set', 'cas.yaml', '--value', 'v: 3', '--if-md5', first.md5);
    expect(staleMd5.code).toBe(1);
    expect(await content('cas.yaml')).toBe('v: 2');
    ok(await scoped('config', 'set', 'cas.yaml', '--value', 'v: 4', '--if-md5', second.md5));
    expect(await content('cas.yaml')).toBe('v: 4');
  }, T);

  it('delete asks first; --yes deletes; a config that is not there is exit 1 naming it', async () => {
    ok(await scoped('config', 'set', 'bye.txt', '--value', 'bye'));
    const asked = await scoped('config', 'delete', 'bye.txt');
    expect(asked.code).toBe(2);
    expect(oneLine(asked)).toContain('needs confirmation');
    expect(await content('bye.txt')).toBe('bye');
    const del = ok(await scoped('config', 'delete', 'bye.txt', '--yes')).json();
    expect(del).toMatchObject({ backend: 'nacos', dataId: 'bye.txt', deleted: true, md5: md5('bye') });
    expect(await content('bye.txt')).toBeNull();
    for (const args of [['config', 'get', 'bye.txt'], ['config', 'delete', 'bye.txt', '--yes']]) {
      const r = await scoped(...args);
      expect(r.code).toBe(1);
      expect(oneLine(r)).toContain('bye.txt');
    }
  }, T);

  it('history (Nacos rows hold the content before an update), diff between entries and against a file, rollback', async () => {
    for (const v of ['h: 1\n', 'h: 2\n', 'h: 3\n']) ok(await scoped('config', 'set', 'hist.yaml', '--value', v));
    const h = ok(await scoped('config', 'history', 'hist.yaml')).json();
    expect(h).toMatchObject({ backend: 'nacos', namespace: ns, group: G, dataId: 'hist.yaml', complete: true, incomplete: null });
    expect(h.entries.map((e: { op: string; contentIs: string }) => [e.op, e.contentIs])).toEqual([
      ['update', 'before'],
      ['update', 'before'],
      ['create', 'after'],
    ]);
    const [newest, middle, created] = h.entries.map((e: { id: string }) => e.id);
    const table = await opsdeckAsync(box.env, ['--profile', 'n', 'config', 'history', 'hist.yaml', '--namespace', ns, '--group', G, '-o', 'table']);
    expect(table.stdout).toMatch(new RegExp(`${newest}\\s+update\\s+before the change`));

    // Entries mean "what the config held right after that change", whichever content Nacos keeps in the row.
    const diff = ok(await scoped('config', 'diff', 'hist.yaml', '--from', created, '--to', newest)).json();
    expect(diff).toMatchObject({ from: created, to: newest, identical: false });
    expect(diff.diff).toEqual(expect.arrayContaining(['-h: 1', '+h: 3']));
    const between = ok(await scoped('config', 'diff', 'hist.yaml', '--from', middle, '--to', newest)).json();
    expect(between.diff).toEqual(expect.arrayContaining(['-h: 2', '+h: 3']));
    const file = join(box.dir, 'hist.yaml');
    writeFileSync(file, 'h: 3\n');
    expect(ok(await scoped('config', 'diff', 'hist.yaml', '--file', file)).json()).toMatchObject({ from: 'current', file, identical: true });

    const back = ok(await scoped('config', 'rollback', 'hist.yaml', '--to', created, '--yes')).json();
    expect(back).toMatchObject({ restored: created, content: 'h: 1\n', md5: md5('h: 1\n') });
    expect(await content('hist.yaml')).toBe('h: 1\n');
    const noEntry = await scoped('config', 'diff', 'hist.yaml', '--from', '1', '--to', newest);
    expect(noEntry.code).toBe(1);
    expect(oneLine(noEntry)).toContain('has no history entry 1');
  }, T);

  it('listeners: the client listening, with the md5 it holds', async () => {
    const item = ok(await scoped('config', 'set', 'listened.yaml', '--value', 'l: 1')).json();
    const stop = new AbortController();
    // A client's long poll, as the Nacos SDKs make it, holding the current md5 (one holding another
    // md5 is answered at once, so it is not held as a listener).
    const form = new URLSearchParams({ 'Listening-Configs': `listened.yaml\x02${G}\x02${item.md5}\x02${ns}\x01` });
    // Polled again whenever the server answers, as the SDKs do: Nacos updates its md5 cache a
    // moment after a publish, and until then it answers a poll holding the new md5 at once.
    const poll = (async () => {
      while (!stop.signal.aborted) {
        await fetch(`${s.url}/v1/cs/configs/listener`, { method: 'POST', headers: { accessToken: token, 'Long-Pulling-Timeout': '30000' }, body: form, signal: stop.signal }).then((r) => r.text()).catch(() => null);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const listeners = await until('the listener', async () => ok(await scoped('config', 'listeners', 'listened.yaml')).json(), (d) => d.listeners.length > 0, 30_000);
      expect(listeners).toMatchObject({ dataId: 'listened.yaml', md5: item.md5 });
      expect(listeners.listeners).toEqual([{ ip: '127.0.0.1', md5: item.md5 }]);
    } finally {
      stop.abort();
      await poll;
    }
  }, T);

  it('beta publish to listed clients, read it, stop it; the released content stays', async () => {
    ok(await scoped('config', 'set', 'gray.yaml', '--value', 'g: 1'));
    const beta = ok(await scoped('config', 'set', 'gray.yaml', '--value', 'g: beta', '--beta-ips', '10.9.9.9,10.9.9.8')).json();
    expect(beta).toMatchObject({ dataId: 'gray.yaml', beta: { ips: ['10.9.9.9', '10.9.9.8'], content: 'g: beta' } });
    expect(await content('gray.yaml')).toBe('g: 1');
    expect(ok(await scoped('config', 'beta', 'gray.yaml')).json().beta).toEqual({ content: 'g: beta', ips: ['10.9.9.9', '10.9.9.8'] });
    ok(await scoped('config', 'beta-stop', 'gray.yaml', '--yes'));
    expect(ok(await scoped('config', 'beta', 'gray.yaml')).json().beta).toBeNull();
    expect(await content('gray.yaml')).toBe('g: 1');
  }, T);
});

describe(`opsdeck CLI on Nacos ${VERSION}: profiles`, () => {
  it('a read-only profile refuses writes (exit 1) and Nacos is untouched; reads work', async () => {
    ok(await scoped('config', 'set', 'ro.yaml', '--value', 'r: 1'));
    ok(await scoped('instances', 'register', 'ro-svc', '10.40.9.1:80'));
    const ro = (...args: string[]) => opsdeckAsync(box.env, ['--profile', 'ro', ...args, '--namespace', ns, '--group', G, '-o', 'json']);
    expect(ok(await ro('config', 'get', 'ro.yaml')).json().content).toBe('r: 1');
    for (const args of [['config', 'set', 'ro.yaml', '--value', 'r: 2'], ['config', 'delete', 'ro.yaml', '--yes'], ['instances', 'drain', 'ro-svc', '10.40.9.1:80']]) {
      const r = await ro(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(oneLine(r)).toMatch(/read-only/);
    }
    expect(await content('ro.yaml')).toBe('r: 1');
    expect((await instances('ro-svc'))[0]!.enabled).toBe(true);
  }, T);

  it('a refused login exits 3 naming the server and the user, never the password', async () => {
    const r = await opsdeckAsync(box.env, ['--profile', 'wrong', 'services', 'list', '-o', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`Nacos at ${s.url} refused the login of user ${s.username}`);
    expect(`${r.stdout}${r.stderr}`).not.toContain('Wr0ng-pw-not-shown');
  }, T);
});
