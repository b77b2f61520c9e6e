import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsulHttp } from '../../src/adapters/consul/consul-http.js';
import { consulAdapter } from '../../src/adapters/consul/index.js';
import { parseConsulOptions } from '../../src/adapters/consul/options.js';
import { exitCodeOf } from '../../src/core/errors.js';
import { startHostile, type HostileServer } from '../servers/hostile-http.js';
import { failure } from './consul-support.js';

/**
 * The Consul adapter pointed at something that is not Consul (a proxy's page, a wrong shape, a body
 * that never ends): one error naming the server, exit 3, never a crash or an empty answer.
 */

let server: HostileServer;
beforeAll(async () => {
  server = await startHostile();
});
afterAll(() => server.stop());

const adapter = () => consulAdapter(new ConsulHttp(parseConsulOptions({ url: server.url, timeoutMs: 1000 }, 'c')));

describe('hostile answers', () => {
  it.each([
    ['an HTML page', { kind: 'body', body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' }, /not JSON/],
    ['null', { kind: 'body', body: 'null' }, /wrong shape: the answer is null, expected a list/],
    ['a health entry without its service', { kind: 'body', body: '[{"Node":{"Node":"n","Address":"a"}}]' }, /\[0\]\.Service is missing/],
    ['a body that never ends', { kind: 'trickle', everyMs: 100 }, /did not finish answering/],
  ] as const)('%s is exit 3 naming the server', async (_what, answer, message) => {
    server.answer = () => answer;
    const a = adapter();
    const e = await failure(a.registry.getService({ scope: { datacenter: 'dc1' }, name: 'web' }));
    expect(exitCodeOf(e.kind)).toBe(3);
    expect(e.message).toContain(`Consul at ${server.url}`);
    expect(e.message).toMatch(message);
    await a.dispose();
  });

  it('a KV answer whose Value is not base64 is a bad answer, not garbage content', async () => {
    server.answer = () => ({ kind: 'body', body: '[{"Key":"k","Value":"<not base64>","Flags":0,"CreateIndex":1,"ModifyIndex":2,"LockIndex":0}]' });
    const a = adapter();
    const e = await failure(a.config.get({ scope: { datacenter: 'dc1' }, dataId: 'k' }));
    expect([e.kind, e.message]).toEqual(['bad-answer', expect.stringContaining('[0].Value is the string "<not base64>", expected base64 text or null')]);
    await a.dispose();
  });
});
