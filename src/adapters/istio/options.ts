import { bool, defineOptions, duration, int, str, strList, url } from '../kit/options.js';

const NAMESPACE = { re: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, what: 'a Kubernetes namespace name (lower-case letters, digits and -)' };

/** The options of a `{type: istio}` entry (under `registry:`). Loads no client library. */
export const ISTIO_OPTIONS = defineOptions(
  { type: 'istio', readme: 'Istio' },
  {
    /**
     * istiod's debug port (15014), e.g. http://127.0.0.1:15014 through `kubectl port-forward`:
     * services and endpoints as istiod pushes them, and which proxies are stale (/debug/syncz).
     */
    url: url({ schemes: ['http', 'https'], hint: "istiod's debug port, usually http://127.0.0.1:15014 through kubectl port-forward -n istio-system deploy/istiod 15014" }),
    /** A bearer token istiod accepts (a service account token with audience istio-ca); not needed from localhost. */
    debugToken: str({ nonEmpty: true, hint: 'write it as ${ISTIOD_TOKEN} or ${file:/path/to/token}' }),
    /** The Kubernetes API server, e.g. https://10.0.0.1:6443: Services, EndpointSlices and Istio's objects. */
    kubeUrl: url({ schemes: ['http', 'https'], hint: 'the Kubernetes API server, as in your kubeconfig (clusters[].cluster.server)' }),
    /** The bearer token for the Kubernetes API (a service account token); from ${ENV} or ${file:}. */
    token: str({ nonEmpty: true, hint: 'write it as ${KUBE_TOKEN} or ${file:/var/run/secrets/kubernetes.io/serviceaccount/token}' }),
    /** The cluster's CA certificate (PEM text), trusted besides the system's: ${file:/path/ca.crt}. */
    caCert: str({ nonEmpty: true, hint: 'write it as ${file:/var/run/secrets/kubernetes.io/serviceaccount/ca.crt}' }),
    /** Skip verifying the servers' TLS certificates (a throwaway cluster only). */
    insecure: bool({ default: false }),
    /** The namespace a command addresses when --namespace is not given. */
    namespace: str({ default: 'default', pattern: NAMESPACE }),
    /** The namespaces `services list` reads from the Kubernetes API (default: namespace); istiod's view has them all. */
    namespaces: strList({ nonEmpty: true, item: NAMESPACE }),
    /**
     * istiod's version (1.17, 1.24, …), to read an endpoint's HealthStatus where the answer alone
     * cannot tell (1.18 renumbered it); opsdeck tells from the answer where it can.
     */
    istioVersion: str({ pattern: { re: /^1\.\d{1,3}(\.\d+)?$/, what: 'an Istio version such as 1.24' } }),
    /** Per request (connect, headers and body together). */
    timeoutMs: duration({ bareMs: true, default: 10_000 }),
    /** Answers bigger than this are refused instead of filling memory (istiod dumps its whole registry in one answer). */
    maxResponseBytes: int({ min: 1024, default: 64 * 1024 * 1024 }),
  },
  (o, x) => {
    if (o.url === undefined && o.kubeUrl === undefined) {
      x.fail('url', 'an istio entry needs url (istiod\'s debug port) or kubeUrl (the Kubernetes API), or both', 'for example url: http://127.0.0.1:15014 after kubectl port-forward -n istio-system deploy/istiod 15014');
    }
    for (const key of ['url', 'kubeUrl'] as const) {
      const v = o[key];
      if (v !== undefined && /^[a-z]+:\/\/[^/@]*@/i.test(v)) x.fail(key, `${key} takes no user:password; istio uses bearer tokens`, key === 'url' ? 'put the token under debugToken' : 'put the token under token');
    }
    if (o.token !== undefined && o.kubeUrl === undefined) x.fail('token', 'token is the Kubernetes API\'s; it needs kubeUrl', "istiod's own token goes under debugToken");
    if (o.debugToken !== undefined && o.url === undefined) x.fail('debugToken', "debugToken is istiod's; it needs url", 'set url to istiod\'s debug port');
    if (o.kubeUrl !== undefined && o.token === undefined) x.fail('token', 'the Kubernetes API needs a bearer token', 'set token: ${KUBE_TOKEN} (a service account token that may list services, endpointslices and the networking.istio.io kinds)');
    const trim = (u: string | undefined) => u?.replace(/\/+$/, '');
    return { ...o, url: trim(o.url), kubeUrl: trim(o.kubeUrl), namespaces: o.namespaces ?? [o.namespace] };
  },
);

/** A `{type: istio}` entry, validated, with the backend column name. */
export type IstioOptions = ReturnType<typeof ISTIO_OPTIONS.read> & { name: string };

export function parseIstioOptions(o: Record<string, unknown>, name: string): IstioOptions {
  return { ...ISTIO_OPTIONS.read(o), name };
}
