import { OpsError } from '../../core/errors.js';
import { HttpClient, type HttpReply } from '../kit/http.js';
import { isObject, type AnswerShape } from '../kit/shape.js';
import { snippetOf } from '../kit/snippet.js';
import type { IstioOptions } from './options.js';

/** Which of the two servers a request goes to. */
export type IstioServer = 'debug' | 'kube';

/**
 * istiod's debug port and the Kubernetes API over the kit's HTTP client: one deadline and a size
 * cap per exchange, each server's bearer token sent only to it, and both servers' refusals read
 * as what they mean (docs/dev/istio-facts.md §4, §5): istiod answers 401 and 403 with an empty
 * body, so the message says which of its two checks failed; the API server sends a Status whose
 * message names the RBAC rule that is missing.
 */
export class IstioHttp {
  private readonly clients: Partial<Record<IstioServer, HttpClient>> = {};

  constructor(readonly o: IstioOptions) {
    const tls = { ...(o.caCert !== undefined ? { ca: o.caCert } : {}), ...(o.insecure ? { insecure: true } : {}) };
    const common = { timeoutMs: o.timeoutMs, maxResponseBytes: o.maxResponseBytes, tls };
    if (o.url !== undefined) {
      this.clients.debug = new HttpClient({
        ...common,
        name: 'istiod',
        url: o.url,
        ...(o.debugToken !== undefined ? { auth: { bearer: o.debugToken } } : {}),
        hints: {
          tooLarge: 'raise maxResponseBytes in the profile (istiod dumps its whole registry in one answer)',
          unreachable: "check url in the profile: istiod's debug port 15014, e.g. through kubectl port-forward -n istio-system deploy/istiod 15014",
          notProtocol: "check that url points at istiod's debug port (15014), not a proxy page or another port",
        },
      });
    }
    if (o.kubeUrl !== undefined) {
      this.clients.kube = new HttpClient({
        ...common,
        name: 'Kubernetes API',
        url: o.kubeUrl,
        ...(o.token !== undefined ? { auth: { bearer: o.token } } : {}),
        hints: {
          tooLarge: 'raise maxResponseBytes in the profile, or list fewer namespaces',
          unreachable: 'check kubeUrl in the profile (the server of your kubeconfig) and, for https, caCert',
          notProtocol: 'check that kubeUrl points at the Kubernetes API server, not a proxy page or a dashboard',
        },
      });
    }
  }

  has(server: IstioServer): boolean {
    return this.clients[server] !== undefined;
  }

  where(server: IstioServer): string {
    return this.client(server).where;
  }

  shape(server: IstioServer, path: string): AnswerShape {
    return this.client(server).shape(path);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.clients).map((c) => c.close()));
  }

  /**
   * GET `path`; the JSON body of a 200 answer. A refused token is 'unauthorized' (exit 3) with the
   * way out; an HTML page or other non-JSON body is a bad answer (exit 3) quoting it. `missing`
   * turns a 404 into the caller's value (an older Istio without networking.istio.io/v1).
   */
  async get(server: IstioServer, path: string, opts: { query?: Record<string, string>; signal?: AbortSignal; missing?: () => unknown } = {}): Promise<unknown> {
    const c = this.client(server);
    const reply = await c.request({ path, ...(opts.query ? { query: opts.query } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    if (reply.status === 401 || reply.status === 403) throw server === 'debug' ? this.debugRefusal(path, reply) : this.kubeRefusal(path, reply);
    const html = htmlPage(c.where, reply);
    if (html) throw html;
    if (reply.status === 404 && opts.missing) return opts.missing();
    if (reply.status !== 200) throw this.failure(server, path, reply);
    return c.json(reply);
  }

  private client(server: IstioServer): HttpClient {
    const c = this.clients[server];
    if (!c) throw new OpsError('internal', `the istio adapter has no ${server} client`);
    return c;
  }

  private debugRefusal(path: string, reply: HttpReply): OpsError {
    const where = this.where('debug');
    const at = path.split('?')[0];
    if (reply.status === 403) {
      return new OpsError('unauthorized', `${where} refused ${at} to the profile's debugToken (HTTP 403): istiod lets a service account outside istio-system reach only config_dump, ndsz and edsz`, "use a token of a service account in istio-system (or in istiod's DEBUG_ENDPOINT_AUTH_ALLOWED_NAMESPACES), or reach istiod through kubectl port-forward -n istio-system deploy/istiod 15014 (localhost needs no token)");
    }
    return this.o.debugToken === undefined
      ? new OpsError('unauthorized', `${where} wants a bearer token for ${at} (HTTP 401): it answers callers that are not on its own host only with one`, 'reach istiod through kubectl port-forward -n istio-system deploy/istiod 15014 and set url: http://127.0.0.1:15014, or set debugToken to a service account token with audience istio-ca (kubectl create token NAME -n istio-system --audience istio-ca)')
      : new OpsError('unauthorized', `${where} did not accept the profile's debugToken for ${at} (HTTP 401)`, 'the token must be a live service account token with audience istio-ca (kubectl create token NAME -n istio-system --audience istio-ca); check the variable or file it is read from');
  }

  private kubeRefusal(path: string, reply: HttpReply): OpsError {
    const where = this.where('kube');
    const at = path.split('?')[0];
    const words = statusMessage(reply);
    if (reply.status === 401) {
      return new OpsError('unauthorized', `${where} did not accept the profile's token for ${at} (HTTP 401${words ? `: ${words}` : ''})`, 'the token may have expired or been revoked: make a new one (kubectl create token NAME -n NAMESPACE) and check the variable or file token is read from');
    }
    return new OpsError('unauthorized', `${where} refused ${at} (HTTP 403${words ? `: ${words}` : ''})`, "RBAC: give the token's service account a Role with get and list on services, discovery.k8s.io endpointslices and networking.istio.io serviceentries, workloadentries in that namespace (kubectl auth can-i list endpointslices.discovery.k8s.io -n NAMESPACE --as system:serviceaccount:NS:NAME)", { httpStatus: 403 });
  }

  private failure(server: IstioServer, path: string, reply: HttpReply): OpsError {
    const where = this.where(server);
    const words = statusMessage(reply) || snippetOf(reply.text);
    if (reply.status === 404) {
      return new OpsError('bad-answer', `${where} has no ${path.split('?')[0]} (HTTP 404: ${words})`, server === 'debug' ? "check that url points at istiod's debug port (15014)" : 'check that kubeUrl points at the Kubernetes API server');
    }
    return new OpsError('backend', `${where} failed to answer ${path.split('?')[0]} (HTTP ${reply.status}: ${words})`, server === 'debug' ? "see istiod's log (kubectl logs -n istio-system deploy/istiod)" : "the message is the API server's own");
  }
}

/** The message of a Kubernetes `Status` answer, on one line; '' when the body is not one. */
function statusMessage(reply: HttpReply): string {
  try {
    const body = JSON.parse(reply.text) as unknown;
    if (isObject(body) && body.kind === 'Status' && typeof body.message === 'string') return snippetOf(body.message, 300);
  } catch {
    // istiod's 401/403 have no body; a proxy's may be anything.
  }
  return '';
}

/** An HTML page (a proxy's error page, a dashboard) is never either server's answer. */
function htmlPage(where: string, reply: HttpReply): OpsError | null {
  const type = String(reply.headers['content-type'] ?? '');
  if (!/text\/html/i.test(type) && !/^\s*<(!doctype|html|head|body)\b/i.test(reply.text)) return null;
  return new OpsError('bad-answer', `${where} answered HTTP ${reply.status} with an HTML page: ${snippetOf(reply.text)}`, 'check that the url points at the server itself, not a proxy page, a login page or a dashboard');
}
