import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../src/adapters/index.js';
import { EUREKA_OPTIONS } from '../../src/adapters/eureka/options.js';
import { exitCodeOf, OpsError } from '../../src/core/errors.js';
import { loadProfiles } from '../../src/session/load-profiles.js';
import { opsdeckAsync, sandbox, writeProfileFile } from '../helpers/cli.js';
import { startHostile, type HostileServer } from '../servers/hostile-http.js';
import { closeEurekaAdapters, eurekaAdapterFor, failure } from './eureka-support.js';

/**
 * The Eureka adapter against answers no Eureka gives when asked for JSON: XML (what Eureka sends
 * when something in between drops the Accept header), an HTML error page, a wrong shape, a flood,
 * silence, and a server behind basic auth that refuses. The misbehaving server is
 * test/servers/hostile-http.ts, a fake of hostile behaviour, not of Eureka; what Eureka does is
 * tested on the real server in the other eureka-*.test.ts files. Also the profile options.
 */

let hostile: HostileServer;
beforeAll(async () => {
  hostile = await startHostile();
});
afterEach(() => closeEurekaAdapters());
afterAll(() => hostile?.stop());

const adapter = (o: Record<string, unknown> = {}) => eurekaAdapterFor(`${hostile.url}/eureka`, o);

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><applications><versions__delta>1</versions__delta><apps__hashcode>UP_1_</apps__hashcode><application><name>SHOP</name></application></applications>';

describe('answers that are not Eureka JSON: exit 3, naming the server and quoting the answer', () => {
  it('XML (an Accept header dropped on the way) says so', async () => {
    hostile.answer = () => ({ kind: 'body', body: XML, contentType: 'application/xml' });
    hostile.seen.length = 0;
    const e = await failure((await adapter()).registry.listServices({ scope: {} }));
    expect([e.kind, exitCodeOf(e.kind)]).toEqual(['bad-answer', 3]);
    expect(e.message).toBe(`Eureka at ${hostile.url}/eureka answered /apps with XML, not JSON: ${XML.slice(0, 160)}…`);
    expect(e.hint).toContain('drops the "Accept: application/json" header');
    // opsdeck did ask for JSON.
    expect(hostile.seen[0]!.headers.accept).toBe('application/json');
  });

  it('XML sent as JSON is caught by its first bytes too', async () => {
    hostile.answer = () => ({ kind: 'body', body: XML, contentType: 'application/json' });
    expect((await failure((await adapter()).registry.getService({ scope: {}, name: 'shop' }))).message).toContain('answered /apps/shop with XML, not JSON');
  });

  it("an HTML page (a proxy's 502) is quoted", async () => {
    hostile.answer = () => ({ kind: 'body', status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' });
    const e = await failure((await adapter()).registry.listServices({ scope: {} }));
    expect([e.kind, e.message]).toEqual(['bad-answer', `Eureka at ${hostile.url}/eureka answered HTTP 502 with an HTML page: <html><body><h1>502 Bad Gateway</h1></body></html>`]);
  });

  it('a wrong shape names the field', async () => {
    hostile.answer = () => ({ kind: 'body', body: JSON.stringify({ applications: { application: [{ name: 'SHOP', instance: { hostName: 'h', app: 'SHOP', ipAddr: '10.0.0.1', status: 'UP', port: { $: 'http' } } }] } }) });
    const e = await failure((await adapter()).registry.listServices({ scope: {} }));
    expect(e.message).toBe(`Eureka at ${hostile.url}/eureka (/apps) sent an answer of the wrong shape: applications.application[0].instance.port.$ is the string "http", expected a whole number`);
  });

  it('an answer over maxResponseBytes is refused; a server that never answers times out', async () => {
    hostile.answer = () => ({ kind: 'flood', chunkBytes: 4096, everyMs: 1 });
    const big = await failure((await adapter({ maxResponseBytes: 65536 })).registry.listServices({ scope: {} }));
    expect([big.kind, big.message]).toEqual(['bad-answer', `Eureka at ${hostile.url}/eureka sent more than 65536 bytes for one answer`]);
    hostile.answer = () => ({ kind: 'silent' });
    const slow = await failure((await adapter({ timeoutMs: 300 })).ping());
    expect([slow.kind, exitCodeOf(slow.kind)]).toEqual(['timeout', 3]);
  });

  it('through the binary: one line, exit 3', async () => {
    hostile.answer = () => ({ kind: 'body', body: XML, contentType: 'application/xml' });
    const box = sandbox();
    try {
      writeProfileFile(box.env, `profiles:\n  h:\n    registry: {type: eureka, url: "${hostile.url}/eureka"}\n`);
      const r = await opsdeckAsync(box.env, ['--profile', 'h', 'services', 'list']);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^opsdeck: Eureka at ${hostile.url}/eureka answered /apps with XML, not JSON: <\\?xml .*\\(hint: something between opsdeck and Eureka drops the "Accept: application/json" header`))]);
    } finally {
      box.cleanup();
    }
  });
});

describe('basic auth (a server behind Spring Security)', () => {
  it('sends the credentials of the url as basic auth, and never shows the password', async () => {
    hostile.answer = () => ({ kind: 'body', status: 401, body: '' });
    hostile.seen.length = 0;
    const a = await adapter({ url: `http://ops:S3cret-pw@${hostile.url.slice('http://'.length)}/eureka` });
    const e = await failure(a.ping());
    expect([e.kind, exitCodeOf(e.kind), e.message]).toEqual(['unauthorized', 3, `Eureka at ${hostile.url}/eureka refused user ops for /apps/delta (HTTP 401)`]);
    expect(`${e.message} ${e.hint}`).not.toContain('S3cret-pw');
    expect(hostile.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ops:S3cret-pw').toString('base64')}`);
  });

  it('without credentials, says to set them', async () => {
    hostile.answer = () => ({ kind: 'body', status: 401, body: '{"status":401,"error":"Unauthorized"}' });
    const e = await failure((await adapter()).registry.getService({ scope: {}, name: 'shop' }));
    expect([e.kind, e.message]).toEqual(['unauthorized', `Eureka at ${hostile.url}/eureka wants credentials for /apps/shop (HTTP 401)`]);
    expect(e.hint).toContain('set username and password in the profile');
  });
});

describe('profile options', () => {
  const refusal = (o: Record<string, unknown>): string => {
    try {
      EUREKA_OPTIONS.read(o);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('reads the defaults, and credentials written into the url', () => {
    expect(EUREKA_OPTIONS.read({ url: 'http://eureka:8761/eureka/' })).toEqual({
      url: 'http://eureka:8761/eureka', username: undefined, password: undefined, timeoutMs: 10_000, maxResponseBytes: 64 * 1024 * 1024,
      selfPreservation: true, renewalPercentThreshold: 0.85, expectedClientRenewalIntervalSeconds: 30, maxInstanceReads: 500, settleTimeoutMs: 5000,
    });
    expect(EUREKA_OPTIONS.read({ url: 'http://ops:p%40ss@eureka:8761/eureka' })).toMatchObject({ url: 'http://eureka:8761/eureka', username: 'ops', password: 'p@ss' });
  });

  it('refuses a username without a password, a threshold outside 0–1, and never shows the password', () => {
    expect(refusal({ url: 'http://e:8761/eureka', username: 'ops' })).toContain('give both username and password');
    expect(refusal({ url: 'http://e:8761/eureka', renewalPercentThreshold: 85 })).toContain('renewalPercentThreshold must be a number from 0 to 1');
    expect(refusal({ url: 'http://e:8761/eureka', username: 'ops', password: 12345678 })).not.toContain('12345678');
  });

  it('a profile file accepts type: eureka under registry and checks its keys when it loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdeck-eureka-profiles-'));
    try {
      const good = join(dir, 'good.yaml');
      writeFileSync(good, ['profiles:', '  prod:', '    registry: {type: eureka, url: "http://eureka:8761/eureka", username: ops, password: "${EUREKA_PASSWORD}", selfPreservation: false}', ''].join('\n'));
      expect((await loadProfiles(good, true, ADAPTERS)).profiles.has('prod')).toBe(true);
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, ['profiles:', '  prod:', '    registry: {type: eureka, url: "http://eureka:8761/eureka", selfpreservation: false}', ''].join('\n'));
      const e = await loadProfiles(bad, true, ADAPTERS).then(
        () => null,
        (err: unknown) => err as OpsError,
      );
      expect(e?.kind).toBe('config');
      expect(`${e?.message} ${e?.hint}`).toMatch(/selfpreservation.*did you mean selfPreservation/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
