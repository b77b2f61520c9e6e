import { usage } from '../core/errors.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The bytes of one HTTP/1.1 request, built once and written as-is for every request of a load.
 * Only Host (and Content-Length with a body, Connection: close without keep-alive) is added, as wrk
 * does: every header costs the server time to parse.
 */
export function requestBytes(url: URL, method: string, headers: Record<string, string>, body: Uint8Array | undefined, keepAlive: boolean): Buffer {
  if (!TOKEN.test(method)) throw usage(`invalid HTTP method "${method}"`, 'use a method name such as GET or POST');
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`];
  const given = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  if (!given.has('host')) lines.push(`Host: ${url.host}`);
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw usage(`invalid header name "${name}"`, 'header names are letters, digits and - (e.g. -H "X-Trace: 1")');
    if (/[\r\n]/.test(value)) throw usage(`the value of header ${name} contains a line break`, 'give each header on one line');
    lines.push(`${name}: ${value}`);
  }
  if (body && body.length > 0 && !given.has('content-length')) lines.push(`Content-Length: ${body.length}`);
  if (!keepAlive && !given.has('connection')) lines.push('Connection: close');
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
  return body && body.length > 0 ? Buffer.concat([head, body]) : head;
}
