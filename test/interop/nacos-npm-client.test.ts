import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NacosConfigClient, NacosNamingClient } from 'nacos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import type { NacosEndpoint, NacosVersion } from '../servers/nacos-server.js';
import { nacosNamespace, nacosToken, sharedNacos } from '../servers/nacos-shared.js';

/**
 * The npm `nacos` SDK (2.6.3, pinned) as a second real client, in this test's own process: it
 * registers an instance and publishes a config, and opsdeck (the binary) must see both; opsdeck
 * publishes with compare-and-set, and the SDK's config subscription must get the new content.
 *
 * The SDK speaks only the v1 HTTP API (no gRPC). For auth that means it never logs in: it sends
 * `username` and `password` as parameters of every request, and the naming client puts them in the
 * query string, so the password lands in the URL of every call (server access logs, proxies). It
 * works on 2.x and on 3.0.3, whose v1 client APIs still take those parameters. opsdeck logs in
 * once and sends only the token (docs/nacos.md, Auth).
 */

const VERSIONS: NacosVersion[] = ['2.5.1', '3.0.3'];

beforeAll(() => {
  for (const v of VERSIONS) sharedNacos(v).catch(() => {});
});

/** The SDK logs every request; keep its warnings and errors for the failure messages only. */
function quietLogger(sink: string[]) {
  const keep = (level: string) => (...args: unknown[]) => void sink.push(`${level} ${args.map(String).join(' ')}`.slice(0, 500));
  const drop = () => {};
  return { debug: drop, info: drop, log: drop, warn: keep('warn'), error: keep('error') };
}

describe.each(VERSIONS)('Nacos %s with the npm nacos SDK 2.6.3', (version) => {
  let s: NacosEndpoint;
  let ns: string;
  let box: ReturnType<typeof sandbox>;
  let naming: InstanceType<typeof NacosNamingClient>;
  let config: InstanceType<typeof NacosConfigClient>;
  let cacheDir: string;
  const logs: string[] = [];
  const GROUP = 'NPM';
  const SERVICE = 'storefront';
  const DATA_ID = 'storefront.json';

  beforeAll(async () => {
    s = await sharedNacos(version);
    ns = await nacosNamespace(s, await nacosToken(s), 'npm-client');
    box = sandbox();
    box.env.NACOS_TEST_PASSWORD = s.password;
    const entry = `{type: nacos, url: "${s.url}", username: "${s.username}", password: "\${NACOS_TEST_PASSWORD}"}`;
    writeProfileFile(box.env, `profiles:\n  n:\n    registry: ${entry}\n    config: ${entry}\n`);
    const serverAddr = `127.0.0.1:${s.port}`;
    const auth = { namespace: ns, username: s.username, password: s.password };
    naming = new NacosNamingClient({ logger: quietLogger(logs), serverList: serverAddr, ...auth } as any);
    await naming.ready();
    // Its snapshot cache defaults to ~/.node-diamond-client-cache: one of this test's own.
    cacheDir = mkdtempSync(join(tmpdir(), 'opsdeck-nacos-npm-'));
    config = new NacosConfigClient({ serverAddr, cacheDir, ...auth } as any);
    await config.ready();
  }, 25 * 60_000);

  afterAll(async () => {
    config?.close();
    // sdk-base's close() (it stops the beats), missing from the SDK's typings.
    await (naming as unknown as { close?(): Promise<void> } | undefined)?.close?.();
    box?.cleanup();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => opsdeckAsync(box.env, ['--profile', 'n', ...args, '--namespace', ns, '--group', GROUP, '-o', 'json']);

  async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (ok(v)) return v;
      if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms} ms; SDK log:\n${logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it('opsdeck lists the ephemeral instance the SDK registered, with its metadata', async () => {
    await naming.registerInstance(SERVICE, { ip: '127.0.0.2', port: 19090, metadata: { runtime: 'node', tier: 'web' } } as any, GROUP);
    const show = await until('the SDK instance in services show', () => run('services', 'show', SERVICE), (r) => r.code === 0 && r.json().instances.length === 1);
    expect(show.json().instances[0]).toMatchObject({ ip: '127.0.0.2', port: 19090, health: 'passing', traffic: 'enabled', ephemeral: true, metadata: { runtime: 'node', tier: 'web' } });
    // Its own view of the service (the v1 client list) agrees.
    const hosts = await naming.getAllInstances(SERVICE, GROUP, '', false);
    expect(hosts.map((h: any) => `${h.ip}:${h.port}`)).toEqual(['127.0.0.2:19090']);
  });

  it('opsdeck reads the config the SDK published, and a CAS publish through opsdeck reaches the SDK subscription', async () => {
    expect(await config.publishSingle(DATA_ID, GROUP, '{"banner":"spring sale"}')).toBe(true);
    const got = await until('the published config through opsdeck', () => run('config', 'get', DATA_ID), (r) => r.code === 0);
    expect(got.json()).toMatchObject({ dataId: DATA_ID, content: '{"banner":"spring sale"}' });
    const md5 = got.json().md5;

    const seen: string[] = [];
    config.subscribe({ dataId: DATA_ID, group: GROUP }, (content: string) => void seen.push(content));
    // The first callback delivers the current content; then the subscription long-polls.
    await until('the first subscription callback', async () => [...seen], (l) => l.includes('{"banner":"spring sale"}'));

    const set = await run('config', 'set', DATA_ID, '--value', '{"banner":"summer sale"}', '--if-match', md5, '--yes');
    expect(set.code, set.stderr).toBe(0);
    await until('the SDK callback with the new content', async () => [...seen], (l) => l.at(-1) === '{"banner":"summer sale"}');
    expect(await config.getConfig(DATA_ID, GROUP)).toBe('{"banner":"summer sale"}');

    // A stale md5 (the one the SDK's content had before) is refused: nothing new reaches the SDK.
    const count = seen.length;
    const stale = await run('config', 'set', DATA_ID, '--value', '{"banner":"oops"}', '--if-match', md5, '--yes');
    expect(stale.code).toBe(1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(seen).toHaveLength(count);
    expect(await config.getConfig(DATA_ID, GROUP)).toBe('{"banner":"summer sale"}');
  });
});
