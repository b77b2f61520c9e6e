import { OpsError } from '../../core/errors.js';
import type { HttpClient, HttpReply } from '../kit/http.js';
import { isObject } from '../kit/shape.js';
import { snippetOf } from '../kit/snippet.js';

/**
 * Reading what Nacos answered, whatever the family: v1 endpoints answer plain words (`ok`,
 * `true`), flat JSON, or text errors (2.3.2 wraps them as `caused: …;` with HTML-escaped quotes);
 * v2/v3 answer an envelope `{code, message, data}` whose `code` decides, not the HTTP status
 * (3.0.3 answers some failures with HTTP 200 and a non-zero code). Auth failures are Spring
 * error JSON (`{status, error, message, path}`).
 */

export interface Envelope {
  code: number;
  message: string;
  data: unknown;
}

/** An HTML page (a proxy's error page, Spring's Whitelabel page) is never a Nacos answer. */
export function rejectHtml(http: HttpClient, reply: HttpReply): void {
  const type = String(reply.headers['content-type'] ?? '');
  if (/text\/html/i.test(type) || /^\s*<(!doctype|html|head|body)\b/i.test(reply.text)) {
    throw new OpsError('bad-answer', `${http.where} answered HTTP ${reply.status} with an HTML page: ${snippetOf(reply.text)}`, 'check that the url points at Nacos (with its context path, usually /nacos), not a proxy page');
  }
}

/** The v2/v3 envelope; anything else is a bad answer naming the server. */
export function envelope(http: HttpClient, reply: HttpReply, path: string): Envelope {
  rejectHtml(http, reply);
  const body = http.json(reply);
  const s = http.shape(path);
  const o = s.object(body);
  if (typeof o.code !== 'number') throw s.fail('code', 'a number', o.code);
  return { code: o.code, message: typeof o.message === 'string' ? o.message : '', data: o.data };
}

/** The server's own words about a failure, on one line: an envelope's message and data, Spring's message, or the text. */
export function serverText(reply: HttpReply): string {
  let text = reply.text.trim();
  try {
    const body = JSON.parse(text) as unknown;
    if (isObject(body)) {
      const parts = [body.message, typeof body.data === 'string' ? body.data : undefined].filter((p): p is string => typeof p === 'string' && p !== '');
      if (parts.length > 0) text = [...new Set(parts)].join(': ');
    }
  } catch {
    // Plain text: 2.x's v1 errors.
  }
  const unwrapped = /^caused: ([\s\S]*?);?$/.exec(text)?.[1] ?? text;
  return snippetOf(unescapeHtml(unwrapped), 300);
}

/** A write or read the server refused, with its words verbatim (exit 1: the server is there and said no). */
export function refused(http: HttpClient, what: string, reply: HttpReply): OpsError {
  return new OpsError('backend', `${http.where} refused to ${what} (HTTP ${reply.status}): ${serverText(reply)}`, 'the message above is Nacos\' own; see the Nacos server log for more');
}

/** A v1 write answers one word (`ok`, `true`) on success; anything else is the server's refusal. */
export function expectWord(http: HttpClient, reply: HttpReply, word: string, what: string): void {
  if (reply.status === 200 && reply.text.trim() === word) return;
  rejectHtml(http, reply);
  throw refused(http, what, reply);
}

/** The data of a successful envelope; otherwise the server's refusal. */
export function envelopeData(http: HttpClient, reply: HttpReply, path: string, what: string): unknown {
  const env = envelope(http, reply, path);
  if (env.code !== 0) throw refused(http, what, reply);
  return env.data;
}

/** A v1 JSON answer: HTTP 200 with JSON; anything else is the server's refusal. */
export function legacyJson(http: HttpClient, reply: HttpReply, what: string): unknown {
  rejectHtml(http, reply);
  if (reply.status !== 200) throw refused(http, what, reply);
  return http.json(reply);
}

function unescapeHtml(s: string): string {
  return s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
