import { request } from 'undici';
import { OpsError } from '../../core/errors.js';
import type { MetricsAnswer } from '../../core/metrics.js';
import type { PromOptions } from './options.js';

/** Above this many bytes of form data a query goes as POST, so long PromQL never hits URL limits. */
const POST_OVER = 2000;

/**
 * Calls one /api/v1 endpoint and unwraps the envelope. Errors map to kinds by Prometheus'
 * errorType: bad_data is the user's query (exit 2, with the server's words), timeout and
 * unreachable are the backend (exit 3). Bodies that are not JSON (a proxy's error page) and bodies
 * over the size cap become clear errors instead of crashes.
 */
export async function promCall<T>(o: PromOptions, path: string, params: Array<[string, string]>, signal?: AbortSignal): Promise<MetricsAnswer<T>> {
  const form = new URLSearchParams(params).toString();
  const post = form.length > POST_OVER;
  const url = `${o.url}/api/v1/${path}${!post && form ? `?${form}` : ''}`;
  let res;
  try {
    res = await request(url, {
      method: post ? 'POST' : 'GET',
      headers: { accept: 'application/json', ...(post ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...o.headers },
      body: post ? form : undefined,
      headersTimeout: o.timeoutMs,
      bodyTimeout: o.timeoutMs,
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    // An abort is the caller walking away (a pane closed), not the server failing.
    if (signal?.aborted) throw new OpsError('failed', `the request to ${o.url} was cancelled`, 'nothing to do');
    const code = (e as { code?: string }).code ?? '';
    if (/TIMEOUT/i.test(code)) throw new OpsError('timeout', `${o.url} did not answer within ${o.timeoutMs} ms`, 'narrow the query or raise timeoutMs in the profile');
    throw new OpsError('unreachable', `${o.url} is unreachable: ${(e as Error).message}`, 'check the URL in the profile and that the server is up');
  }
  const text = await readCapped(res.body, o.maxResponseBytes, o.url).catch((e: unknown) => {
    if (signal?.aborted) throw new OpsError('failed', `the request to ${o.url} was cancelled`, 'nothing to do');
    throw e;
  });
  let body: { status?: string; data?: T; errorType?: string; error?: string; warnings?: string[]; infos?: string[] };
  try {
    body = JSON.parse(text);
  } catch {
    const snippet = text.replace(/\s+/g, ' ').slice(0, 160);
    if (res.statusCode === 401 || res.statusCode === 403) throw new OpsError('unauthorized', `${o.url} refused the request (HTTP ${res.statusCode})`, 'check bearerToken, basicAuth or headers in the profile');
    // httpStatus lets a caller tell "no such endpoint" (how Thanos detection sees a plain Prometheus) from a failure.
    throw new OpsError('backend', `${o.url} answered HTTP ${res.statusCode} with a body that is not the Prometheus API: ${snippet}`, 'check that the URL points at Prometheus or Thanos Query, not a proxy page', { httpStatus: res.statusCode });
  }
  if (body.status !== 'success') {
    const msg = body.error ?? `HTTP ${res.statusCode}`;
    switch (body.errorType) {
      case 'bad_data':
        throw new OpsError('usage', `the server rejected the query: ${msg}`, 'fix the PromQL (or the time range and step)');
      case 'timeout':
      case 'canceled':
        throw new OpsError('timeout', `the query timed out on the server: ${msg}`, 'narrow the query or the time range');
      default:
        if (res.statusCode === 401 || res.statusCode === 403) throw new OpsError('unauthorized', `${o.url} refused the request: ${msg}`, 'check bearerToken, basicAuth or headers in the profile');
        throw new OpsError('backend', `the server failed the request (${body.errorType ?? res.statusCode}): ${msg}`, 'see the server log', { httpStatus: res.statusCode });
    }
  }
  return { data: body.data as T, warnings: [...(body.warnings ?? []), ...(body.infos ?? []).map((i) => `info: ${i}`)] };
}

async function readCapped(body: AsyncIterable<Buffer>, max: number, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      // Stop reading: the rest is discarded with the connection.
      (body as unknown as { destroy?: () => void }).destroy?.();
      throw new OpsError('backend', `${url} sent more than ${Math.round(max / 1048576)} MiB for one answer`, 'narrow the query, or raise maxResponseBytes in the profile');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
