import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { seededEndpointz, seededKube, seededRegistryz, type IstioSeed } from './istio-fake-seed.js';

/*
 * A FAKE istiod debug endpoint (port 15014) and Kubernetes API server, serving the fixtures of
 * test/fixtures/istio/ because neither istiod nor a kube-apiserver can run on this machine. It
 * keeps no state: it answers what a given Istio version answers (its README says where each shape
 * was read), and it applies the access rules of the real servers:
 *
 * - istiod (pilot/pkg/xds/debug.go): 1.10 has no authentication on the debug port; from 1.11 a
 *   caller that is not on localhost must present a bearer token istiod can authenticate (a
 *   Kubernetes service account token with audience istio-ca), else 401 with an empty body; with
 *   namespace authorization (ENABLE_DEBUG_ENDPOINT_AUTH, in 1.27.6+, 1.28.4+ and 1.29+) a token
 *   from outside istio-system may only reach config_dump, ndsz and edsz, else 403. Every test
 *   caller is on localhost, so `remote: true` makes the fake treat callers as remote (as without
 *   `kubectl port-forward`).
 * - Kubernetes: every request needs `Authorization: Bearer <token>` (401 Status otherwise) and the
 *   token's RBAC must cover the namespace (403 Status otherwise). networking.istio.io/v1 is served
 *   from Istio 1.22; v1beta1 and v1alpha3 by every version here.
 *
 * Requests are recorded (`requests`) so tests can assert paths, query parameters and headers.
 * `seed` adds instances to every answer of both servers, in the version's shape
 * (istio-fake-seed.ts), for the conformance suite, which cannot register through a read-only adapter.
 */

export type IstioVersion = '1.10' | '1.14' | '1.24';

export interface IstioFakeOptions {
  version: IstioVersion;
  /** Treat callers as not on localhost, so istiod's debug-endpoint authentication applies. */
  remote?: boolean;
  /** Namespace authorization of debug endpoints (ENABLE_DEBUG_ENDPOINT_AUTH). */
  namespaceAuth?: boolean;
  /** Bearer tokens istiod accepts (as its TokenReview would), with the caller's identity. */
  debugTokens?: Record<string, { namespace: string; serviceAccount: string }>;
  /** Bearer tokens the Kubernetes API accepts, with the namespaces each may list ('*': all). */
  kubeTokens?: Record<string, string[] | '*'>;
}

export interface IstioRequest {
  server: 'debug' | 'kube';
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  status: number;
}

export interface IstioFake {
  debugUrl: string;
  kubeUrl: string;
  requests: IstioRequest[];
  /** Adds an instance (and its service, if new) to what both servers answer from now on. */
  seed(instance: IstioSeed): void;
  stop(): Promise<void>;
}

export type { IstioSeed };

const FIXTURES = join(__dirname, '../fixtures/istio');
const load = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');

/** Debug paths a token from outside the system namespace may still use (activeNamespaceDebuggers). */
const NAMESPACE_DEBUGGERS = new Set(['config_dump', 'ndsz', 'edsz']);

const ISTIO_PLURALS: Record<string, string> = {
  virtualservices: 'VirtualService',
  destinationrules: 'DestinationRule',
  serviceentries: 'ServiceEntry',
  workloadentries: 'WorkloadEntry',
  gateways: 'Gateway',
};

export async function startIstioFake(opts: IstioFakeOptions): Promise<IstioFake> {
  const requests: IstioRequest[] = [];
  const seeds: IstioSeed[] = [];
  const record = (server: IstioRequest['server'], req: IncomingMessage, res: ServerResponse, url: URL) => {
    const r: IstioRequest = { server, method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, status: 0 };
    requests.push(r);
    res.on('finish', () => (r.status = res.statusCode));
  };
  const debug = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://istiod');
    record('debug', req, res, url);
    serveDebug(opts, seeds, req, res, url);
  });
  const kube = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://kube');
    record('kube', req, res, url);
    serveKube(opts, seeds, req, res, url);
  });
  const listen = (s: Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  const [dp, kp] = await Promise.all([listen(debug), listen(kube)]);
  return {
    debugUrl: `http://127.0.0.1:${dp}`,
    kubeUrl: `http://127.0.0.1:${kp}`,
    requests,
    seed: (instance) => void seeds.push(instance),
    stop: () => Promise.all([debug, kube].map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return m ? m[1]!.trim() : null;
}

function goNotFound(res: ServerResponse): void {
  // Go's http.NotFound, which ServeMux answers for unregistered paths.
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end('404 page not found\n');
}

function serveDebug(opts: IstioFakeOptions, seeds: readonly IstioSeed[], req: IncomingMessage, res: ServerResponse, url: URL): void {
  const v = opts.version;
  if (v !== '1.10' && opts.remote) {
    const token = bearer(req);
    const who = token ? opts.debugTokens?.[token] : undefined;
    if (!who) {
      res.statusCode = 401;
      return void res.end();
    }
    const name = url.pathname.replace(/^\/debug\//, '');
    if (opts.namespaceAuth && who.namespace !== 'istio-system' && !NAMESPACE_DEBUGGERS.has(name)) {
      res.statusCode = 403;
      return void res.end();
    }
  }
  const json = (file: string, transform?: (v: any) => any) => {
    let text = load(file);
    // From 1.14 the debug handlers share writeJSON, which pretty-prints with ?pretty (4 spaces).
    if (transform || (v === '1.24' && url.searchParams.has('pretty'))) {
      const value = transform ? transform(JSON.parse(text)) : JSON.parse(text);
      text = url.searchParams.has('pretty') && v === '1.24' ? JSON.stringify(value, null, 4) : JSON.stringify(value);
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(text);
  };
  const registry = () => seededRegistryz(v, JSON.parse(load(`${v}/registryz.json`)), seeds);
  const endpoints = seeds.length === 0 ? undefined : (body: any) => seededEndpointz(v, body, registry(), seeds);
  switch (url.pathname) {
    case '/debug/registryz':
      return json(`${v}/registryz.json`, seeds.length === 0 ? undefined : () => registry());
    case '/debug/endpointz':
      if (v !== '1.24' && url.searchParams.has('brief')) {
        // 1.10 sets the JSON content type before writing the ?brief lines; 1.14 sets none, so Go sniffs text.
        res.setHeader('Content-Type', v === '1.10' ? 'application/json' : 'text/plain; charset=utf-8');
        return void res.end(load(`${v}/endpointz-brief.txt`));
      }
      return json(`${v}/endpointz.json`, endpoints);
    case '/debug/endpointShardz':
      if (v === '1.24') return json('1.24/endpointz.json', endpoints);
      return goNotFound(res);
    case '/debug/syncz': {
      const ns = url.searchParams.get('namespace');
      // ?namespace= filtering arrived with the per-resource status (1.24 here); older ones ignore it.
      if (v === '1.24' && ns) return json(`${v}/syncz.json`, (all: any[]) => all.filter((p) => p.proxy.endsWith(`.${ns}`)));
      return json(`${v}/syncz.json`);
    }
    case '/debug/configz':
      // Older versions list the same kubernetes-style objects under the internal v1alpha3 group version.
      if (v === '1.24') return json('1.24/configz.json');
      return json('1.24/configz.json', (all: any[]) => all.map((o) => ({ ...o, apiVersion: 'networking.istio.io/v1alpha3' })));
    default:
      return goNotFound(res);
  }
}

function kubeStatus(res: ServerResponse, code: number, reason: string, message: string, details?: object): void {
  res.statusCode = code;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code }));
}

function serveKube(opts: IstioFakeOptions, seeds: readonly IstioSeed[], req: IncomingMessage, res: ServerResponse, url: URL): void {
  const token = bearer(req);
  const scope = token ? opts.kubeTokens?.[token] : undefined;
  if (!scope) return kubeStatus(res, 401, 'Unauthorized', 'Unauthorized');
  const user = 'system:serviceaccount:ops:opsdeck';
  const list = (file: string, kind: string, apiVersion: string, ns: string, resource: string, group: string, filter?: (item: any) => boolean) => {
    if (scope !== '*' && !scope.includes(ns)) {
      return kubeStatus(res, 403, 'Forbidden', `${resource} is forbidden: User "${user}" cannot list resource "${resource}" in API group "${group}" in the namespace "${ns}"`, { kind: resource });
    }
    const doc = file ? JSON.parse(load(file)) : { kind, apiVersion, metadata: { resourceVersion: '48500' }, items: [] };
    if (resource === 'services' || resource === 'endpointslices') doc.items.push(...seededKube(resource, seeds));
    doc.apiVersion = apiVersion;
    doc.items = doc.items.filter((i: any) => i.metadata.namespace === ns && (!filter || filter(i))).map((i: any) => (i.apiVersion ? { ...i, apiVersion } : i));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(doc));
  };
  const selector = parseSelector(url.searchParams.get('labelSelector'));
  if (selector === null) return kubeStatus(res, 400, 'BadRequest', 'unable to parse requirement: the fake supports only key=value selectors');
  const matches = (i: any) => Object.entries(selector).every(([k, v]) => i.metadata.labels?.[k] === v);
  let m = /^\/api\/v1\/namespaces\/([^/]+)\/services$/.exec(url.pathname);
  if (m) return list('kube/services-shop.json', 'ServiceList', 'v1', m[1]!, 'services', '', matches);
  m = /^\/apis\/discovery\.k8s\.io\/v1\/namespaces\/([^/]+)\/endpointslices$/.exec(url.pathname);
  if (m) return list('kube/endpointslices-shop.json', 'EndpointSliceList', 'discovery.k8s.io/v1', m[1]!, 'endpointslices', 'discovery.k8s.io', matches);
  m = /^\/apis\/networking\.istio\.io\/(v1|v1beta1|v1alpha3)\/namespaces\/([^/]+)\/([a-z]+)$/.exec(url.pathname);
  if (m && ISTIO_PLURALS[m[3]!] && (m[1] !== 'v1' || opts.version === '1.24')) {
    const [, ver, ns, plural] = m;
    const file = plural === 'gateways' ? '' : `kube/${plural}-shop.json`;
    return list(file, `${ISTIO_PLURALS[plural!]}List`, `networking.istio.io/${ver}`, ns!, plural!, 'networking.istio.io', matches);
  }
  kubeStatus(res, 404, 'NotFound', 'the server could not find the requested resource', {});
}

/** `a=b,c=d` equality selectors; null for anything else. */
function parseSelector(text: string | null): Record<string, string> | null {
  if (!text) return {};
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = /^([^=!]+)==?([^=]*)$/.exec(part.trim());
    if (!m) return null;
    out[m[1]!] = m[2]!;
  }
  return out;
}
