import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { expectOneLineError } from '../helpers/one-line-error.js';
import { startHostile, type HostileServer } from '../servers/hostile-http.js';
import { startIstioFake, type IstioFake, type IstioFakeOptions, type IstioVersion } from '../servers/istio-fake.js';

/*
 * The Istio backend through the built binary, against the Istio FAKE (test/servers/istio-fake.ts)
 * serving each version's fixtures: no istiod or Kubernetes API server can run on this machine. The
 * fake runs in this process, so the binary runs asynchronously. Both read paths, the read-only
 * refusal of every mutating command, and hostile answers from a misbehaving server
 * (test/servers/hostile-http.ts) in istiod's or the API server's place.
 */

let box: ReturnType<typeof sandbox>;
let fake: IstioFake | undefined;
const run = (...args: string[]) => opsdeckAsync(box.env, ['--profile', 'mesh', ...args]);

function profile(entry: string): void {
  writeProfileFile(box.env, `profiles:\n  mesh:\n    registry: ${entry}\n`);
}

async function start(o: IstioFakeOptions): Promise<IstioFake> {
  fake = await startIstioFake(o);
  return fake;
}

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
  box?.cleanup();
});

describe.each(['1.10', '1.14', '1.24'] as IstioVersion[])("istiod's debug endpoints, Istio %s", (version) => {
  it('services list and show -o json', async () => {
    box = sandbox();
    const f = await start({ version });
    profile(`{ type: istio, url: "${f.debugUrl}", namespace: shop }`);
    const list = await run('services', 'list', '-o', 'json');
    expect(list.code, list.stderr).toBe(0);
    const [reviews, ratings] = version === '1.24' ? [[3, 2], [2, 2]] : [[2, 2], [1, 1]];
    expect(list.json().services).toEqual([
      { backend: 'istio', namespace: 'shop', name: 'payments.external.example.com', instances: 0, healthy: 0, disabled: 0 },
      { backend: 'istio', namespace: 'shop', name: 'ratings', instances: ratings![0], healthy: ratings![1], disabled: 0 },
      { backend: 'istio', namespace: 'shop', name: 'reviews', instances: reviews![0], healthy: reviews![1], disabled: 0 },
    ]);
    // The stale proxies are a warning of the listing: in its JSON and on stderr.
    expect(list.json().backends[0].warnings).toEqual([expect.stringContaining('reviews-v2-5b8d7c9f4-m7q2z.shop (listener')]);
    expect(list.stderr).toContain('have not acknowledged its last push');

    const show = await run('services', 'show', 'reviews', '-o', 'json');
    expect(show.code, show.stderr).toBe(0);
    const d = show.json();
    expect(d).toMatchObject({ backend: 'istio', namespace: 'shop', name: 'reviews' });
    expect(d.instances[0]).toMatchObject({
      id: '10.244.1.12:9080', ip: '10.244.1.12', port: 9080, health: 'passing', traffic: 'enabled', status: version === '1.10' ? null : 'HEALTHY',
      weight: null, ephemeral: null, cluster: 'Kubernetes', metadata: { app: 'reviews', version: 'v1', 'istio.workload': 'reviews-v1' }, healthy: true, enabled: true,
    });
    expect(d.warnings).toEqual([expect.stringContaining('reviews-v2-5b8d7c9f4-m7q2z.shop')]);
  });
});

describe('the Kubernetes API path', () => {
  it('services list and show -o json, the token read from ${file:}, and a table with the slice conditions', async () => {
    box = sandbox();
    const f = await start({ version: '1.24', kubeTokens: { 'sa-token': ['shop'] } });
    const tokenFile = join(box.dir, 'token');
    writeFileSync(tokenFile, 'sa-token\n');
    profile(`{ type: istio, kubeUrl: "${f.kubeUrl}", token: "\${file:${tokenFile}}", namespace: shop }`);
    const list = await run('services', 'list', '-o', 'json');
    expect(list.code, list.stderr).toBe(0);
    expect(list.json().services.map((s: any) => [s.name, s.instances, s.healthy, s.disabled])).toEqual([
      ['payments.external.example.com', 0, 0, 0],
      ['ratings', 2, 2, 0],
      ['reviews', 3, 2, 1],
    ]);
    const show = await run('services', 'show', 'reviews', '-o', 'json');
    expect(show.json().instances.map((i: any) => [i.id, i.status, i.traffic])).toEqual([
      ['10.244.1.12:9080', 'ready', 'enabled'],
      ['10.244.2.17:9080', 'ready', 'enabled'],
      ['10.244.1.19:9080', 'terminating, serving', 'disabled'],
    ]);
    const table = await run('services', 'show', 'reviews', '-o', 'table');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/10\.244\.1\.19:9080.*warning.*terminating, serving/);
    // The token never reaches the output.
    expect(list.stdout + list.stderr + show.stdout + table.stdout).not.toContain('sa-token');
    const profileShow = await run('profile', 'show', 'mesh', '-o', 'json');
    expect(profileShow.stdout).not.toContain('sa-token');
  });

  it('a namespace the token may not list is exit 3 with the API server\'s words and the RBAC hint', async () => {
    box = sandbox();
    const f = await start({ version: '1.24', kubeTokens: { 'sa-token': ['shop'] } });
    box.env.KUBE_TOKEN = 'sa-token';
    profile(`{ type: istio, kubeUrl: "${f.kubeUrl}", token: "\${KUBE_TOKEN}", namespace: shop }`);
    const r = await run('services', 'show', 'reviews', '--namespace', 'payments');
    expect(r.code).toBe(3);
    expectOneLineError(r, /refused \/api\/v1\/namespaces\/payments\/services \(HTTP 403: services is forbidden: User .* cannot list resource "services" .*\).*RBAC/);
  });

  it('a bad token is exit 3 saying the token was not accepted', async () => {
    box = sandbox();
    const f = await start({ version: '1.24', kubeTokens: { 'sa-token': ['shop'] } });
    box.env.KUBE_TOKEN = 'expired-token';
    profile(`{ type: istio, kubeUrl: "${f.kubeUrl}", token: "\${KUBE_TOKEN}", namespace: shop }`);
    const r = await run('services', 'list');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("did not accept the profile's token");
    expect(r.stderr).not.toContain('expired-token');
  });
});

describe('read-only: every mutating command refuses, naming the backend, before asking it anything', () => {
  const refusals: Array<[string, string[]]> = [
    ['drain instances', ['instances', 'drain', 'reviews', '10.244.1.12:9080']],
    ['undrain instances', ['instances', 'undrain', 'reviews', '10.244.1.12:9080']],
    ['set weights', ['instances', 'weight', 'reviews', '10.244.1.12:9080', '2']],
    ['edit metadata', ['instances', 'meta', 'reviews', '10.244.1.12:9080', '--set', 'zone=x']],
    ['register instances', ['instances', 'register', 'reviews', '10.9.9.9:9080']],
    ['deregister instances', ['instances', 'deregister', 'reviews', '10.244.1.12:9080', '--yes']],
    ['renew heartbeats', ['instances', 'heartbeat', 'reviews', '10.244.1.12:9080']],
  ];
  it.each(refusals)('%s', async (what, args) => {
    box = sandbox();
    const f = await start({ version: '1.24' });
    profile(`{ type: istio, url: "${f.debugUrl}", namespace: shop }`);
    const r = await run(...args);
    expect(r.code).toBe(2);
    expectOneLineError(r, new RegExp(`^opsdeck: backend istio is read-only and cannot ${what}: Istio's registry is fed by Kubernetes .* not by clients`));
    expect(r.stdout).toBe('');
    expect(f.requests).toEqual([]);
  });
});

describe('hostile answers in istiod\'s place: exit 3, one line naming the server', () => {
  let hostile: HostileServer;
  beforeAll(async () => {
    hostile = await startHostile();
  });
  afterAll(() => hostile?.stop());

  it("an HTML page (a proxy's login or error page)", async () => {
    box = sandbox();
    hostile.answer = () => ({ kind: 'body', status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html><body>Sign in</body></html>' });
    profile(`{ type: istio, url: "${hostile.url}" }`);
    const r = await run('services', 'list');
    expect(r.code).toBe(3);
    expectOneLineError(r, new RegExp(`istiod at ${hostile.url} answered HTTP 200 with an HTML page: <!DOCTYPE html>`));
  });

  it('a body bigger than maxResponseBytes is cut, not buffered', async () => {
    box = sandbox();
    hostile.answer = () => ({ kind: 'flood', chunkBytes: 64 * 1024, everyMs: 1 });
    profile(`{ type: istio, url: "${hostile.url}", maxResponseBytes: 1048576 }`);
    const r = await run('services', 'list');
    expect(r.code).toBe(3);
    expectOneLineError(r, new RegExp(`istiod at ${hostile.url} sent more than 1 MiB for one answer`));
  });

  it('silence ends at timeoutMs', async () => {
    box = sandbox();
    hostile.answer = () => ({ kind: 'silent' });
    profile(`{ type: istio, url: "${hostile.url}", timeoutMs: 500 }`);
    const r = await run('services', 'show', 'reviews');
    expect(r.code).toBe(3);
    expectOneLineError(r, new RegExp(`istiod at ${hostile.url} did not finish answering /debug/\\w+ within 500 ms`));
  });

  it('JSON of the wrong shape names the field', async () => {
    box = sandbox();
    hostile.answer = (req) => ({ kind: 'body', body: req.url.startsWith('/debug/registryz') ? JSON.stringify([{ Attributes: { Name: 'x', Namespace: 'shop' }, hostname: 7 }]) : '[]' });
    profile(`{ type: istio, url: "${hostile.url}" }`);
    const r = await run('services', 'list');
    expect(r.code).toBe(3);
    expectOneLineError(r, /\(\/debug\/registryz\) sent an answer of the wrong shape: \[0\]\.hostname is the number 7, expected a string/);
  });

  it("in the Kubernetes API's place, a dashboard's HTML is exit 3 naming the Kubernetes API", async () => {
    box = sandbox();
    hostile.answer = () => ({ kind: 'body', status: 200, contentType: 'text/html; charset=utf-8', body: '<html><head><title>Kubernetes Dashboard</title></head></html>' });
    profile(`{ type: istio, kubeUrl: "${hostile.url}", token: t0k3n }`);
    const r = await run('services', 'show', 'reviews');
    expect(r.code).toBe(3);
    expectOneLineError(r, new RegExp(`Kubernetes API at ${hostile.url} answered HTTP 200 with an HTML page: <html><head><title>Kubernetes Dashboard`));
    // The token went as a bearer, and only there.
    expect(hostile.seen.at(-1)!.headers.authorization).toBe('Bearer t0k3n');
    expect(r.stderr).not.toContain('t0k3n');
  });

  it('a remote istiod without a token: 401 with the port-forward hint', async () => {
    box = sandbox();
    const f = await start({ version: '1.24', remote: true, debugTokens: {} });
    profile(`{ type: istio, url: "${f.debugUrl}" }`);
    const r = await run('services', 'list');
    expect(r.code).toBe(3);
    expectOneLineError(r, /wants a bearer token for \/debug\/registryz \(HTTP 401\).*kubectl port-forward -n istio-system deploy\/istiod 15014/);
  });
});
