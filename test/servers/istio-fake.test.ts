import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIstioFake, type IstioFake, type IstioFakeOptions } from './istio-fake.js';

/*
 * The Istio fake serves its fixtures per version with the access rules of istiod's debug port and
 * of the Kubernetes API. These tests pin the quirks the adapter must handle, so a fixture or fake
 * change that loses one fails here: the trailing {} of 1.10, the ?brief text, the shard map of
 * 1.20+, the renumbered HealthStatus, sent ≠ acked, and 401/403 from both servers.
 */

const FIXTURES = resolve(__dirname, '../fixtures/istio');
const fixtureText = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

let fake: IstioFake | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

const TOKENS: IstioFakeOptions['debugTokens'] = {
  'sa-istio-system': { namespace: 'istio-system', serviceAccount: 'opsdeck' },
  'sa-shop': { namespace: 'shop', serviceAccount: 'opsdeck' },
};

async function get(base: string, path: string, token?: string) {
  const res = await fetch(base + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('istiod debug endpoints', () => {
  it('1.10 ends registryz and every endpointz list with an empty {} element', async () => {
    fake = await startIstioFake({ version: '1.10' });
    const reg = JSON.parse((await get(fake.debugUrl, '/debug/registryz')).text);
    expect(reg.at(-1)).toEqual({});
    expect(reg.slice(0, -1).map((s: any) => s.hostname)).toEqual(['reviews.shop.svc.cluster.local', 'ratings.shop.svc.cluster.local', 'payments.external.example.com']);
    expect(reg[0]['cluster-vips']).toEqual({ Kubernetes: '10.96.12.7' });
    const eps = JSON.parse((await get(fake.debugUrl, '/debug/endpointz')).text);
    expect(eps.at(-1)).toEqual({});
    expect(eps[0].svc).toBe('reviews.shop.svc.cluster.local:http');
    expect(eps[0].ep.at(-1)).toEqual({});
    expect(eps[0].ep.slice(0, -1).map((e: any) => e.endpoint.Address)).toEqual(['10.244.1.12', '10.244.2.17']);
  });

  it('1.10 has no authentication on the debug port, even for a remote caller', async () => {
    fake = await startIstioFake({ version: '1.10', remote: true });
    expect((await get(fake.debugUrl, '/debug/syncz')).status).toBe(200);
  });

  it('1.14 writes plain JSON (no trailing {}), [{svc, ep}] endpoints and ?brief as text lines', async () => {
    fake = await startIstioFake({ version: '1.14' });
    const reg = JSON.parse((await get(fake.debugUrl, '/debug/registryz')).text);
    expect(reg.some((s: any) => Object.keys(s).length === 0)).toBe(false);
    expect(reg[0].clusterVIPs).toEqual({ Addresses: { Kubernetes: ['10.96.12.7'] } });
    const eps = JSON.parse((await get(fake.debugUrl, '/debug/endpointz')).text);
    expect(eps.map((e: any) => [e.svc, e.ep?.length ?? null])).toEqual([
      ['reviews.shop.svc.cluster.local:http', 2],
      ['ratings.shop.svc.cluster.local:http', 1],
      ['payments.external.example.com:https', null],
    ]);
    // Healthy was 0 until 1.17.
    expect(eps[0].ep[0].endpoint.HealthStatus).toBe(0);
    const brief = await get(fake.debugUrl, '/debug/endpointz?brief');
    expect(brief.type).toBe('text/plain; charset=utf-8');
    expect(brief.text.split('\n')[0]).toBe(fixtureText('1.14/endpointz-brief.txt').split('\n')[0]);
    expect(brief.text.split('\n')[0]).toMatch(/^reviews\.shop\.svc\.cluster\.local:http 10\.244\.1\.12:9080 map\[app:reviews .*\] spiffe:\/\/cluster\.local\/ns\/shop\/sa\/bookinfo-reviews$/);
  });

  it('1.24 answers endpointz with the shard map: Addresses[], HealthStatus 1/2, a WorkloadEntry endpoint', async () => {
    fake = await startIstioFake({ version: '1.24' });
    const shards = JSON.parse((await get(fake.debugUrl, '/debug/endpointz')).text);
    const reviews = shards['reviews.shop.svc.cluster.local'].shop.Shards['Kubernetes/Kubernetes'];
    expect(reviews.map((e: any) => [e.Addresses[0], e.WorkloadName, e.HealthStatus])).toEqual([
      ['10.244.1.12', 'reviews-v1', 1],
      ['10.244.2.17', 'reviews-v2', 1],
      ['10.244.1.19', 'reviews-v3', 2],
    ]);
    const ratings = shards['ratings.shop.svc.cluster.local'].shop.Shards['Kubernetes/Kubernetes'];
    expect(ratings.map((e: any) => e.WorkloadName)).toContain('legacy-vm-1');
    expect((await get(fake.debugUrl, '/debug/endpointShardz')).text).toBe((await get(fake.debugUrl, '/debug/endpointz')).text);
    expect((await get(fake.debugUrl, '/debug/registryz?pretty')).text).toContain('\n    {');
  });

  it('1.24 syncz shows a stale proxy (listener sent ≠ acked) and one never acked, and filters by ?namespace', async () => {
    fake = await startIstioFake({ version: '1.24' });
    const all = JSON.parse((await get(fake.debugUrl, '/debug/syncz')).text);
    const state = (p: any, t: string) => (!p[`${t}_sent`] ? 'NOT SENT' : p[`${t}_sent`] === p[`${t}_acked`] ? 'SYNCED' : p[`${t}_acked`] ? 'STALE' : 'STALE (Never Acknowledged)');
    expect(all.map((p: any) => [p.proxy, p.proxy_type, state(p, 'listener'), state(p, 'endpoint')])).toEqual([
      ['istio-ingressgateway-6f9c7d8b5-q8w2r.istio-system', 'router', 'SYNCED', 'SYNCED'],
      ['ratings-v1-6c9b5f7d8-h4n6k.shop', 'sidecar', 'SYNCED', 'STALE (Never Acknowledged)'],
      ['reviews-v1-7d9f8c6b5-x2k4p.shop', 'sidecar', 'SYNCED', 'SYNCED'],
      ['reviews-v2-5b8d7c9f4-m7q2z.shop', 'sidecar', 'STALE', 'SYNCED'],
    ]);
    const shop = JSON.parse((await get(fake.debugUrl, '/debug/syncz?namespace=shop')).text);
    expect(shop).toHaveLength(3);
  });

  it('from 1.11 a remote caller needs a token (401), and namespace authorization keeps non-system tokens out (403)', async () => {
    fake = await startIstioFake({ version: '1.24', remote: true, namespaceAuth: true, debugTokens: TOKENS });
    expect(await get(fake.debugUrl, '/debug/registryz')).toMatchObject({ status: 401, text: '' });
    expect(await get(fake.debugUrl, '/debug/registryz', 'forged')).toMatchObject({ status: 401 });
    expect(await get(fake.debugUrl, '/debug/registryz', 'sa-shop')).toMatchObject({ status: 403, text: '' });
    expect((await get(fake.debugUrl, '/debug/registryz', 'sa-istio-system')).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([401, 401, 403, 200]);
  });

  it('configz lists kubernetes-style objects, v1 in 1.24 and v1alpha3 before', async () => {
    fake = await startIstioFake({ version: '1.24' });
    const cfg = JSON.parse((await get(fake.debugUrl, '/debug/configz')).text);
    expect(cfg.map((c: any) => [c.kind, c.apiVersion, c.metadata.name])).toContainEqual(['VirtualService', 'networking.istio.io/v1', 'reviews']);
    await fake.stop();
    fake = await startIstioFake({ version: '1.14' });
    const old = JSON.parse((await get(fake.debugUrl, '/debug/configz')).text);
    expect(new Set(old.map((c: any) => c.apiVersion))).toEqual(new Set(['networking.istio.io/v1alpha3']));
  });
});

describe('Kubernetes API path', () => {
  const kubeTokens = { 'kube-shop': ['shop'], 'kube-admin': '*' as const };

  it('needs a bearer token (401 Status) and RBAC on the namespace (403 Status)', async () => {
    fake = await startIstioFake({ version: '1.24', kubeTokens });
    const none = await get(fake.kubeUrl, '/api/v1/namespaces/shop/services');
    expect([none.status, JSON.parse(none.text)]).toEqual([401, JSON.parse(fixtureText('kube/status-401.json'))]);
    const denied = await get(fake.kubeUrl, '/api/v1/namespaces/payments/services', 'kube-shop');
    expect([denied.status, JSON.parse(denied.text)]).toEqual([403, JSON.parse(fixtureText('kube/status-403-services.json'))]);
  });

  it('lists services and EndpointSlices by service name, with ready/serving/terminating conditions', async () => {
    fake = await startIstioFake({ version: '1.24', kubeTokens });
    const svcs = JSON.parse((await get(fake.kubeUrl, '/api/v1/namespaces/shop/services', 'kube-shop')).text);
    expect(svcs.items.map((s: any) => [s.metadata.name, s.spec.clusterIP])).toEqual([
      ['ratings', '10.96.40.3'],
      ['reviews', '10.96.12.7'],
    ]);
    const sel = encodeURIComponent('kubernetes.io/service-name=reviews');
    const slices = JSON.parse((await get(fake.kubeUrl, `/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=${sel}`, 'kube-shop')).text);
    expect(slices.items).toHaveLength(1);
    expect(slices.items[0].endpoints.map((e: any) => [e.targetRef.name, e.conditions])).toEqual([
      ['reviews-v1-7d9f8c6b5-x2k4p', { ready: true, serving: true, terminating: false }],
      ['reviews-v2-5b8d7c9f4-m7q2z', { ready: true, serving: true, terminating: false }],
      ['reviews-v3-84c6d9b7f-t5v8n', { ready: false, serving: true, terminating: true }],
    ]);
    expect(fake.requests.at(-1)!.query).toEqual({ labelSelector: 'kubernetes.io/service-name=reviews' });
  });

  it('serves networking.istio.io/v1 only from 1.22; v1beta1 everywhere', async () => {
    fake = await startIstioFake({ version: '1.14', kubeTokens });
    expect((await get(fake.kubeUrl, '/apis/networking.istio.io/v1/namespaces/shop/virtualservices', 'kube-admin')).status).toBe(404);
    const b = JSON.parse((await get(fake.kubeUrl, '/apis/networking.istio.io/v1beta1/namespaces/shop/virtualservices', 'kube-admin')).text);
    expect(b).toEqual(JSON.parse(fixtureText('kube/virtualservices-shop-v1beta1.json')));
    await fake.stop();
    fake = await startIstioFake({ version: '1.24', kubeTokens });
    for (const plural of ['virtualservices', 'destinationrules', 'serviceentries', 'workloadentries']) {
      const r = JSON.parse((await get(fake.kubeUrl, `/apis/networking.istio.io/v1/namespaces/shop/${plural}`, 'kube-admin')).text);
      expect(r).toEqual(JSON.parse(fixtureText(`kube/${plural}-shop.json`)));
    }
  });
});

describe('seeded instances keep each version\'s shape', () => {
  const seed = { namespace: 'conf', service: 'seeded', ip: '10.9.0.1', port: 8080, labels: { zone: 'eu-1' } };

  it('1.10: before the trailing {} of registryz, endpointz and the new ep list', async () => {
    fake = await startIstioFake({ version: '1.10' });
    fake.seed(seed);
    const reg = JSON.parse((await get(fake.debugUrl, '/debug/registryz')).text);
    expect(reg.at(-1)).toEqual({});
    expect(reg.at(-2)).toMatchObject({ hostname: 'seeded.conf.svc.cluster.local', address: '10.96.99.1', Mutex: {} });
    const eps = JSON.parse((await get(fake.debugUrl, '/debug/endpointz')).text);
    expect(eps.at(-1)).toEqual({});
    const entry = eps.at(-2);
    expect(entry.svc).toBe('seeded.conf.svc.cluster.local:http');
    expect(entry.ep.at(-1)).toEqual({});
    expect(entry.ep[0].endpoint).toMatchObject({ Address: '10.9.0.1', EndpointPort: 8080, Labels: { zone: 'eu-1' } });
  });

  it('1.24: the shard map with Addresses, and a Service and an EndpointSlice on the Kubernetes side', async () => {
    fake = await startIstioFake({ version: '1.24', kubeTokens: { k: '*' } });
    fake.seed({ ...seed, cluster: 'east' });
    const shards = JSON.parse((await get(fake.debugUrl, '/debug/endpointz')).text);
    expect(shards['seeded.conf.svc.cluster.local'].conf.Shards['Kubernetes/east'][0]).toMatchObject({ Addresses: ['10.9.0.1'], EndpointPort: 8080 });
    const slices = JSON.parse((await get(fake.kubeUrl, '/apis/discovery.k8s.io/v1/namespaces/conf/endpointslices', 'k')).text);
    expect(slices.items.map((s: any) => [s.metadata.labels['kubernetes.io/service-name'], s.endpoints[0].addresses[0], s.endpoints[0].zone, s.ports[0].port])).toEqual([['seeded', '10.9.0.1', 'eu-1', 8080]]);
    const svcs = JSON.parse((await get(fake.kubeUrl, '/api/v1/namespaces/conf/services', 'k')).text);
    expect(svcs.items.map((s: any) => s.metadata.name)).toEqual(['seeded']);
  });
});
