import { CONFIG_TYPES } from '../../core/types.js';
import { bool, custom, defineOptions, duration, fail, int, oneOf, str, strList } from '../kit/options.js';

const ZNODE_PATH = { re: /^\/([^/\0]+(\/[^/\0]+)*)?$/, what: 'an absolute znode path such as /locks' };
const ROOT_PATH = { re: /^(\/[^/\0]+)+$/, what: 'an absolute znode path below / such as /services' };

/** `host:port[,host:port...][/chroot]` → the connect string as given and its servers. */
const connect = custom(
  'a connect string such as zk-0:2181,zk-1:2181 (with an optional /chroot)',
  (v, c) => {
    if (typeof v !== 'string' || v.trim() === '') return fail(c, 'connect must be a connect string such as zk-0:2181,zk-1:2181', 'an optional /chroot may follow the last server');
    const hosts = v.trim().replace(/\/.*$/, '');
    const servers = hosts.split(',').map((hp) => {
      const m = /^\s*(\[[^\]]+\]|[^:\s]+)(?::(\d+))?\s*$/.exec(hp);
      const port = m?.[2] ? Number(m[2]) : 2181;
      if (!m || port < 1 || port > 65535) return fail(c, `connect: "${hp}" is not host:port`, 'write it as host:2181');
      return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
    });
    return { connect: v.trim(), servers };
  },
  { required: 'connect: zk-0:2181,zk-1:2181,zk-2:2181' },
);

/** The options of a `{type: zookeeper}` entry. Loads no client library. */
export const ZK_OPTIONS = defineOptions(
  { type: 'zookeeper', readme: 'ZooKeeper' },
  {
    connect,
    /** Where the locks live; lock names are paths under it. */
    root: str({ default: '/locks', pattern: ZNODE_PATH, hint: 'no trailing slash; "/" means the whole tree' }),
    /** Registry: where Spring Cloud Zookeeper discovery and Dubbo's application level register (`/services/{app}/{id}`). */
    servicesRoot: str({ default: '/services', pattern: ROOT_PATH, hint: 'spring.cloud.zookeeper.discovery.root; no trailing slash' }),
    /** Registry: Dubbo's root (interface level `{dubboRoot}/{interface}/providers`, override rules under `{dubboRoot}/config/dubbo`). */
    dubboRoot: str({ default: '/dubbo', pattern: ROOT_PATH, hint: "Dubbo's registry group; no trailing slash" }),
    /** Registry: base paths of plain curator-x-discovery applications (`{basePath}/{service}/{id}`); an application chooses its own, so list them. */
    curatorBasePaths: strList({ item: ROOT_PATH, hint: 'for example [/curator-services]' }),
    /** Config: Spring Cloud Zookeeper config's root (`{configRoot}/{app}[,{profile}]/{key}`). */
    configRoot: str({ default: '/config', pattern: ROOT_PATH, hint: 'spring.cloud.zookeeper.config.root; no trailing slash' }),
    /** Config: the type of a key whose name has no yaml/json/properties extension (Spring's keys are plain values). */
    defaultType: oneOf(CONFIG_TYPES, { default: 'text' }),
    /** Session timeout of opsdeck's own reading session. */
    sessionTimeoutMs: duration({ bareMs: true, default: 30_000 }),
    connectTimeoutMs: duration({ bareMs: true, default: 3000 }),
    commandTimeoutMs: duration({ bareMs: true, default: 5000 }),
    /** Bounds of one listing: znodes looked at, depth below the root, and time. */
    maxNodes: int({ default: 5000 }),
    maxDepth: int({ max: 1000, default: 8 }),
    listTimeMs: duration({ bareMs: true, default: 5000 }),
    /** Ask the servers `cons` to map sessions to client addresses (needs 4lw.commands.whitelist). */
    fourLetterWords: bool({ default: true }),
  },
  (o) => ({ ...o, connect: o.connect.connect, servers: o.connect.servers, curatorBasePaths: o.curatorBasePaths ?? [] }),
);

/** A `{type: zookeeper}` entry, validated, with the backend column name. */
export type ZkOptions = ReturnType<typeof ZK_OPTIONS.read> & { name: string };

export function parseZkOptions(o: Record<string, unknown>, name: string): ZkOptions {
  return { ...ZK_OPTIONS.read(o), name };
}
