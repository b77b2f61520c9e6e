import { OpsError } from '../../core/errors.js';
import { HttpClient, type HttpStream } from '../kit/http.js';
import { isObject, type AnswerShape } from '../kit/shape.js';
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
 * The etcd v3 JSON gateway (`POST /v3/...`, keys and values base64) over the kit's HTTP client,
 * which bounds each exchange in time and size. It owns the auth token: etcd wants the raw token in
 * the Authorization header (no "Bearer"), and a simple token expires (5 min by default) or is
 * dropped when the password changes, so a rejected token is replaced once and the call retried.
 */
export class EtcdHttp {
  private token: Promise<string | null> | null = null;
  private readonly http: HttpClient;

  constructor(private readonly o: EtcdOptions) {
    this.http = new HttpClient({
      name: 'etcd',
      url: o.url,
      timeoutMs: o.timeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      protocol: 'etcd JSON',
      hints: {
        tooLarge: 'narrow the listing with --prefix, or raise maxResponseBytes in the profile',
        unreachable: 'check the url in the profile and that etcd is up (etcdctl endpoint health)',
        notProtocol: 'check the url points at an etcd client port (3.4 or later), not a proxy page',
      },
    });
  }

  /** Closes the sockets; a request still waiting (a queued lock) is aborted. */
  async close(): Promise<void> {
    await this.http.close();
  }

  /** Shape checks for the answer to `path`, naming this server. */
  shape(path: string): AnswerShape {
    return this.http.shape(path);
  }

  /** One gateway call; the answer is unchecked JSON, for the caller to read through `shape(path)`. */
  async call(path: string, body: unknown, opts: CallOptions = {}): Promise<unknown> {
    const auth = this.o.username !== undefined;
    const token = auth ? await this.currentToken() : null;
    try {
      return await this.post(path, body, token, opts);
    } catch (e) {
      if (auth && e instanceof EtcdServerError && e.code === GRPC.unauthenticated) {
        this.token = null;
        return this.mapped(() => this.currentToken().then((t) => this.post(path, body, t, opts)));
      }
      throw mapError(e, this.o);
    }
  }

  /**
   * A streaming call (`/v3/watch`): the answer's frames come as newline-separated JSON. A refusal
   * before the stream starts (HTTP 4xx/5xx) is read whole and mapped like any call's.
   */
  async stream(path: string, body: unknown, signal: AbortSignal): Promise<HttpStream> {
    const auth = this.o.username !== undefined;
    const open = async (token: string | null) => {
      const s = await this.http.stream({ path, json: body, headers: token ? { authorization: token } : {}, signal });
      if (s.status < 400) return s;
      let text = '';
      for await (const c of s.chunks()) {
        text += c.toString('utf8');
        if (text.length > 64 * 1024) break;
      }
      s.close();
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not the gateway's error body.
      }
      const err = (isObject(parsed) ? parsed : {}) as { error?: unknown; message?: unknown; code?: unknown };
      const message = typeof err.message === 'string' ? err.message : typeof err.error === 'string' ? err.error : `HTTP ${s.status}`;
      throw new EtcdServerError(typeof err.code === 'number' ? err.code : -1, s.status, message);
    };
    try {
      return await open(auth ? await this.currentToken() : null);
    } catch (e) {
      if (auth && e instanceof EtcdServerError && e.code === GRPC.unauthenticated) {
        this.token = null;
        return this.mapped(async () => open(await this.currentToken()));
      }
      throw mapError(e, this.o);
    }
  }

  /** The current token to send with a call made outside `call` (a watch restarted mid-stream); null without auth. */
  async tokenNow(): Promise<string | null> {
    return this.o.username === undefined ? null : this.currentToken();
  }

  /** Gateway error bodies mapped like a call's (a watch frame that carries `error`). */
  failure(e: { code: number; message: string }): unknown {
    return mapError(new EtcdServerError(e.code, 200, e.message), this.o);
  }

  /** Drops the cached token, so the next call authenticates (used by ping to check credentials). */
  async authenticate(): Promise<void> {
    if (this.o.username === undefined) return;
    this.token = null;
    await this.currentToken();
  }

  /** GET /version: the one endpoint that needs no auth and no body. */
  async version(): Promise<{ etcdserver?: string }> {
    const answer = await this.mapped(() => this.send('GET', '/version', undefined, null, {}));
    const shape = this.shape('/version');
    return { etcdserver: shape.optStr(shape.object(answer), 'etcdserver') };
  }

  private async mapped<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapError(e, this.o);
    }
  }

  private currentToken(): Promise<string | null> {
    if (!this.token) {
      const path = '/v3/auth/authenticate';
      const pending = this.post(path, { name: this.o.username, password: this.o.password }, null, {})
        .then((r) => {
          const shape = this.shape(path);
          return shape.optStr(shape.object(r), 'token') ?? null;
        })
        .catch((e: unknown) => {
          // A server without auth ignores credentials: go on without a token.
          if (e instanceof EtcdServerError && e.code === GRPC.failedPrecondition && /not enabled/.test(e.message)) return null;
          if (e instanceof EtcdServerError && /authentication failed/.test(e.message)) {
            throw new OpsError('unauthorized', `etcd at ${this.o.url} rejected user ${this.o.username}: ${e.message}`, 'check username and password in the profile');
          }
          throw mapError(e, this.o);
        });
      // A failed login must not be cached: the next command tries again.
      pending.catch(() => {
        if (this.token === pending) this.token = null;
      });
      this.token = pending;
    }
    return this.token;
  }

  private post(path: string, body: unknown, token: string | null, opts: CallOptions): Promise<unknown> {
    return this.send('POST', path, body, token, opts);
  }

  private async send(method: 'GET' | 'POST', path: string, body: unknown, token: string | null, opts: CallOptions): Promise<unknown> {
    const reply = await this.http.request({ method, path, json: body, headers: token ? { authorization: token } : {}, signal: opts.signal, timeoutMs: opts.timeoutMs });
    let parsed: unknown;
    try {
      parsed = this.http.json(reply);
    } catch (e) {
      if (reply.status !== 404) throw e;
      throw new OpsError('bad-answer', `${this.http.where} has no ${path} (HTTP 404)`, 'opsdeck needs the v3 JSON gateway of etcd 3.4 or later at /v3/; check the url points at an etcd client port');
    }
    const err = (isObject(parsed) ? parsed : {}) as { error?: unknown; message?: unknown; code?: unknown };
    if (reply.status >= 400 || (typeof err.error === 'string' && typeof err.code === 'number')) {
      const message = typeof err.message === 'string' ? err.message : typeof err.error === 'string' ? err.error : `HTTP ${reply.status}`;
      throw new EtcdServerError(typeof err.code === 'number' ? err.code : -1, reply.status, message);
    }
    return parsed;
  }
}

/** Server failures to OpsError kinds (the kit has already mapped the network's: unreachable, timeout, bad answers). */
export function mapError(e: unknown, o: EtcdOptions): unknown {
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
  return e;
}
