import { OpsError } from '../../core/errors.js';
import type { MetricsAnswer } from '../../core/metrics.js';
import { HttpClient } from '../kit/http.js';
import type { AnswerShape } from '../kit/shape.js';
import type { PromOptions } from './options.js';

/** Above this many bytes of form data a query goes as POST, so long PromQL never hits URL limits. */
const POST_OVER = 2000;

/**
 * The Prometheus HTTP API (/api/v1/...) over the kit's HTTP client, which bounds each exchange in
 * time and size and names the server in every error. Unwraps the envelope; errors map to kinds by
 * Prometheus' errorType: bad_data is the user's query (exit 2, with the server's words), timeout
 * and unreachable are the backend (exit 3). The data is returned unchecked, for the caller to read
 * through `shape(path)`.
 */
export class PromHttp {
  private readonly http: HttpClient;

  constructor(private readonly o: PromOptions) {
    this.http = new HttpClient({
      name: o.type === 'thanos' ? 'Thanos Query' : 'Prometheus',
      url: o.url,
      timeoutMs: o.timeoutMs,
      maxResponseBytes: o.maxResponseBytes,
      headers: o.headers,
      protocol: 'the Prometheus API',
      hints: {
        timeout: 'narrow the query, or raise timeoutMs in the metrics profile (it bounds the whole exchange: connect, headers and body)',
        tooLarge: 'narrow the query, or raise maxResponseBytes in the metrics profile',
        notProtocol: 'check that the url points at Prometheus or Thanos Query, not a proxy page or another service',
      },
    });
  }

  /** "Prometheus at http://…": how messages name the server. */
  get where(): string {
    return this.http.where;
  }

  shape(path: string): AnswerShape {
    return this.http.shape(`/api/v1/${path}`);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  async call(path: string, params: Array<[string, string]>, signal?: AbortSignal): Promise<MetricsAnswer<unknown>> {
    const post = new URLSearchParams(params).toString().length > POST_OVER;
    const reply = await this.http.request({ path: `/api/v1/${path}`, ...(post ? { form: params } : { query: params }), signal });
    const denied = reply.status === 401 || reply.status === 403;
    let parsed: unknown;
    try {
      parsed = this.http.json(reply);
    } catch (e) {
      if (denied) throw new OpsError('unauthorized', `${this.where} refused the request (HTTP ${reply.status})`, 'check bearerToken, basicAuth or headers in the profile');
      throw e;
    }
    const s = this.shape(path);
    const body = s.object(parsed);
    if (body.status !== 'success') {
      const msg = typeof body.error === 'string' ? body.error : `HTTP ${reply.status}`;
      switch (body.errorType) {
        case 'bad_data':
          throw new OpsError('usage', `the server rejected the query: ${msg}`, 'fix the PromQL (or the time range and step)');
        case 'timeout':
        case 'canceled':
          throw new OpsError('timeout', `the query timed out on the server: ${msg}`, 'narrow the query or the time range');
        default:
          if (denied) throw new OpsError('unauthorized', `${this.where} refused the request: ${msg}`, 'check bearerToken, basicAuth or headers in the profile');
          // httpStatus lets a caller tell "no such endpoint" (how Thanos detection sees a plain Prometheus) from a failure.
          throw new OpsError('backend', `the server failed the request (${typeof body.errorType === 'string' ? body.errorType : reply.status}): ${msg}`, 'see the server log', { httpStatus: reply.status });
      }
    }
    const notes = (key: string) => s.arrayOf(body[key] ?? [], key, (v, at) => s.string(v, at));
    return { data: body.data, warnings: [...notes('warnings'), ...notes('infos').map((i) => `info: ${i}`)] };
  }
}
