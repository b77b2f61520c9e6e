import { createServer as createNetServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, type HttpClientOptions } from '../../src/adapters/kit/http.js';
import { AnswerShape } from '../../src/adapters/kit/shape.js';
import { snippetOf } from '../../src/adapters/kit/snippet.js';
import { OpsError } from '../../src/core/errors.js';
import { freePort } from '../servers/redis-server.js';
import { startHostile, type HostileServer } from '../servers/hostile-http.js';

/**
 * The adapter kit's HTTP client against servers that misbehave on purpose: every way an exchange
 * can go wrong must end in one OpsError naming the server, with the exit-3 kinds for the server's
 * faults and 'failed' for the caller's own abort. No assertion here is about elapsed time: a client
 * that waited for a body it should have refused would end in a different kind (timeout), or not at
 * all (the test's own timeout).
 */

let server: HostileServer;
const clients: HttpClient[] = [];
const client = (o: Partial<HttpClientOptions> = {}) => {
  const c = new HttpClient({ name: 'Testd', url: server.url, timeoutMs: 5000, maxResponseBytes: 1048576, ...o });
  clients.push(c);
  return c;
};
const failure = async (p: Promise<unknown>): Promise<OpsError> => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OpsError);
  return e as OpsError;
};

beforeAll(async () => {
  server = await startHostile();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.stop();
});

describe('one deadline for the whole exchange', () => {
  it('a body trickled one byte at a time ends at the deadline, naming the server and the limit', async () => {
    server.answer = () => ({ kind: 'trickle', everyMs: 50 });
    const err = await failure(client({ timeoutMs: 400 }).request({ path: '/slow' }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe(`Testd at ${server.url} did not finish answering /slow within 400 ms`);
    expect(err.hint).toMatch(/raise timeoutMs in the profile \(it bounds the whole exchange: connect, headers and body\)/);
    // The connection is closed, not left to trickle on.
    await server.allClosed();
  });

  it('a steady flood under the size cap ends at the deadline too (undici\'s per-chunk timer never fires)', async () => {
    server.answer = () => ({ kind: 'flood', chunkBytes: 65536, everyMs: 50 });
    const err = await failure(client({ timeoutMs: 500, maxResponseBytes: 1 << 30 }).request({ path: '/flood' }));
    expect(err.kind).toBe('timeout');
  });

  it('a per-request deadline overrides the client\'s', async () => {
    server.answer = () => ({ kind: 'silent' });
    const err = await failure(client({ timeoutMs: 60_000 }).request({ path: '/wait', timeoutMs: 300 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain('within 300 ms');
  });
});

describe('the size cap', () => {
  it('refuses a Content-Length over the cap before reading the body', async () => {
    // The server never sends the announced body: a client that tried to read it would time out instead.
    server.answer = () => ({ kind: 'announce', contentLength: 10_000_000_000 });
    const err = await failure(client({ timeoutMs: 3000 }).request({ path: '/big' }));
    expect(err.kind).toBe('bad-answer');
    expect(err.message).toBe(`Testd at ${server.url} would send 10000000000 bytes for one answer, more than the 1 MiB allowed`);
    expect(err.hint).toMatch(/raise maxResponseBytes/);
  });

  it('cuts a streamed (chunked) answer at the cap', async () => {
    server.answer = () => ({ kind: 'flood', chunkBytes: 65536, everyMs: 5 });
    const err = await failure(client({ timeoutMs: 30_000, maxResponseBytes: 300_000 }).request({ path: '/stream' }));
    expect(err.kind).toBe('bad-answer');
    expect(err.message).toBe(`Testd at ${server.url} sent more than 300000 bytes for one answer`);
    await server.allClosed();
  });

  it('reads an answer of exactly the cap', async () => {
    server.answer = () => ({ kind: 'body', body: 'x'.repeat(1000) });
    expect((await client({ maxResponseBytes: 1000 }).request({ path: '/exact' })).text).toHaveLength(1000);
  });
});

describe('failures name the server in one line', () => {
  it("the caller's abort ends an exchange mid-body as cancelled and closes the connection", async () => {
    server.answer = () => ({ kind: 'trickle', everyMs: 20 });
    const ac = new AbortController();
    const pending = client({ timeoutMs: 60_000 }).request({ path: '/watch', signal: ac.signal });
    while (server.seen.length === 0 || server.seen.at(-1)!.url !== '/watch') await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    const err = await failure(pending);
    expect(err.kind).toBe('failed');
    expect(err.message).toBe(`the request to Testd at ${server.url} was cancelled`);
    await server.allClosed();
  });

  it('an already aborted signal sends nothing', async () => {
    const before = server.seen.length;
    const err = await failure(client().request({ path: '/never', signal: AbortSignal.abort() }));
    expect(err.kind).toBe('failed');
    expect(server.seen.length).toBe(before);
  });

  it('a refused connection is unreachable', async () => {
    const port = await freePort();
    const err = await failure(client({ url: `http://127.0.0.1:${port}` }).request({ path: '/' }));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`Testd at http://127.0.0.1:${port} is unreachable: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('an unknown host is unreachable', async () => {
    const err = await failure(client({ url: 'http://no-such-host.invalid:9' }).request({ path: '/' }));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toMatch(/^Testd at http:\/\/no-such-host\.invalid:9 is unreachable: .*(ENOTFOUND|EAI_AGAIN)/);
  });

  it('a server that does not speak HTTP is a bad answer', async () => {
    // Reads what it is sent (so it sees the client hang up), answers like Redis, and hangs up.
    const raw: Server = createNetServer((s) => s.on('error', () => undefined).resume().end('-ERR unknown command\r\n'));
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
      const c = client({ url });
      const err = await failure(c.request({ path: '/' }));
      await c.close();
      expect(err.kind).toBe('bad-answer');
      expect(err.message).toMatch(new RegExp(`^Testd at ${url.replace(/\./g, '\\.')} answered with something that is not HTTP`));
    } finally {
      await new Promise((r) => raw.close(r));
    }
  });

  it('credentials in the url never reach a message', () => {
    expect(client({ url: 'http://alice:hunter2@db.example:80' }).where).toBe('Testd at http://alice:***@db.example:80');
  });

  it('close() ends an exchange still waiting, as cancelled', async () => {
    server.answer = () => ({ kind: 'silent' });
    const c = client({ timeoutMs: 60_000 });
    const pending = c.request({ path: '/blocked' });
    while (server.seen.at(-1)?.url !== '/blocked') await new Promise((r) => setTimeout(r, 10));
    await c.close();
    expect((await failure(pending)).kind).toBe('failed');
  });
});

describe('bodies that are not what was expected', () => {
  it('a body that is not JSON quotes its first bytes, redacted and escaped, on one line', async () => {
    server.answer = () => ({ kind: 'body', status: 502, contentType: 'text/html', body: '<html>\n\x1b[31mBad\tGateway password=hunter2 \u202e</html>' });
    const c = client({ protocol: 'the Testd API' });
    const reply = await c.request({ path: '/api' });
    expect(reply.status).toBe(502);
    let err: unknown;
    try {
      c.json(reply);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OpsError);
    const e = err as OpsError;
    expect(e.kind).toBe('bad-answer');
    expect(e.details).toEqual({ httpStatus: 502 });
    expect(e.message).toBe(`Testd at ${server.url} answered HTTP 502 with a body that is not the Testd API: <html> \\x1b[31mBad Gateway password=*** \\u202e</html>`);
  });

  it('an empty body is named as such', async () => {
    server.answer = () => ({ kind: 'body', body: '' });
    const c = client();
    expect(() => c.json({ status: 200, headers: {}, text: '' })).toThrow(/with a body that is not JSON: \(empty\)$/);
  });
});

describe('requests as the adapters send them', () => {
  it('JSON, form and query bodies; every method; client headers, auth and per-request headers', async () => {
    server.answer = () => ({ kind: 'body', body: '{}' });
    const basic = client({ auth: { basic: { username: 'nacos', password: 'p:w' } }, headers: { 'x-tenant': 't1' } });
    await basic.request({ method: 'PUT', path: '/v1/ns/instance', query: { serviceName: 'orders', ip: '10.0.0.1', port: 8080, ephemeral: undefined }, form: [['weight', '2'], ['metadata', '{"a":"b c"}']] });
    const put = server.seen.at(-1)!;
    expect(put.method).toBe('PUT');
    expect(put.url).toBe('/v1/ns/instance?serviceName=orders&ip=10.0.0.1&port=8080');
    expect(put.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(put.body).get('metadata')).toBe('{"a":"b c"}');
    expect(put.headers.authorization).toBe(`Basic ${Buffer.from('nacos:p:w').toString('base64')}`);
    expect(put.headers['x-tenant']).toBe('t1');
    expect(put.headers.accept).toBe('application/json');

    const bearer = client({ auth: { bearer: 'tok' } });
    await bearer.request({ path: '/v1/kv', json: { a: 1 } });
    expect(server.seen.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', authorization: 'Bearer tok' } });
    await bearer.request({ method: 'DELETE', path: '/v1/kv/x', headers: { authorization: 'other' } });
    expect(server.seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/v1/kv/x', headers: { authorization: 'other' } });
    const got = await bearer.requestJson({ path: '/ok' });
    expect(got).toMatchObject({ status: 200, body: {} });
  });
});

describe('AnswerShape', () => {
  const s = new AnswerShape('Testd at http://h (/v1/x)', 'check the url');
  const thrown = (fn: () => unknown): OpsError => {
    try {
      fn();
    } catch (e) {
      return e as OpsError;
    }
    throw new Error('did not throw');
  };

  it('names the server, the path of the wrong part, what it is and what was expected', () => {
    const e = thrown(() => s.object('str'));
    expect(e.kind).toBe('bad-answer');
    expect(e.message).toBe('Testd at http://h (/v1/x) sent an answer of the wrong shape: the answer is the string "str", expected an object');
    expect(e.hint).toBe('check the url');
    expect(thrown(() => s.object(null)).message).toMatch(/the answer is null, expected an object$/);
    expect(thrown(() => s.decimal({}, 'ID')).message).toMatch(/: ID is missing, expected a whole number$/);
    expect(thrown(() => s.decimal({ TTL: '1e3' }, 'TTL', 'result')).message).toMatch(/: result\.TTL is the string "1e3", expected a whole number$/);
    expect(thrown(() => s.arrayOf([{ key: 'a' }, { key: 5 }], 'kvs', (v, at) => s.str(s.object(v, at), 'key', at))).message).toMatch(/: kvs\[1\]\.key is the number 5, expected a string$/);
    expect(thrown(() => s.optArr({ kvs: {} }, 'kvs')).message).toMatch(/: kvs is an object, expected a list$/);
    expect(thrown(() => s.optBool({ more: 'yes' }, 'more')).message).toMatch(/: more is the string "yes", expected true or false$/);
    expect(thrown(() => s.str({ a: '' }, 'b')).message).toMatch(/: b is missing, expected a string$/);
  });

  it('passes good values through and treats absent optional fields as absent', () => {
    expect(s.decimal({ ID: '7587890386216224782' }, 'ID')).toBe('7587890386216224782');
    expect(s.decimal({ ID: 12 }, 'ID')).toBe('12');
    expect(s.optArr({}, 'kvs')).toEqual([]);
    expect(s.optBool({}, 'more')).toBeUndefined();
    expect(s.optDecimal({}, 'TTL')).toBeUndefined();
    expect(s.optStr({ v: 'x' }, 'v')).toBe('x');
  });
});

describe('snippetOf', () => {
  it('folds whitespace, escapes control characters, masks secrets and cuts long text', () => {
    expect(snippetOf('a\r\n\tb')).toBe('a b');
    expect(snippetOf('\x00\x07\x1b\x7f\x9b')).toBe('\\x00\\x07\\x1b\\x7f\\x9b');
    expect(snippetOf('token: abc redis://u:pw@h')).toBe('token: *** redis://u:***@h');
    expect(snippetOf('y'.repeat(500))).toBe(`${'y'.repeat(160)}…`);
    expect(snippetOf('')).toBe('(empty)');
    expect(snippetOf('  \n ')).toBe('(blank)');
  });
});
