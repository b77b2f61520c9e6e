import { Agent, request } from 'undici';
import { OpsError } from '../../core/errors.js';
import type { EtcdOptions } from './options.js';

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the profile's per-request timeout (a queued lock request waits longer). */
  timeoutMs?: number;
}

/** gRPC status codes the gateway returns in `code`. */
const GRPC = { invalidArgument: 3, deadlineExceeded: 4, notFound: 5, permissionDenied: 7, resourceExhausted: 8, failedPrecondition: 9, outOfRange: 11, unavailable: 14, unauthenticated: 16 } as const;

/** The gateway's error body (grpc-gateway v1): the server's words and a gRPC code. */
export class EtcdServerError extends Error {
  constructor(
    readonly code: number,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The etcd v3 JSON gateway (`POST /v3/...`, keys and values base64) over undici. It owns the auth
 * token: etcd wants the raw token in the Authorization header (no "Bearer"), and a simple token
 * expires (5 min by default) or is dropped when the password changes, so a rejected token is
 * replaced once and the call retried.
 */
export class EtcdHttp {
  private token: Promise<string | null> | null = null;
  /** Its own pool: the size cap applies while the body streams in, and dispose() closes the sockets. */
  private readonly agent: Agent;

  constructor(private readonly o: EtcdOptions) {
    this.agent = new Agent({ maxResponseSize: Math.floor(o.maxResponseBytes), connectTimeout: o.timeoutMs });
  }

  /** Closes the sockets; a request still waiting (a queued lock) is aborted. */
  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }

  async call<T>(path: string, body: unknown, opts: CallOptions = {}): Promise<T> {
    const auth = this.o.username !== undefined;
    const token = auth ? await this.currentToken() : null;
    try {
      return await this.post<T>(path, body, token, opts);
    } catch (e) {
      if (auth && e instanceof EtcdServerError && e.code === GRPC.unauthenticated) {
        this.token = null;
        return this.mapped(() => this.currentToken().then((t) => this.post<T>(path, body, t, opts)));
      }
      throw mapError(e, this.o, path);
    }
  }

  /** Drops the cached token, so the next call authenticates (used by ping to check credentials). */
  async authenticate(): Promise<void> {
    if (this.o.username === undefined) return;
    this.token = null;
    await this.currentToken();
  }

  /** GET /version: the one endpoint that needs no auth and no body. */
  async version(): Promise<{ etcdserver?: string; etcdcluster?: string }> {
    return this.mapped(() => this.send('GET', '/version', undefined, null, {}));
  }

  private async mapped<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapError(e, this.o, '');
    }
  }

  private currentToken(): Promise<string | null> {
    if (!this.token) {
      const pending = this.post<{ token?: string }>('/v3/auth/authenticate', { name: this.o.username, password: this.o.password }, null, {})
        .then((r) => r.token ?? null)
        .catch((e: unknown) => {
          // A server without auth ignores credentials: go on without a token.
          if (e instanceof EtcdServerError && e.code === GRPC.failedPrecondition && /not enabled/.test(e.message)) return null;
          if (e instanceof EtcdServerError && /authentication failed/.test(e.message)) {
            throw new OpsError('unauthorized', `etcd at ${this.o.url} rejected user ${this.o.username}: ${e.message}`, 'check username and password in the profile');
          }
          throw mapError(e, this.o, '/v3/auth/authenticate');
        });
      // A failed login must not be cached: the next command tries again.
      pending.catch(() => {
        if (this.token === pending) this.token = null;
      });
      this.token = pending;
    }
    return this.token;
  }

  private post<T>(path: string, body: unknown, token: string | null, opts: CallOptions): Promise<T> {
    return this.send<T>('POST', path, body, token, opts);
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body: unknown, token: string | null, opts: CallOptions): Promise<T> {
    const timeout = opts.timeoutMs ?? this.o.timeoutMs;
    const res = await request(`${this.o.url}${path}`, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: token } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: opts.signal,
      dispatcher: this.agent,
    });
    const text = await res.body.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      const snippet = text.replace(/\s+/g, ' ').slice(0, 160);
      if (res.statusCode === 404) {
        throw new OpsError('backend', `${this.o.url}${path} does not exist (HTTP 404)`, 'opsdeck needs the v3 JSON gateway of etcd 3.4 or later at /v3/; check the URL points at an etcd client port');
      }
      throw new OpsError('backend', `${this.o.url} answered HTTP ${res.statusCode} with a body that is not etcd JSON: ${snippet}`, 'check the URL points at an etcd client port, not a proxy page');
    }
    const err = parsed as { error?: unknown; message?: unknown; code?: unknown };
    if (res.statusCode >= 400 || (typeof err.error === 'string' && typeof err.code === 'number')) {
      const message = typeof err.message === 'string' ? err.message : typeof err.error === 'string' ? err.error : `HTTP ${res.statusCode}`;
      throw new EtcdServerError(typeof err.code === 'number' ? err.code : -1, res.statusCode, message);
    }
    return parsed as T;
  }
}

/** Client and server failures to OpsError kinds: unreachable and timeout exit 3, like auth. */
export function mapError(e: unknown, o: EtcdOptions, path: string): unknown {
  if (e instanceof OpsError) return e;
  if (e instanceof EtcdServerError) {
    const m = e.message;
    switch (e.code) {
      case GRPC.unauthenticated:
        return new OpsError('unauthorized', `etcd at ${o.url} rejected the request: ${m}`, o.username === undefined ? 'this etcd has auth on: set username and password in the profile' : 'check username and password in the profile');
      case GRPC.invalidArgument:
        if (/user name is empty/.test(m)) return new OpsError('unauthorized', `etcd at ${o.url} requires authentication`, 'set username and password (from ${ENV} or ${file:...}) in the profile');
        return new OpsError('backend', `etcd refused the request: ${m}`, 'this is likely an opsdeck bug; run with --debug and report it');
      case GRPC.permissionDenied:
        return new OpsError('unauthorized', `etcd user ${o.username ?? '(none)'} may not do this: ${m}`, "grant the user's role read (and, to acquire or release, write) on the lock prefix");
      case GRPC.deadlineExceeded:
        return new OpsError('timeout', `etcd at ${o.url} timed out: ${m}`, 'the cluster may have lost its leader or be overloaded; try again, and check "etcdctl endpoint status"');
      case GRPC.unavailable:
        return new OpsError('unreachable', `etcd at ${o.url} is unavailable: ${m}`, 'the member may have lost its quorum; check "etcdctl endpoint health"');
      case GRPC.resourceExhausted:
        return new OpsError('backend', `etcd at ${o.url} is overloaded: ${m}`, 'try again shortly');
      case GRPC.notFound:
        return new OpsError('not-found', `etcd: ${m}`, 'it may have expired just now; look again');
      case GRPC.outOfRange:
        return new OpsError('backend', `etcd: ${m}`, 'try again');
      default:
        return new OpsError('backend', `etcd at ${o.url} failed the request (HTTP ${e.httpStatus}, code ${e.code}): ${m}`, 'see the etcd server log');
    }
  }
  const err = e as { code?: string; name?: string; message?: string };
  const code = err.code ?? '';
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    const max = o.maxResponseBytes >= 1048576 ? `${Math.round(o.maxResponseBytes / 1048576)} MiB` : `${o.maxResponseBytes} bytes`;
    return new OpsError('backend', `${o.url} sent more than ${max} for one answer`, 'narrow the listing with --prefix, or raise maxResponseBytes in the profile');
  }
  if (err.name === 'AbortError' || code === 'UND_ERR_ABORTED') return new OpsError('failed', 'the request to etcd was cancelled', 'run it again');
  if (/TIMEOUT/i.test(code)) return new OpsError('timeout', `etcd at ${o.url} did not answer${path ? ` ${path}` : ''} within ${o.timeoutMs} ms`, 'check the server, or raise timeoutMs in the profile');
  return new OpsError('unreachable', `etcd at ${o.url} is unreachable: ${err.message ?? String(e)}`, 'check the url in the profile and that etcd is up (etcdctl endpoint health)');
}
