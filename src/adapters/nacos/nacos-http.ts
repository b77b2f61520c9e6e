import { OpsError } from '../../core/errors.js';
import { HttpClient, type HttpReply, type HttpRequest } from '../kit/http.js';
import type { AnswerShape } from '../kit/shape.js';
import type { NacosOptions } from './options.js';
import { rejectHtml, serverText } from './replies.js';
import { probeServer, type ApiLevel, type ServerFacts } from './server-facts.js';

/** The token when the server gives no TTL (Nacos' default, 18000 s). */
const DEFAULT_TTL_MS = 18_000_000;

/**
 * A 403 that says the token itself is bad: log in again once and repeat the request. "Invalid
 * signature" is a token signed with another key (a server restarted with a new
 * token.secret.key, or a cluster node that does not share it).
 */
const TOKEN_REJECTED = /token (expired|invalid)|invalid signature/i;
/** 403 words of Nacos' auth (2.x plain, 3.x "Code: 401, Message: …"); other 403s (a history id of another config) are not about auth. */
const AUTH_REFUSAL = /user not found|token (expired|invalid)|invalid signature|authorization failed|Code: 40[13]\b|unknown user|not login/i;

/**
 * A v1/v2 path that Nacos 3.0/3.1 answers with HTTP 410 Gone (its compatibility switches off):
 * `withApi` moves the adapter to the v3 admin API and runs the operation again.
 */
export class ApiGone extends OpsError {
  constructor(where: string, path: string, words: string) {
    super('unsupported', `${where} no longer serves ${path} (HTTP 410 Gone): ${words}`, 'remove apiVersion from the profile, or pin v3 for Nacos 3.x');
  }
}

/**
 * Nacos over the kit's HTTP client: one deadline and a size cap per exchange, the server probed
 * once, and the login. The token lives in memory only and travels in the Authorization header,
 * never in a URL (URLs reach messages); it is renewed before its `tokenTtl` runs out and once
 * more when a request is refused with "token expired" or "token invalid" (a restarted server with
 * a new key, clock skew). The password goes only into the login's form body.
 */
export class NacosHttp {
  readonly where: string;
  private readonly http: HttpClient;
  private token: string | null = null;
  private renewAt = 0;
  private loggingIn: Promise<void> | null = null;
  private facts: Promise<ServerFacts> | null = null;

  constructor(
    readonly o: NacosOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.http = new HttpClient({
      name: 'Nacos',
      url: o.url,
      timeoutMs: o.timeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      hints: {
        tooLarge: 'lower pageSize, or raise maxResponseBytes in the profile',
        unreachable: 'check the url in the profile (with its context path, usually /nacos) and that Nacos is up',
        notProtocol: 'check that the url points at Nacos with its context path (usually /nacos), not a proxy page or another service',
      },
    });
    this.where = this.http.where;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  shape(path: string): AnswerShape {
    return this.http.shape(path);
  }

  /** The kit client, for the reply readers (`replies.ts`). */
  get client(): HttpClient {
    return this.http;
  }

  /** What the server is, probed once per adapter; a failed probe is tried again by the next call. */
  server(): Promise<ServerFacts> {
    if (!this.facts) {
      const pending = probeServer(this.http, this.o.apiVersion);
      pending.catch(() => {
        if (this.facts === pending) this.facts = null;
      });
      this.facts = pending;
    }
    return this.facts;
  }

  /**
   * Runs an operation with the API level in effect. A v1/v2 path answered with 410 moves this
   * adapter to v3 for good and runs the operation once more (a 410 means that call did nothing).
   */
  async withApi<T>(fn: (level: ApiLevel) => Promise<T>): Promise<T> {
    const { level } = await this.server();
    try {
      return await fn(level);
    } catch (e) {
      if (!(e instanceof ApiGone) || level === 'v3') throw e;
      const v3 = probeServer(this.http, 'v3').catch((): ServerFacts => ({ level: 'v3', version: null }));
      this.facts = v3;
      await v3;
      return fn('v3');
    }
  }

  /**
   * One request with the token (after a login when there is none or it is due for renewal). A
   * 403 naming the token is answered by one new login and one retry; other auth refusals are
   * 'unauthorized' (exit 3); a 410 is `ApiGone`. Any other status is the caller's to read.
   */
  async send(req: HttpRequest): Promise<HttpReply> {
    let reply = await this.sendWithToken(req);
    if (this.o.username !== undefined && (reply.status === 403 || reply.status === 401) && TOKEN_REJECTED.test(reply.text)) {
      this.token = null;
      reply = await this.sendWithToken(req);
      if ((reply.status === 403 || reply.status === 401) && TOKEN_REJECTED.test(reply.text)) {
        throw new OpsError('unauthorized', `${this.where} refused a token it had just issued to ${this.o.username} (${serverText(reply)})`, 'check the clocks of the Nacos servers and that all of them share one token.secret.key');
      }
    }
    if ((reply.status === 403 || reply.status === 401) && AUTH_REFUSAL.test(reply.text)) throw this.authRefusal(req.path, reply);
    if (reply.status === 410) throw new ApiGone(this.where, req.path.split('?')[0]!, serverText(reply));
    return reply;
  }

  /** Logs in now (ping uses it to prove the credentials); a server without credentials in the profile is left alone. */
  async authenticate(): Promise<void> {
    if (this.o.username === undefined) return;
    this.token = null;
    await this.ensureToken();
  }

  private async sendWithToken(req: HttpRequest): Promise<HttpReply> {
    if (this.o.username !== undefined) await this.ensureToken();
    const headers = this.token === null ? req.headers : { ...req.headers, authorization: `Bearer ${this.token}` };
    return this.http.request({ ...req, headers });
  }

  private async ensureToken(): Promise<void> {
    if (this.token !== null && this.now() < this.renewAt) return;
    // Concurrent requests share one login.
    if (!this.loggingIn) {
      this.loggingIn = this.login().finally(() => {
        this.loggingIn = null;
      });
    }
    await this.loggingIn;
  }

  private async login(): Promise<void> {
    const { level } = await this.server();
    // 3.x has its own login; its v1 login is a compatibility path that 3.2 removes.
    const paths = level === 'v3' ? ['/v3/auth/user/login', '/v1/auth/login'] : ['/v1/auth/login'];
    for (const [i, path] of paths.entries()) {
      const reply = await this.http.request({ method: 'POST', path, form: { username: this.o.username!, password: this.o.password ?? '' } });
      if (reply.status === 404 && i < paths.length - 1) continue;
      if (reply.status !== 200) {
        rejectHtml(this.http, reply);
        // 3.0 answers a wrong password on its main port with HTTP 500, not 403.
        const note = reply.status === 500 && level === 'v3' ? ' (Nacos 3.0 answers a wrong password with HTTP 500)' : '';
        throw new OpsError('unauthorized', `${this.where} refused the login of user ${this.o.username} (HTTP ${reply.status}: ${serverText(reply)})${note}`, 'check username and password in the profile (the password may come from ${NACOS_PASSWORD} or ${file:...})');
      }
      const body = this.http.json(reply);
      const s = this.http.shape(path);
      const o = s.object(body);
      const token = s.str(o, 'accessToken');
      if (token === '') throw s.fail('accessToken', 'a token', token);
      const ttlMs = typeof o.tokenTtl === 'number' && o.tokenTtl > 0 ? o.tokenTtl * 1000 : DEFAULT_TTL_MS;
      this.token = token;
      this.renewAt = this.now() + ttlMs - Math.min(this.o.tokenRenewBeforeMs, ttlMs / 2);
      return;
    }
  }

  private authRefusal(path: string, reply: HttpReply): OpsError {
    const words = serverText(reply);
    const at = path.split('?')[0];
    if (this.o.username === undefined) return new OpsError('unauthorized', `${this.where} wants a login for ${at} (HTTP ${reply.status}: ${words})`, 'set username and password in the profile (the password may come from ${NACOS_PASSWORD} or ${file:...})');
    if (/authorization failed|Code: 403\b/i.test(reply.text)) {
      return new OpsError('unauthorized', `${this.where}: user ${this.o.username} may not use ${at} (HTTP ${reply.status}: ${words})`, 'give the user\'s role the permission in the Nacos console (Authority Control), or use another user');
    }
    return new OpsError('unauthorized', `${this.where} refused user ${this.o.username} for ${at} (HTTP ${reply.status}: ${words})`, 'check username and password in the profile');
  }
}
