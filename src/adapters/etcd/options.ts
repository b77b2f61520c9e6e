import { CONFIG_TYPES } from '../../core/types.js';
import { defineOptions, duration, fields, int, list, oneOf, str, strMap, urlWithAuth } from '../kit/options.js';

/** The registration layouts opsdeck knows by their projects' source (test/fixtures/etcd/README.md). */
export const ETCD_LAYOUTS = ['go-micro', 'kratos', 'go-zero'] as const;
export type EtcdLayout = (typeof ETCD_LAYOUTS)[number];

/** Where each framework registers by default; go-zero has no fixed root (its key is the app's own), so it is given per profile. */
export const DEFAULT_REGISTRY_PREFIXES: Record<string, EtcdLayout> = { '/micro/registry/': 'go-micro', '/microservices/': 'kratos' };

/**
 * A registration layout of the profile's own: the key is a template with {service} and {instance};
 * the value is either the address as text (host:port) or JSON whose fields the entry names.
 */
const TEMPLATE = fields(
  {
    key: str({ required: 'key: /services/{service}/{instance}', hint: 'a key template with {service} and {instance}, e.g. /services/{service}/{instance}' }),
    value: oneOf(['address', 'json'] as const, { default: 'json', hint: 'address: the value is host:port; json: the value is a JSON object whose fields are named here' }),
    /** JSON field holding the host (or host:port, or a URL). */
    host: str({ default: 'host' }),
    /** JSON field holding the port; absent when the host field carries it. */
    port: str(),
    /** JSON field holding a status word: with it, drain and undrain rewrite that field. */
    status: str({ nonEmpty: true }),
    up: str({ default: 'UP' }),
    down: str({ default: 'OUT_OF_SERVICE' }),
    /** JSON field holding a number weight. */
    weight: str({ nonEmpty: true }),
    /** JSON field holding a string map of metadata. */
    metadata: str({ nonEmpty: true }),
  },
  {
    finish: (o, x) => {
      const i = o.key.indexOf('{service}');
      const j = o.key.indexOf('{instance}');
      if (i < 0 || j < 0 || j < i || !o.key.endsWith('{instance}')) x.fail('key', `the key template must hold {service} and end with {instance}, not "${o.key}"`, 'for example key: /services/{service}/{instance}');
      if (o.key.slice(0, i).includes('{')) x.fail('key', 'the key template may hold only {service} and {instance}', 'for example key: /services/{service}/{instance}');
      if (o.value === 'address' && (o.status || o.weight || o.metadata || o.port)) x.fail('value', 'a template whose value is the address alone has no JSON fields', 'use value: json to name fields');
      return o;
    },
  },
);
export type EtcdTemplate = NonNullable<ReturnType<typeof TEMPLATE.read>>;

/** The options of a `{type: etcd}` entry. Loads no client library. */
export const ETCD_OPTIONS = defineOptions(
  { type: 'etcd', readme: 'etcd' },
  {
    /** One client endpoint; credentials written into it become username/password. */
    url: urlWithAuth({ schemes: ['http', 'https'], required: 'url: http://etcd-0:2379', hint: 'one client endpoint, where etcd 3.4+ serves its v3 JSON gateway' }),
    /** Locks: prepended to every lock name (an app's "/locks/"). Config: the keys live under it (data ids are full keys within it). */
    prefix: str({ default: '', hint: 'for example prefix: /locks/ or /config/' }),
    /** Config: the type of a key without a yaml/json/properties extension. */
    defaultType: oneOf(CONFIG_TYPES, { default: 'text' }),
    /** Config: a listing stops here and says so. */
    maxConfigs: int({ default: 20_000 }),
    /** Config: at most this many revisions of one key are read back for its history. */
    maxHistory: int({ min: 1, max: 10_000, default: 100 }),
    /** Registry: key prefix → the layout registered there (what register writes; reads recognise every layout). */
    prefixes: strMap({ hint: 'a mapping of key prefix to layout (go-micro, kratos or go-zero), e.g. "/micro/registry/": go-micro' }),
    /** Registry: the profile's own layouts, as key templates. */
    templates: list(TEMPLATE),
    /** Registry: a listing reads at most this many keys per prefix, and says so. */
    maxServiceKeys: int({ default: 50_000 }),
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
    const prefixes: Record<string, EtcdLayout> = {};
    for (const [p, layout] of Object.entries(o.prefixes ?? DEFAULT_REGISTRY_PREFIXES)) {
      if (!(ETCD_LAYOUTS as readonly string[]).includes(layout)) x.fail(['prefixes', p], `prefixes.${p} must be one of ${ETCD_LAYOUTS.join(', ')}, not "${layout}"`, 'a layout of your own goes under templates: with a key template');
      prefixes[p] = layout as EtcdLayout;
    }
    return { ...o, url: o.url.url, username, password, prefixes, templates: o.templates ?? [] };
  },
);

/** A `{type: etcd}` entry, validated, with the backend column name. */
export type EtcdOptions = ReturnType<typeof ETCD_OPTIONS.read> & { name: string };

export function parseEtcdOptions(o: Record<string, unknown>, name: string): EtcdOptions {
  return { ...ETCD_OPTIONS.read(o), name };
}
