import { setMaxListeners } from 'node:events';
import type { Agent, Dispatcher } from 'undici';
import { OpsError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import { AnswerShape } from './shape.js';
import { formatBytes, snippetOf } from './snippet.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Credentials sent as the Authorization header of every request. */
export type HttpAuth = { basic: { username: string; password: string } } | { bearer: string };

type Params = Array<[string, string]> | Record<string, string | number | boolean | undefined>;

/** The next step offered for each way an exchange can fail; each has a default naming the profile key. */
export interface HttpHints {
  timeout: string;
  tooLarge: string;
  unreachable: string;
  notProtocol: string;
}

export interface HttpClientOptions {
  /** What messages call the server: "etcd", "Prometheus", "Seata console". */
  name: string;
  /** Base URL without credentials; request paths are appended to it. */
  url: string;
  /** The whole exchange (connect, headers and body) must end within this. */
  timeoutMs: number;
  /** The most bytes one answer may have; more is refused, not buffered. */
  maxResponseBytes: number;
  /** Sent with every request (tenant ids, a fixed Authorization). */
  headers?: Record<string, string>;
  auth?: HttpAuth;
  /** What a good body is, for "a body that is not …" messages; "JSON" by default. */
  protocol?: string;
  /**
   * TLS for https URLs: a CA (PEM) to trust besides the system's (a Kubernetes cluster's own CA),
   * or `insecure` to skip verifying the server's certificate (a test cluster; never the default).
   */
  tls?: { ca?: string; insecure?: boolean };
  hints?: Partial<HttpHints>;
}

export interface HttpRequest {
  method?: HttpMethod;
  /** Appended to the base URL, e.g. "/v3/kv/range". */
  path: string;
  query?: Params;
  /** A JSON body (sent as application/json). */
  json?: unknown;
  /** A form body (sent as application/x-www-form-urlencoded). */
  form?: Params;
  /** A raw body sent as it is (a Consul KV value), as text/plain unless `headers` name another type. */
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** The caller walking away (Ctrl-C, a pane closing) aborts the exchange at once. */
  signal?: AbortSignal;
  /** Overrides the client's deadline for this exchange (a request that blocks on purpose). */
  timeoutMs?: number;
}

/** A streamed answer: status and headers, then the body chunk by chunk until it ends or `close`. */
export interface HttpStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  chunks(): AsyncIterable<Buffer>;
  close(): void;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The whole body as UTF-8 text, at most maxResponseBytes. */
  text: string;
}

/** setTimeout fires at once for delays past this (about 24.8 days), so longer deadlines are cut to it. */
const MAX_TIMER_MS = 2_147_483_647;

/** Error codes of a connection that could not be made or was lost: the server is not there for us. */
const UNREACHABLE = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EPIPE|ETIMEDOUT|EADDRNOTAVAIL|UND_ERR_SOCKET|UND_ERR_CLOSED)$/;

let undici: Promise<typeof import('undici')> | undefined;
/**
 * undici (about 0.1 s of CPU to load) is loaded by the first exchange, not with the adapter: a
 * command that builds an HTTP adapter and never sends (an offline check, a console that has not
 * opened that pane yet) does not pay for it, and the console's first frame does not wait for it.
 */
function loadUndici(): Promise<typeof import('undici')> {
  // Bundled, a CommonJS package imported dynamically has only a default export (its
  // module.exports); Node's own loader gives the same object as default too.
  return (undici ??= import('undici').then((m) => (m as unknown as { default?: typeof m }).default ?? m));
}

/**
 * One HTTP client per adapter over undici: its own connection pool (closed by `close`, so a one-shot
 * run exits at once), one deadline for the whole exchange, bodies capped before they fill memory,
 * and every failure turned into an OpsError that names the server (URL redacted) in one line:
 * unreachable, timeout and bad answers all exit 3; a caller's abort is 'failed'.
 */
export class HttpClient {
  /** "etcd at http://127.0.0.1:2379": how every message names the server. */
  readonly where: string;
  private agent: Agent | null = null;
  private readonly hints: HttpHints;

  constructor(private readonly o: HttpClientOptions) {
    this.where = `${o.name} at ${redactText(o.url)}`;
    this.hints = {
      timeout: `check the server, or raise timeoutMs in the profile (it bounds the whole exchange: connect, headers and body)`,
      tooLarge: 'narrow the request, or raise maxResponseBytes in the profile',
      unreachable: 'check the url in the profile and that the server is up',
      notProtocol: `check that the url points at ${o.name}, not a proxy page or another service`,
      ...o.hints,
    };
  }

  /** Closes every connection; an exchange still running (a blocking request) ends as cancelled. */
  async close(): Promise<void> {
    await this.agent?.destroy().catch(() => undefined);
  }

  /** One exchange; resolves with any HTTP status (the adapter knows what its server's 4xx mean). */
  async request(req: HttpRequest): Promise<HttpReply> {
    const x = this.begin(req);
    let body: { destroy(): void } | undefined;
    try {
      const res = await this.send(req, x.stop.signal);
      body = res.body;
      const text = await this.readCapped(res.body, res.headers['content-length']);
      return { status: res.statusCode, headers: res.headers, text };
    } catch (e) {
      body?.destroy();
      throw this.failure(e, req, x.state);
    } finally {
      x.release();
    }
  }

  /**
   * A long-lived answer read as it arrives (etcd's watch stream): the deadline covers the exchange
   * only until the headers come; after that the caller's signal ends it, or `close`. The body is
   * handed out in chunks as they come and is not capped here: the caller caps what it buffers
   * (one frame at most `maxResponseBytes`, say).
   */
  async stream(req: HttpRequest): Promise<HttpStream> {
    const x = this.begin(req);
    let res: Dispatcher.ResponseData;
    try {
      res = await this.send(req, x.stop.signal);
    } catch (e) {
      x.release();
      throw this.failure(e, req, x.state);
    }
    x.endDeadline();
    const body = res.body;
    const broken = (e: unknown) => this.failure(e, req, x.state);
    return {
      status: res.statusCode,
      headers: res.headers,
      async *chunks() {
        try {
          for await (const chunk of body) yield chunk as Buffer;
        } catch (e) {
          // Closed by us or by the caller: the stream just ends.
          if (x.stop.signal.aborted) return;
          throw broken(e);
        } finally {
          x.release();
        }
      },
      close() {
        x.stop.abort();
        body.destroy();
        x.release();
      },
    };
  }

  /** The deadline and the caller's signal for one exchange, both ending it through `stop`. */
  private begin(req: HttpRequest) {
    const state = { timedOut: false, timeoutMs: clampTimer(req.timeoutMs ?? this.o.timeoutMs) };
    const stop = new AbortController();
    const deadline = setTimeout(() => {
      state.timedOut = true;
      stop.abort();
    }, state.timeoutMs);
    const onCallerAbort = () => stop.abort();
    // Every request in flight listens to its caller's signal until it ends: a listing over several
    // backends holds more than Node's default of 10 at once, which is no leak, and the warning
    // Node would print lands on the console's screen. Raised here, where the listeners are added.
    if (req.signal) setMaxListeners(0, req.signal);
    req.signal?.addEventListener('abort', onCallerAbort);
    if (req.signal?.aborted) stop.abort();
    return {
      stop,
      state,
      endDeadline: () => clearTimeout(deadline),
      release: () => {
        clearTimeout(deadline);
        req.signal?.removeEventListener('abort', onCallerAbort);
      },
    };
  }

  private async send(req: HttpRequest, signal: AbortSignal) {
    const { Agent, request } = await loadUndici();
    this.agent ??= new Agent({
      connect: {
        timeout: clampTimer(this.o.timeoutMs),
        ...(this.o.tls?.ca !== undefined ? { ca: this.o.tls.ca } : {}),
        ...(this.o.tls?.insecure ? { rejectUnauthorized: false } : {}),
      },
    });
    return request(this.urlOf(req), {
      method: req.method ?? (req.json !== undefined || req.form !== undefined || req.body !== undefined ? 'POST' : 'GET'),
      headers: this.headersOf(req),
      body: req.json !== undefined ? JSON.stringify(req.json) : req.form !== undefined ? new URLSearchParams(entries(req.form)).toString() : req.body,
      signal,
      dispatcher: this.agent,
      // The deadline covers headers and body together; undici's own per-phase timers are off.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** What a failed exchange was: ours already, the deadline, the caller walking away, or the network. */
  private failure(e: unknown, req: HttpRequest, state: { timedOut: boolean; timeoutMs: number }): unknown {
    if (e instanceof OpsError) return e;
    if (state.timedOut) return this.timeoutError(req.path, state.timeoutMs);
    if (req.signal?.aborted) return new OpsError('failed', `the request to ${this.where} was cancelled`, 'run the command again');
    return this.mapError(e);
  }

  /** The reply's body as JSON, or a bad-answer error that quotes what came back instead. */
  json(reply: HttpReply): unknown {
    try {
      return JSON.parse(reply.text);
    } catch {
      // httpStatus lets an adapter tell "no such endpoint" (a 404 page) from a broken server.
      throw new OpsError('bad-answer', `${this.where} answered HTTP ${reply.status} with a body that is not ${this.o.protocol ?? 'JSON'}: ${snippetOf(reply.text)}`, this.hints.notProtocol, { httpStatus: reply.status });
    }
  }

  /** `request` then `json`, for servers that answer JSON whatever the status. */
  async requestJson(req: HttpRequest): Promise<{ status: number; headers: HttpReply['headers']; body: unknown }> {
    const reply = await this.request(req);
    return { status: reply.status, headers: reply.headers, body: this.json(reply) };
  }

  /** Shape checks for the answer to `path`; their errors name this server and the request. */
  shape(path: string): AnswerShape {
    return new AnswerShape(`${this.where} (${path.split('?')[0]})`, this.hints.notProtocol);
  }

  private urlOf(req: HttpRequest): string {
    const query = req.query === undefined ? '' : new URLSearchParams(entries(req.query)).toString();
    return `${this.o.url}${req.path}${query ? `${req.path.includes('?') ? '&' : '?'}${query}` : ''}`;
  }

  private headersOf(req: HttpRequest): Record<string, string> {
    const auth = this.o.auth;
    return {
      accept: 'application/json',
      ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(req.form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(req.body !== undefined ? { 'content-type': 'text/plain; charset=utf-8' } : {}),
      ...this.o.headers,
      ...(auth && 'basic' in auth ? { authorization: `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64')}` } : {}),
      ...(auth && 'bearer' in auth ? { authorization: `Bearer ${auth.bearer}` } : {}),
      ...req.headers,
    };
  }

  /**
   * Reads the body up to the cap. A Content-Length over the cap is refused before a byte is read;
   * a streamed (chunked) answer is cut the moment it passes the cap.
   */
  private async readCapped(body: AsyncIterable<Buffer>, contentLength: string | string[] | undefined): Promise<string> {
    const max = this.o.maxResponseBytes;
    const announced = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
    if (Number.isFinite(announced) && announced > max) {
      throw new OpsError('bad-answer', `${this.where} would send ${announced} bytes for one answer, more than the ${formatBytes(max)} allowed`, this.hints.tooLarge);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > max) throw new OpsError('bad-answer', `${this.where} sent more than ${formatBytes(max)} for one answer`, this.hints.tooLarge);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private timeoutError(path: string, timeoutMs: number): OpsError {
    return new OpsError('timeout', `${this.where} did not finish answering ${path.split('?')[0]} within ${timeoutMs} ms`, this.hints.timeout);
  }

  /** Client errors by code; an error without one is not the network's doing and goes on as it is (a bug). */
  private mapError(e: unknown): unknown {
    const err = e as { code?: unknown; message?: unknown; errors?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    const detail = oneLine(e);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new OpsError('timeout', `${this.where} did not accept a connection within ${clampTimer(this.o.timeoutMs)} ms`, this.hints.timeout);
    // The server answered, but not in HTTP (a Redis or database port, say).
    if (code.startsWith('HPE_') || (e as Error)?.name === 'HTTPParserError') return new OpsError('bad-answer', `${this.where} answered with something that is not HTTP: ${detail}`, this.hints.notProtocol);
    if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_ABORTED') return new OpsError('failed', `the request to ${this.where} was cancelled`, 'run the command again');
    if (code === 'UND_ERR_INVALID_ARG') return new OpsError('config', `${this.where}: ${detail}`, 'check the url and headers in the profile');
    if (UNREACHABLE.test(code) || /^(ERR_TLS_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code) || err.errors !== undefined) {
      return new OpsError('unreachable', `${this.where} is unreachable: ${detail}`, this.hints.unreachable);
    }
    if (code !== '') return new OpsError('unreachable', `${this.where} failed: ${detail}`, this.hints.unreachable);
    return e;
  }
}

function entries(p: Params): Array<[string, string]> {
  if (Array.isArray(p)) return p;
  return Object.entries(p).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]]));
}

function clampTimer(ms: number): number {
  return Math.max(1, Math.min(Math.floor(ms), MAX_TIMER_MS));
}

/**
 * A client error as one line. Node reports a refused connection to a name with several addresses
 * as an AggregateError with an empty message; its parts say what happened.
 */
function oneLine(e: unknown): string {
  const err = e as { message?: unknown; code?: unknown; errors?: unknown };
  const parts = Array.isArray(err.errors) ? err.errors.map((x) => String((x as Error)?.message ?? x)) : [];
  const message = typeof err.message === 'string' && err.message !== '' ? err.message : parts.length > 0 ? [...new Set(parts)].join('; ') : typeof err.code === 'string' ? err.code : String(e);
  return redactText(message).replace(/\s+/g, ' ').trim();
}
