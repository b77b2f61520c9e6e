import { bool, defineOptions, duration, int, list, oneOf, str, url } from '../kit/options.js';

const REDIS_URL = { schemes: ['redis', 'rediss'], hint: 'write it as redis://host:6379 (rediss:// turns on TLS)' };

/** The options of a `{type: redis}` entry (locks and cache). Loads no client library. */
export const REDIS_OPTIONS = defineOptions(
  { type: 'redis', readme: 'Redis locks' },
  {
    /** One URL for a single node (or a cluster seed); `urls` for a Redlock group or cluster seeds. */
    url: url(REDIS_URL),
    urls: list(url({ ...REDIS_URL, required: 'redis://host:6379' }), { nonEmpty: true, hint: 'for example urls: [redis://r1:6379, redis://r2:6379, redis://r3:6379]' }),
    /** Treat the URLs as seeds of one Redis Cluster and scan every master. */
    cluster: bool({ default: false }),
    username: str({ nonEmpty: true }),
    password: str(),
    /** rediss:// URLs turn it on too. */
    tls: bool({ default: false }),
    /** 0 is Redis's default database; absent leaves the URL's /N (or 0) in force. */
    db: int({ min: 0, max: 1_000_000, hint: 'Redis databases are numbered from 0 (the default)' }),
    connectTimeoutMs: duration({ bareMs: true, default: 3000 }),
    commandTimeoutMs: duration({ bareMs: true, default: 5000 }),
    /** SCAN bounds for listing: keys per SCAN call, and the time budget of one listing. */
    scanCount: int({ min: 1, max: 1_000_000, default: 500 }),
    scanTimeMs: duration({ bareMs: true, default: 5000 }),
    /** What `locks acquire` writes: Redisson's fair+fenced hash layout (default) or a plain `SET NX PX`. */
    layout: oneOf(['redisson', 'plain'], { default: 'redisson', hint: 'redisson writes Redisson-compatible locks; plain writes SET NX PX values' }),
  },
  (o, x) => {
    if (o.url !== undefined && o.urls !== undefined) x.fail('urls', 'give url or urls, not both', 'url for one node or a cluster seed; urls for a Redlock group or several cluster seeds');
    const urls = o.urls ?? (o.url === undefined ? undefined : [o.url]);
    if (urls === undefined) return x.fail([], 'needs url (or urls)', 'for example url: redis://host:6379; urls: [...] for a Redlock group or cluster seeds');
    if (o.cluster && o.db !== undefined && o.db !== 0) x.fail('db', 'db must be 0 on a cluster (Redis Cluster has only database 0)', 'leave db out');
    const { url: _url, urls: _urls, ...rest } = o;
    return { ...rest, urls, tls: o.tls || urls.some((u) => /^rediss:/i.test(u)) };
  },
);

/** A `{type: redis}` entry, validated, with the backend column name. */
export type RedisOptions = ReturnType<typeof REDIS_OPTIONS.read> & { name: string };

export function parseRedisOptions(o: Record<string, unknown>, name: string): RedisOptions {
  return { ...REDIS_OPTIONS.read(o), name };
}
