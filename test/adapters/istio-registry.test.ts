import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type IstioAdapter } from '../../src/adapters/istio/index.js';
import { levelOf, type LoadedView, type Plan } from '../../src/frontends/tui/pane-levels.js';
import { exitCodeOf, OpsError } from '../../src/core/errors.js';
import { Session } from '../../src/session/session.js';
import { readFileSync } from 'node:fs';
import { startHostile } from '../servers/hostile-http.js';
import { startIstioFake, type IstioFake, type IstioFakeOptions, type IstioVersion } from '../servers/istio-fake.js';
import { consoleReads } from '../../src/frontends/console-reads.js';

/*
 * The Istio adapter against the Istio FAKE (test/servers/istio-fake.ts), which serves fixtures
 * built from istiod's and Kubernetes' sources per version (test/fixtures/istio/README.md): no
 * istiod or API server can run here. Both read paths, each version's shape, health by version,
 * stale proxies, and each server's refusals.
 */

let fake: IstioFake | undefined;
const open: IstioAdapter[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.dispose()));
  await fake?.stop();
  fake = undefined;
});

async function start(o: IstioFakeOptions): Promise<IstioFake> {
  fake = await startIstioFake(o);
  return fake;
}

async function adapter(options: Record<string, unknown>): Promise<IstioAdapter> {
  const a = await connect(options, { dataDir: '/nonexistent', version: 'test', name: 'mesh' });
  open.push(a);
  return a;
}

async function failure(p: Promise<unknown>): Promise<OpsError> {
  const e = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(OpsError);
  return e as OpsError;
}

const shop = { namespace: 'shop' };

describe.each(['1.10', '1.14', '1.24'] as IstioVersion[])("istiod's debug endpoints, Istio %s", (version) => {
  it('lists every service with its endpoint counts (the trailing {} of 1.10 dropped), and warns of stale proxies', async () => {
    const f = await start({ version });
    const a = await adapter({ url: f.debugUrl });
    const warnings: string[] = [];
    const rows = await a.registry.listServices({ scope: {} }, { onWarning: (w) => warnings.push(w) });
    // 1.24 keeps reviews-v3 (terminating) as an unhealthy endpoint and lists the VM of WorkloadEntry legacy-vm-1.
    const healthy = version === '1.24' ? { reviews: [3, 2], ratings: [2, 2] } : { reviews: [2, 2], ratings: [1, 1] };
    expect(rows).toEqual([
      { backend: 'mesh', namespace: 'shop', name: 'payments.external.example.com', instances: 0, healthy: 0, disabled: 0 },
      { backend: 'mesh', namespace: 'shop', name: 'ratings', instances: healthy.ratings[0], healthy: healthy.ratings[1], disabled: 0 },
      { backend: 'mesh', namespace: 'shop', name: 'reviews', instances: healthy.reviews[0], healthy: healthy.reviews[1], disabled: 0 },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\d of \d proxies connected to istiod have not acknowledged its last push/);
    expect(warnings[0]).toContain('reviews-v2-5b8d7c9f4-m7q2z.shop (listener');
  });

  it('shows one service: addresses, health read by version, labels, cluster, and its stale sidecar', async () => {
    const f = await start({ version });
    const a = await adapter({ url: f.debugUrl, namespace: 'shop' });
    const d = await a.registry.getService({ scope: shop, name: 'reviews' });
    expect(d).toMatchObject({ backend: 'mesh', namespace: 'shop', name: 'reviews' });
    const rows = d.instances.map((i) => [i.id, i.health, i.status, i.traffic, i.cluster, i.metadata.version, i.metadata['istio.workload']]);
    const status = version === '1.10' ? null : 'HEALTHY';
    expect(rows.slice(0, 2)).toEqual([
      ['10.244.1.12:9080', 'passing', status, 'enabled', 'Kubernetes', 'v1', 'reviews-v1'],
      ['10.244.2.17:9080', 'passing', status, 'enabled', 'Kubernetes', 'v2', 'reviews-v2'],
    ]);
    if (version === '1.24') expect(rows[2]).toEqual(['10.244.1.19:9080', 'critical', 'UNHEALTHY', 'enabled', 'Kubernetes', 'v3', 'reviews-v3']);
    else expect(rows).toHaveLength(2);
    expect(d.instances[0]!.metadata['istio.serviceAccount']).toBe('spiffe://cluster.local/ns/shop/sa/bookinfo-reviews');
    // DestinationRule reviews (from /debug/configz) puts each version in its subset.
    expect(d.instances.map((i) => i.metadata['istio.subset'])).toEqual(version === '1.24' ? ['v1', 'v2', 'v3'] : ['v1', 'v2']);
    expect(d.warnings!.join('\n')).toContain('the sidecar of one instance has not acknowledged');
    expect(d.warnings!.join('\n')).toContain('reviews-v2-5b8d7c9f4-m7q2z.shop (listener');
    expect(d.warnings!.join('\n')).not.toContain('reviews-v1-7d9f8c6b5');
    // The hostname names the service too.
    expect((await a.registry.getService({ scope: shop, name: 'reviews.shop.svc.cluster.local' })).name).toBe('reviews');
  });

  it('a ServiceEntry host resolved by DNS says why it lists no endpoints; an unknown service is not-found', async () => {
    const f = await start({ version });
    const a = await adapter({ url: f.debugUrl });
    const d = await a.registry.getService({ scope: shop, name: 'payments.external.example.com' });
    expect(d.instances).toEqual([]);
    expect(d.warnings!.join('\n')).toContain('is resolved by DNS');
    const e = await failure(a.registry.getService({ scope: shop, name: 'nope' }));
    expect([e.kind, e.message]).toEqual(['not-found', `service nope is not in istiod's registry (namespace shop) at istiod at ${f.debugUrl}`]);
    expect((await failure(a.registry.getService({ scope: { namespace: 'other' }, name: 'reviews' }))).kind).toBe('not-found');
  });

  it('has no write capability and says it is read-only', async () => {
    const f = await start({ version });
    const r = (await adapter({ url: f.debugUrl })).registry;
    for (const m of ['register', 'deregister', 'heartbeat', 'setTraffic', 'setWeight', 'updateMetadata'] as const) expect(r[m]).toBeUndefined();
    expect(r.readOnly).toContain('not by clients');
    expect(await r.listScope!('namespace')).toEqual([{ id: 'shop', name: 'shop', description: null }]);
  });
});

describe('istiod access', () => {
  const debugTokens = { 'sa-istio-system': { namespace: 'istio-system', serviceAccount: 'opsdeck' }, 'sa-shop': { namespace: 'shop', serviceAccount: 'opsdeck' } };

  it('without a token a remote caller is refused (401, exit 3) with the port-forward and token hint', async () => {
    const f = await start({ version: '1.24', remote: true, debugTokens });
    const e = await failure((await adapter({ url: f.debugUrl })).registry.listServices({ scope: {} }));
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['unauthorized', 3]);
    expect(e.message).toBe(`istiod at ${f.debugUrl} wants a bearer token for /debug/registryz (HTTP 401): it answers callers that are not on its own host only with one`);
    expect(e.hint).toContain('kubectl port-forward -n istio-system deploy/istiod 15014');
    const bad = await failure((await adapter({ url: f.debugUrl, debugToken: 'forged' })).registry.listServices({ scope: {} }));
    expect(bad.message).toContain("did not accept the profile's debugToken");
  });

  it("a token from outside istio-system meets namespace authorization (403) and is told so; istio-system's passes, sent as a bearer", async () => {
    const f = await start({ version: '1.24', remote: true, namespaceAuth: true, debugTokens });
    const e = await failure((await adapter({ url: f.debugUrl, debugToken: 'sa-shop' })).registry.getService({ scope: shop, name: 'reviews' }));
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['unauthorized', 3]);
    expect(e.message).toContain('HTTP 403');
    expect(e.hint).toContain('a service account in istio-system');
    const ok = await adapter({ url: f.debugUrl, debugToken: 'sa-istio-system' });
    expect((await ok.registry.getService({ scope: shop, name: 'reviews' })).instances).toHaveLength(3);
    expect(f.requests.at(-1)!.authorization).toBe('Bearer sa-istio-system');
  });

  it('1.24 syncz is asked for the namespace of the service shown', async () => {
    const f = await start({ version: '1.24' });
    await (await adapter({ url: f.debugUrl })).registry.getService({ scope: shop, name: 'ratings' });
    expect(f.requests.find((r) => r.path === '/debug/syncz')!.query).toEqual({ namespace: 'shop' });
  });

  it('ratings on 1.24: the WorkloadEntry VM is an endpoint, and its sidecar never acknowledged endpoints', async () => {
    const f = await start({ version: '1.24' });
    const d = await (await adapter({ url: f.debugUrl })).registry.getService({ scope: shop, name: 'ratings' });
    expect(d.instances.map((i) => [i.id, i.metadata['istio.workload']])).toEqual([
      ['10.244.2.21:9080', 'ratings-v1'],
      ['10.10.0.5:9080', 'legacy-vm-1'],
    ]);
    expect(d.warnings!.join('\n')).toContain('ratings-v1-6c9b5f7d8-h4n6k.shop (endpoint never acknowledged)');
  });
});

describe('the Kubernetes API path', () => {
  const kubeTokens = { 'kube-shop': ['shop'], 'kube-admin': '*' as const };

  it.each(['1.14', '1.24'] as IstioVersion[])('Istio %s: Services with EndpointSlice conditions, the WorkloadEntry its selector picks, and the ServiceEntry host', async (version) => {
    const f = await start({ version, kubeTokens });
    const a = await adapter({ kubeUrl: f.kubeUrl, token: 'kube-shop', namespace: 'shop' });
    const warnings: string[] = [];
    expect(await a.registry.listServices({ scope: {} }, { onWarning: (w) => warnings.push(w) })).toEqual([
      { backend: 'mesh', namespace: 'shop', name: 'payments.external.example.com', instances: 0, healthy: 0, disabled: 0 },
      { backend: 'mesh', namespace: 'shop', name: 'ratings', instances: 2, healthy: 2, disabled: 0 },
      { backend: 'mesh', namespace: 'shop', name: 'reviews', instances: 3, healthy: 2, disabled: 1 },
    ]);
    expect(warnings).toEqual([]);
    const d = await a.registry.getService({ scope: shop, name: 'reviews' });
    expect(d.instances.map((i) => [i.id, i.health, i.traffic, i.status, i.metadata.pod, i.metadata.zone])).toEqual([
      ['10.244.1.12:9080', 'passing', 'enabled', 'ready', 'reviews-v1-7d9f8c6b5-x2k4p', 'us-east1-b'],
      ['10.244.2.17:9080', 'passing', 'enabled', 'ready', 'reviews-v2-5b8d7c9f4-m7q2z', 'us-east1-c'],
      ['10.244.1.19:9080', 'warning', 'disabled', 'terminating, serving', 'reviews-v3-84c6d9b7f-t5v8n', 'us-east1-b'],
    ]);
    const slices = f.requests.filter((r) => r.path.endsWith('/endpointslices'));
    expect(slices.at(-1)!.query).toEqual({ labelSelector: 'kubernetes.io/service-name=reviews' });
    // 1.14 has no networking.istio.io/v1: v1beta1 is asked after its 404, and remembered.
    const istioPaths = f.requests.filter((r) => r.path.includes('networking.istio.io')).map((r) => r.path.split('/')[3]);
    expect(new Set(istioPaths)).toEqual(new Set(version === '1.24' ? ['v1'] : ['v1', 'v1beta1']));
    const ratings = await a.registry.getService({ scope: shop, name: 'ratings' });
    expect(ratings.instances.map((i) => [i.id, i.metadata.workloadEntry ?? i.metadata.pod])).toEqual([
      ['10.244.2.21:9080', 'ratings-v1-6c9b5f7d8-h4n6k'],
      ['10.10.0.5:9080', 'legacy-vm-1'],
    ]);
    expect(f.requests.every((r) => r.authorization === 'Bearer kube-shop')).toBe(true);
  });

  it('with istiod too, the stale sidecars are named by their exact pods', async () => {
    const f = await start({ version: '1.24', kubeTokens });
    const a = await adapter({ kubeUrl: f.kubeUrl, token: 'kube-admin', url: f.debugUrl, namespace: 'shop' });
    const d = await a.registry.getService({ scope: shop, name: 'reviews' });
    expect(d.warnings).toEqual([expect.stringContaining('reviews-v2-5b8d7c9f4-m7q2z.shop (listener)')]);
    // istiod's own debug port gets no Kubernetes token.
    expect(f.requests.filter((r) => r.server === 'debug').every((r) => r.authorization === undefined)).toBe(true);
  });

  it("RBAC that allows Services and EndpointSlices but not Istio's kinds: the Kubernetes services show, with a warning naming what is missing", async () => {
    const fixture = (f: string) => readFileSync(join(__dirname, '../fixtures/istio/kube', f), 'utf8');
    const forbidden = (plural: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${plural}.networking.istio.io is forbidden: User "system:serviceaccount:ops:opsdeck" cannot list resource "${plural}" in API group "networking.istio.io" in the namespace "shop"`, reason: 'Forbidden', code: 403 });
    const api = await startHostile((req) => {
      if (req.url.startsWith('/api/v1/namespaces/shop/services')) return { kind: 'body', body: fixture('services-shop.json') };
      if (req.url.startsWith('/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices')) return { kind: 'body', body: fixture('endpointslices-shop.json') };
      const plural = /networking\.istio\.io\/v1\/namespaces\/shop\/(\w+)/.exec(req.url)?.[1] ?? 'x';
      return { kind: 'body', status: 403, body: forbidden(plural) };
    });
    try {
      const a = await adapter({ kubeUrl: api.url, token: 't', namespace: 'shop' });
      const warnings: string[] = [];
      const rows = await a.registry.listServices({ scope: {} }, { onWarning: (w) => warnings.push(w) });
      // Without WorkloadEntries, ratings has its pod alone; without ServiceEntries, no payments host.
      expect(rows.map((r) => [r.name, r.instances])).toEqual([['ratings', 1], ['reviews', 3]]);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/^serviceentries of namespace shop are not shown: Kubernetes API at .* refused .* \(HTTP 403: serviceentries\.networking\.istio\.io is forbidden: .*\); give the token's Role get and list on networking\.istio\.io serviceentries to see them$/);
      expect(warnings[1]).toContain('workloadentries of namespace shop are not shown');
    } finally {
      await api.stop();
    }
  });

  it('a bad token is 401 (exit 3) with the token hint; RBAC refusing a namespace is 403 quoting the API server', async () => {
    const f = await start({ version: '1.24', kubeTokens });
    const bad = await failure((await adapter({ kubeUrl: f.kubeUrl, token: 'expired' })).registry.listServices({ scope: shop }));
    expect([bad.kind, exitCodeOf(bad.kind)]).toEqual(['unauthorized', 3]);
    expect(bad.message).toMatch(/^Kubernetes API at http:\/\/127\.0\.0\.1:\d+ did not accept the profile's token for \/api\/v1\/namespaces\/shop\/services \(HTTP 401: Unauthorized\)$/);
    expect(bad.hint).toContain('kubectl create token');
    const denied = await failure((await adapter({ kubeUrl: f.kubeUrl, token: 'kube-shop' })).registry.getService({ scope: { namespace: 'payments' }, name: 'x' }));
    expect(denied.kind).toBe('unauthorized');
    expect(denied.message).toContain('cannot list resource');
    expect(denied.hint).toContain('RBAC');
  });
});

describe("the console's panes", () => {
  const loaded = (v: LoadedView) => (Array.isArray(v) ? { rows: v, columns: [] as string[], warnings: undefined } : v);

  it('list the services and their instances with the stale-proxy warning, and hide drain, undrain and deregister', async () => {
    const f = await start({ version: '1.24' });
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-istio-'));
    const session = new Session({ name: 'mesh', readOnly: false, production: false, registry: [{ type: 'istio', url: f.debugUrl, namespace: 'shop' }], config: [], locks: [], source: 'test' }, join(dir, 'data'), 'test');
    try {
      const top = levelOf('services', { level: 'top' });
      const list = loaded(await top.load(consoleReads(session), Date.now()));
      const row = list.rows.find((r) => r.cells.includes('reviews'))!;
      expect(row.cells).toEqual(['shop', 'reviews', '3', '2/3', '0']);
      const drill = top.enter!(row) as Extract<Plan, { kind: 'drill' }>;
      const level = levelOf('services', { level: drill.level });
      const inst = loaded(await level.load(consoleReads(session), Date.now()));
      expect(inst.columns).toEqual(['INSTANCE', 'HEALTH', 'TRAFFIC', 'STATUS', 'CLUSTER', 'EPHEMERAL', 'METADATA']);
      expect(inst.rows.map((r) => [r.cells[0], r.cells[1], r.cells[3], r.tone])).toEqual([
        ['10.244.1.12:9080', 'passing', 'HEALTHY', 'ok'],
        ['10.244.2.17:9080', 'passing', 'HEALTHY', 'ok'],
        ['10.244.1.19:9080', 'critical', 'UNHEALTHY', 'bad'],
      ]);
      expect(inst.warnings).toEqual([expect.stringContaining('istio: the sidecar of one instance has not acknowledged')]);
      const keys = Object.fromEntries(level.actions.map((a) => [a.key, a.unavailable?.(inst.rows[0]!) ?? null]));
      // A key whose action is unavailable is hidden from the footer and only explains itself when pressed.
      expect(keys).toEqual({ m: null, d: 'registry istio is read-only: it cannot drain instances', u: 'registry istio is read-only: it cannot undrain instances', x: 'registry istio is read-only: it cannot deregister instances' });
    } finally {
      await session.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
