import { OpsError, usage } from '../../core/errors.js';
import type { LoadPlan, LoadTarget } from '../../loadgen/load-types.js';
import type { Ctx, Values } from '../types.js';
import type { LOAD_OPTIONS } from './load-options.js';

type LoadOpts = Values<typeof LOAD_OPTIONS>;

/** A target URL as typed: http or https with a host, or a usage error that shows the form. */
export function targetUrl(text: string, what = 'the URL'): URL {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // Falls through to the error below.
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw usage(`${what} "${text}" is not an http:// or https:// URL`, 'give a full URL, for example http://localhost:8080/health');
  }
  return url;
}

/** `-H "Name: value"` lines as a header record; a line without a name and a colon is a usage error. */
export function readHeaders(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw usage(`-H takes "Name: value", not "${line}"`, 'for example -H "Accept: application/json"');
    out[name] = line.slice(colon + 1).trim();
  }
  return out;
}

/** `--body TEXT` as its UTF-8 bytes, `--body @path` as the file's content. */
export async function readBody(ctx: Pick<Ctx, 'readFile'>, body: string | undefined): Promise<Uint8Array | undefined> {
  if (body === undefined) return undefined;
  if (!body.startsWith('@')) return new TextEncoder().encode(body);
  const path = body.slice(1);
  if (path === '') throw usage('--body @ names no file', 'give --body @path/to/file, or the body text itself');
  try {
    return new TextEncoder().encode(await ctx.readFile(path));
  } catch (e) {
    const why = e instanceof OpsError ? e.message.replace(/^cannot read [^:]*: /, '') : String(e);
    throw usage(`cannot read the body file ${path}: ${why}`, 'check the path after @ (relative to the current directory)');
  }
}

/** The engine's plan from the command's load flags and the targets it aims at. */
export async function loadPlan(ctx: Pick<Ctx, 'readFile'>, opts: LoadOpts, given: ReadonlySet<string>, targets: LoadTarget[]): Promise<LoadPlan> {
  const method = opts.method.toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw usage(`-X takes an HTTP method, not "${opts.method}"`, 'for example -X POST');
  const body = await readBody(ctx, opts.body);
  // -n alone runs until that many answers; -d (given, or by default) bounds the time.
  const byCount = given.has('requests') && !given.has('duration');
  const plan: LoadPlan = {
    targets,
    method,
    headers: readHeaders(opts.header),
    connections: opts.connections,
    workers: Math.min(opts.threads, opts.connections),
    timeoutMs: opts.timeout,
    keepAlive: !opts['no-keepalive'],
    pipelining: opts.pipelining,
  };
  if (!byCount) plan.durationMs = opts.duration;
  if (opts.requests !== undefined) plan.requests = opts.requests;
  if (body !== undefined) plan.body = body;
  if (opts.rate !== undefined) plan.rate = opts.rate;
  if (opts.connections < targets.length) throw usage(`-c ${opts.connections} is fewer connections than the ${targets.length} targets`, `give -c ${targets.length} or more, so every target gets one`);
  return plan;
}
