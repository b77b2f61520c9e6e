import { OpsError } from '../../core/errors.js';
import { HttpClient, type HttpReply, type HttpRequest } from '../kit/http.js';
import { isObject, type AnswerShape } from '../kit/shape.js';
import { snippetOf } from '../kit/snippet.js';
import type { EurekaOptions } from './options.js';

/**
 * Eureka's REST API over the kit's HTTP client: one deadline and a size cap per exchange, basic
 * auth when the profile gives credentials, and the answers Eureka never gives read as what they
 * are. Eureka answers XML unless asked for JSON, so every request says `Accept: application/json`
 * and an XML body means something in between dropped that header; an HTML page is a proxy's (or
 * the dashboard, when the url lacks /eureka).
 */
export class EurekaHttp {
  readonly where: string;
  private readonly http: HttpClient;

  constructor(readonly o: EurekaOptions) {
    this.http = new HttpClient({
      name: 'Eureka',
      url: o.url,
      timeoutMs: o.timeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      ...(o.username !== undefined ? { auth: { basic: { username: o.username, password: o.password ?? '' } } } : {}),
      hints: {
        tooLarge: 'raise maxResponseBytes in the profile (Eureka sends the whole registry in one answer)',
        unreachable: 'check the url in the profile (with its REST path, usually /eureka) and that Eureka is up',
        notProtocol: 'check that the url points at Eureka\'s REST root (usually ending in /eureka), not a proxy page or the dashboard',
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

  /** One exchange; a refused login is 'unauthorized' (exit 3), any other status is the caller's to read. */
  async send(req: HttpRequest): Promise<HttpReply> {
    const reply = await this.http.request(req);
    if (reply.status === 401 || reply.status === 403) {
      const at = req.path.split('?')[0];
      throw this.o.username === undefined
        ? new OpsError('unauthorized', `${this.where} wants credentials for ${at} (HTTP ${reply.status})`, 'set username and password in the profile (the password may come from ${EUREKA_PASSWORD} or ${file:...})')
        : new OpsError('unauthorized', `${this.where} refused user ${this.o.username} for ${at} (HTTP ${reply.status})`, 'check username and password in the profile');
    }
    return reply;
  }

  /** The JSON body of a 200 answer; XML, HTML or anything else is a bad answer that quotes it. */
  json(reply: HttpReply, path: string): unknown {
    const type = String(reply.headers['content-type'] ?? '');
    if (/xml/i.test(type) || /^\s*<\?xml\b|^\s*<(applications|application|instance)\b/.test(reply.text)) {
      throw new OpsError('bad-answer', `${this.where} answered ${path.split('?')[0]} with XML, not JSON: ${snippetOf(reply.text)}`, 'something between opsdeck and Eureka drops the "Accept: application/json" header (a proxy?); point the url at Eureka itself');
    }
    const html = this.htmlPage(reply);
    if (html) throw html;
    return this.http.json(reply);
  }

  /**
   * A write or read Eureka refused, with its own words (exit 1: the server is there and said no);
   * an HTML page (a proxy's 502) is no refusal of Eureka's but a bad answer (exit 3).
   */
  refused(what: string, reply: HttpReply): OpsError {
    return this.htmlPage(reply) ?? new OpsError('backend', `${this.where} refused to ${what} (HTTP ${reply.status}): ${serverText(reply)}`, 'the message above is Eureka\'s own; see the Eureka server log for more');
  }

  /** An HTML page (a proxy's error page, the dashboard) is never Eureka's REST API answering. */
  private htmlPage(reply: HttpReply): OpsError | null {
    const type = String(reply.headers['content-type'] ?? '');
    if (!/text\/html/i.test(type) && !/^\s*<(!doctype|html|head|body)\b/i.test(reply.text)) return null;
    return new OpsError('bad-answer', `${this.where} answered HTTP ${reply.status} with an HTML page: ${snippetOf(reply.text)}`, 'check that the url points at Eureka\'s REST root (usually ending in /eureka), not a proxy page or the dashboard');
  }
}

/** What a failed answer says, on one line: Spring's error JSON (`error`, `message`), Eureka's `{"error": …}`, or the text. */
export function serverText(reply: HttpReply): string {
  const text = reply.text.trim();
  try {
    const body = JSON.parse(text) as unknown;
    if (isObject(body)) {
      const parts = [body.error, body.message].filter((p): p is string => typeof p === 'string' && p !== '');
      if (parts.length > 0) return snippetOf([...new Set(parts)].join(': '), 300);
    }
  } catch {
    // Plain text: Eureka's 400s ("Missing dataCenterInfo").
  }
  return snippetOf(text, 300);
}
