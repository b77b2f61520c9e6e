import { describe, expect, it } from 'vitest';
import { parseEtcdOptions } from '../../src/adapters/etcd/options.js';
import { bool, defineOptions, duration, fields, int, OptionError, oneOf, str, strList, url, urlWithAuth } from '../../src/adapters/kit/options.js';
import { parsePromOptions } from '../../src/adapters/prometheus/options.js';
import { parseRedisOptions } from '../../src/adapters/redis/options.js';
import { parseSeataConsoleOptions } from '../../src/adapters/seata-console/options.js';
import { didYouMean } from '../../src/core/did-you-mean.js';

const schema = defineOptions(
  { type: 'demo', readme: 'Demo' },
  {
    port: int({ min: 1, max: 65535, default: 80 }),
    timeoutMs: duration({ bareMs: true, default: 5000 }),
    ttl: duration({ bareMs: false }),
    tls: bool({ default: false }),
    name: str({ nonEmpty: true }),
    password: str(),
    mode: oneOf(['6.5', '7']),
    labels: strList({ nonEmpty: true }),
    endpoint: url({ schemes: ['redis', 'rediss'] }),
    nested: fields({ inner: int({ min: 0 }) }),
  },
);

function problem(raw: Record<string, unknown>, mode: 'load' | 'connect' = 'connect'): OptionError {
  try {
    schema.read(raw, { mode });
  } catch (e) {
    if (e instanceof OptionError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('kit option readers', () => {
  it('applies defaults and reads literal values', () => {
    expect(schema.read({})).toMatchObject({ port: 80, timeoutMs: 5000, tls: false, ttl: undefined, name: undefined });
    expect(schema.read({ port: 6379, timeoutMs: '1m30s', ttl: '10s', tls: true, mode: 7, labels: [' a ', 'b'] })).toMatchObject({ port: 6379, timeoutMs: 90_000, ttl: 10_000, tls: true, mode: '7', labels: ['a', 'b'] });
  });

  it('refuses numbers out of bounds, fractions and non-numbers, naming the key and the bounds', () => {
    expect(problem({ port: 0 }).detail).toBe('port must be a whole number from 1 to 65535, not 0');
    expect(problem({ port: 70000 }).detail).toBe('port must be a whole number from 1 to 65535, not 70000');
    expect(problem({ port: 80.5 }).detail).toBe('port must be a whole number from 1 to 65535, not 80.5');
    expect(problem({ port: [] }).detail).toBe('port must be a whole number from 1 to 65535, not a list');
    expect(problem({ nested: { inner: -1 } })).toMatchObject({ path: ['nested', 'inner'], detail: 'nested.inner must be a whole number of at least 0, not -1' });
  });

  it('a quoted number is refused when the file loads, but read as a number once a reference resolved to it', () => {
    expect(problem({ port: '6379' }, 'load')).toMatchObject({ detail: 'port must be a whole number from 1 to 65535, not the string "6379"', hint: 'write it without quotes: port: 6379' });
    expect(schema.read({ port: '6379', tls: 'true', timeoutMs: '2500' }, { mode: 'connect' })).toMatchObject({ port: 6379, tls: true, timeoutMs: 2500 });
    expect(problem({ port: 'http' }, 'connect').detail).toBe('port must be a whole number from 1 to 65535, not "http"');
  });

  it('durations: milliseconds only where the key says Ms, units everywhere, within what a timer holds', () => {
    expect(problem({ ttl: 10 })).toMatchObject({ detail: 'ttl needs a unit, not 10', hint: 'write it as 10s or 10m, for example' });
    expect(problem({ timeoutMs: '5 minutes' }).detail).toMatch(/^timeoutMs must be a duration from 1ms to 24d/);
    expect(problem({ timeoutMs: 0 }).detail).toBe('timeoutMs must be from 1ms to 24d, not 0');
    expect(problem({ timeoutMs: '30d' }).detail).toBe('timeoutMs must be from 1ms to 24d, not "30d"');
    expect(problem({ timeoutMs: 2.5 }).detail).toBe('timeoutMs must be a whole number of milliseconds, not 2.5');
  });

  it('booleans are true or false; text is text; words are one of a list', () => {
    expect(problem({ tls: 'yes' }).detail).toBe('tls must be true or false, not "yes"');
    expect(problem({ tls: 'true' }, 'load').hint).toBe('write it without quotes: tls: true');
    expect(problem({ name: 0o123 })).toMatchObject({ detail: 'name must be text, not 83', hint: 'quote it, as in name: "…"' });
    expect(problem({ name: '  ' }).detail).toBe('name must not be empty');
    expect(problem({ mode: '8' }).detail).toBe('mode must be one of 6.5, 7, not "8"');
    expect(problem({ labels: [] }).detail).toBe('labels must not be an empty list');
    expect(problem({ labels: ['a', 3] }).detail).toBe('labels[1] must be text, not 3');
  });

  it('never repeats a secret in a message', () => {
    const e = problem({ password: 31337 });
    expect(e.detail).toBe('password must be text, not a number');
    expect(e.message + e.hint).not.toContain('31337');
    const u = problem({ endpoint: 'http://user:hunter2@h:6379' });
    expect(u.detail).toBe('endpoint must be a redis:// or rediss:// URL, not "http://user:***@h:6379"');
  });

  it('unknown keys name the closest known one, at any depth', () => {
    expect(problem({ pasword: 'x' })).toMatchObject({ path: ['pasword'], on: 'key', detail: 'unknown option pasword', hint: expect.stringMatching(/^did you mean password\? demo takes: port, timeoutMs, /) });
    expect(problem({ nested: { iner: 1 } })).toMatchObject({ path: ['nested', 'iner'], hint: 'did you mean inner? nested takes: inner' });
    expect(problem({ zzzzzz: 1 }).hint).toMatch(/^demo takes: /);
  });

  it('values with ${...} references wait for connect time; at connect they are read like any text', () => {
    expect(() => schema.read({ port: '${PORT}', tls: '${TLS}', endpoint: '${REDIS_URL}' }, { mode: 'load' })).not.toThrow();
    expect(problem({ endpoint: 'http://${HOST}:6379' }, 'load').detail).toBe('endpoint must be a redis:// or rediss:// URL, not "http://${HOST}:6379"');
    expect(problem({ port: '${PORT}' }, 'connect').detail).toBe('port must be a whole number from 1 to 65535, not "${PORT}"');
  });

  it('urlWithAuth takes credentials out of the URL, decoded, and drops a trailing slash', () => {
    const r = defineOptions({ type: 't', readme: 'x' }, { url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://h' }) });
    expect(r.read({ url: 'http://h:9090/' }).url).toEqual({ url: 'http://h:9090', username: undefined, password: undefined });
    expect(r.read({ url: 'https://al%40ice:s%3Acret@h:9090/prefix/' }).url).toEqual({ url: 'https://h:9090/prefix', username: 'al@ice', password: 's:cret' });
    expect(() => r.read({})).toThrow(/needs url/);
    expect(() => r.read({ url: 'http://%zz:p@h' })).toThrow(/badly %-encoded/);
  });
});

describe('adapters read their options through the kit', () => {
  it('etcd and the Seata console turn URL credentials into username and password; keys win', () => {
    expect(parseEtcdOptions({ url: 'http://ops:pw@etcd:2379/' }, 'e')).toMatchObject({ url: 'http://etcd:2379', username: 'ops', password: 'pw' });
    expect(parseEtcdOptions({ url: 'http://ops:pw@etcd:2379', username: 'me', password: 'mine' }, 'e')).toMatchObject({ url: 'http://etcd:2379', username: 'me', password: 'mine' });
    expect(() => parseEtcdOptions({ url: 'http://etcd:2379', username: 'me' }, 'e')).toThrow(/give both username and password, or neither/);
    expect(parseSeataConsoleOptions({ url: 'http://seata:s3@tc:7091' }, 's')).toMatchObject({ url: 'http://tc:7091', username: 'seata', password: 's3', pageSize: 100, maxPages: 50, version: '2', retryingThresholdMs: 300_000 });
    expect(() => parseSeataConsoleOptions({ url: 'http://tc:7091', username: 'seata' }, 's')).toThrow(/needs password/);
    expect(() => parseSeataConsoleOptions({ url: 'http://tc:7091', username: 'seata', password: 'x', pageSize: 500 }, 's')).toThrow(/pageSize must be a whole number from 1 to 100, not 500/);
  });

  it('Prometheus sends URL credentials as basic auth unless basicAuth or bearerToken says otherwise', () => {
    const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(parsePromOptions({ url: 'http://u:p@prom:9090' }, 'm')).toMatchObject({ url: 'http://prom:9090', headers: { authorization: basic('u:p') } });
    expect(parsePromOptions({ url: 'http://u:p@prom:9090', basicAuth: { username: 'a', password: 'b' } }, 'm').headers.authorization).toBe(basic('a:b'));
    expect(parsePromOptions({ url: 'http://u:p@prom:9090', bearerToken: 't0k' }, 'm').headers.authorization).toBe('Bearer t0k');
    expect(() => parsePromOptions({ url: 'http://prom:9090', bearerToken: 't', basicAuth: { username: 'a' } }, 'm')).toThrow(/basicAuth or bearerToken, not both/);
    expect(parsePromOptions({ url: 'http://prom:9090' }, 'm', 'thanos')).toMatchObject({ type: 'thanos', timeoutMs: 30_000, maxResponseBytes: 64 * 1024 * 1024, headers: {} });
  });

  it('Redis: db 0 is the default database, url and urls are exclusive, rediss turns on TLS', () => {
    expect(parseRedisOptions({ url: 'redis://h:6379', db: 0 }, 'r')).toMatchObject({ urls: ['redis://h:6379'], db: 0, tls: false });
    expect(parseRedisOptions({ urls: ['rediss://a:6380', 'rediss://b:6380'] }, 'r')).toMatchObject({ urls: ['rediss://a:6380', 'rediss://b:6380'], tls: true });
    expect(() => parseRedisOptions({ url: 'redis://a', urls: ['redis://b'] }, 'r')).toThrow(/give url or urls, not both/);
    expect(() => parseRedisOptions({}, 'r')).toThrow(/needs url \(or urls\)/);
    expect(() => parseRedisOptions({ url: 'redis://a', cluster: true, db: 3 }, 'r')).toThrow(/db must be 0 on a cluster/);
  });
});

describe('didYouMean', () => {
  it('finds the known word across case, separators and small typos, and nothing far off', () => {
    const keys = ['profiles', 'defaultProfile', 'password', 'partialResponse', 'replicaLabels', 'db'];
    expect(didYouMean('profile', keys)).toBe('profiles');
    expect(didYouMean('profiels', keys)).toBe('profiles');
    expect(didYouMean('defaultprofile', keys)).toBe('defaultProfile');
    expect(didYouMean('pasword', keys)).toBe('password');
    expect(didYouMean('partial_response', keys)).toBe('partialResponse');
    expect(didYouMean('replicaLabel', keys)).toBe('replicaLabels');
    expect(didYouMean('bd', keys)).toBe('db');
    expect(didYouMean('timeout', keys)).toBeUndefined();
  });
});
