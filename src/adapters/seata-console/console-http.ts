import { OpsError } from '../../core/errors.js';
import { HttpClient } from '../kit/http.js';
import { snippetOf } from '../kit/snippet.js';
import type { SeataConsoleOptions } from './options.js';

/** The console's envelope (common/result/Result, SingleResult, PageResult): code "200" is success. */
export interface Envelope {
  code?: unknown;
  message?: unknown;
  data?: unknown;
  total?: unknown;
  pages?: unknown;
  pageNum?: unknown;
  pageSize?: unknown;
}

/** Renew this long before the token's own expiry, so a request never races it. */
const RENEW_EARLY_MS = 30_000;

/**
 * A logged-in console client. POST /api/v1/auth/login answers `data: "Bearer <jwt>"` (and the same
 * in the Authorization header); every later request sends `Authorization: Bearer <jwt>`. The token
 * is renewed before its `exp`, and once more when the server still says 401 (clock skew, a server
 * restart with a new key). The password and token never appear in a message.
 */
export class ConsoleHttp {
  private token: string | null = null;
  private expiresAt: number | null = null;
  private loggingIn: Promise<void> | null = null;
  private readonly http: HttpClient;

  constructor(private readonly o: SeataConsoleOptions, private readonly now: () => number = Date.now) {
    this.http = new HttpClient({
      name: 'Seata console',
      url: o.url,
      timeoutMs: o.timeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      hints: { tooLarge: 'lower pageSize, or raise maxResponseBytes in the profile', unreachable: 'check the url in the profile and that the Seata server is up' },
    });
  }

  /** Closes the connections, so a one-shot run exits at once. */
  async close(): Promise<void> {
    await this.http.close();
  }

  async get(path: string, params: Record<string, string | number | boolean | undefined>, signal?: AbortSignal): Promise<Envelope> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    const url = `${path}?${q}`;
    if (this.token === null || (this.expiresAt !== null && this.now() > this.expiresAt - RENEW_EARLY_MS)) await this.login();
    let res = await this.send(url, 'GET', undefined, signal);
    if (this.isUnauthorized(res)) {
      await this.login(true);
      res = await this.send(url, 'GET', undefined, signal);
      if (this.isUnauthorized(res)) throw new OpsError('unauthorized', `${this.o.url} refused a fresh token for ${path}`, 'check that the console user may read transactions');
    }
    return this.envelope(res, path);
  }

  private isUnauthorized(res: Reply): boolean {
    return res.status === 401 || res.status === 403 || (res.body !== null && String((res.body as Envelope).code) === '401');
  }

  private async login(force = false): Promise<void> {
    // Concurrent requests share one login.
    if (this.loggingIn) return this.loggingIn;
    if (!force && this.token !== null && (this.expiresAt === null || this.now() <= this.expiresAt - RENEW_EARLY_MS)) return;
    this.loggingIn = (async () => {
      const res = await this.send('/api/v1/auth/login', 'POST', { username: this.o.username, password: this.o.password });
      const body = res.body as Envelope | null;
      if (res.status === 401 || res.status === 403 || (body && String(body.code) === '401')) {
        throw new OpsError('unauthorized', `${this.o.url} rejected the login of console user ${this.o.username}`, 'check username and password in the profile');
      }
      const env = this.envelope(res, '/api/v1/auth/login');
      const bearer = typeof env.data === 'string' && env.data !== '' ? env.data : res.authorization;
      const jwt = bearer?.replace(/^Bearer\s+/i, '').trim();
      if (!jwt) throw new OpsError('backend', `${this.o.url} answered the login without a token`, 'check that the URL is the Seata console (server.port, 7091 by default)');
      this.token = jwt;
      this.expiresAt = jwtExpiry(jwt);
    })();
    try {
      await this.loggingIn;
    } finally {
      this.loggingIn = null;
    }
  }

  /** `path` may carry its query string; the token goes with every GET. */
  private async send(path: string, method: 'GET' | 'POST', body: object | undefined, signal?: AbortSignal): Promise<Reply> {
    const res = await this.http.request({ method, path, json: body, headers: this.token && method === 'GET' ? { authorization: `Bearer ${this.token}` } : {}, signal });
    const text = res.text;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const auth = res.headers.authorization;
    return { status: res.status, body: parsed && typeof parsed === 'object' ? parsed : null, text, authorization: typeof auth === 'string' ? auth : undefined };
  }

  private envelope(res: Reply, path: string): Envelope {
    if (res.body === null) {
      throw new OpsError('bad-answer', `${this.o.url}${path} answered HTTP ${res.status} with a body that is not the console API: ${snippetOf(res.text)}`, 'check that the URL is the Seata console, not a proxy page');
    }
    const b = res.body as Envelope & { status?: unknown; error?: unknown };
    if (res.status >= 400) {
      // Spring's error body: {timestamp, status, error, message, path}.
      const why = [b.error, b.message].filter((x) => typeof x === 'string' && x !== '').join(': ') || `HTTP ${res.status}`;
      throw new OpsError('backend', `${this.o.url}${path} failed (HTTP ${res.status}): ${why}`, 'see the Seata server log');
    }
    if (String(b.code) !== '200') {
      throw new OpsError('backend', `${this.o.url}${path} failed (code ${String(b.code)}): ${typeof b.message === 'string' ? b.message : 'no message'}`, 'see the Seata server log');
    }
    return b;
  }
}

interface Reply {
  status: number;
  body: object | null;
  text: string;
  authorization: string | undefined;
}

/** The `exp` claim of a JWT in epoch ms, read without verifying (the server verifies); null when absent. */
export function jwtExpiry(jwt: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}
