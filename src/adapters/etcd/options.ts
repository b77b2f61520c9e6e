import { defineOptions, duration, int, str, urlWithAuth } from '../kit/options.js';

/** The options of a `{type: etcd}` entry. Loads no client library. */
export const ETCD_OPTIONS = defineOptions(
  { type: 'etcd', readme: 'etcd locks' },
  {
    /** One client endpoint; credentials written into it become username/password. */
    url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://etcd-0:2379', hint: 'one client endpoint, where etcd 3.4+ serves its v3 JSON gateway' }),
    /** Prepended to every lock name to form the etcd key prefix (an app's "/locks/", say). */
    prefix: str({ default: '', hint: 'for example prefix: /locks/' }),
    username: str({ nonEmpty: true }),
    password: str(),
    /** Per request, for everything except a queued acquire (which waits as long as --wait). */
    timeoutMs: duration({ bareMs: true, default: 5000 }),
    /** Answers bigger than this are refused instead of filling memory. */
    maxResponseBytes: int({ min: 1024, default: 16 * 1024 * 1024 }),
  },
  (o, x) => {
    // etcd knows no basic auth: credentials written into the url are its username and password,
    // unless the entry gives them as keys.
    const fromUrl = o.username === undefined && o.password === undefined;
    const username = fromUrl ? o.url.username : o.username;
    const password = fromUrl ? o.url.password : o.password;
    if ((username === undefined) !== (password === undefined)) x.fail(username === undefined ? 'password' : 'username', 'give both username and password, or neither', 'the password may come from ${ENV} or ${file:...}');
    return { ...o, url: o.url.url, username, password };
  },
);

/** A `{type: etcd}` entry, validated, with the backend column name. */
export type EtcdOptions = ReturnType<typeof ETCD_OPTIONS.read> & { name: string };

export function parseEtcdOptions(o: Record<string, unknown>, name: string): EtcdOptions {
  return { ...ETCD_OPTIONS.read(o), name };
}
