import { bool, custom, defineOptions, duration, fail, int, str } from '../kit/options.js';

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
  { type: 'zookeeper', readme: 'ZooKeeper locks' },
  {
    connect,
    /** Where the locks live; lock names are paths under it. */
    root: str({ default: '/locks', pattern: { re: /^\/([^/\0]+(\/[^/\0]+)*)?$/, what: 'an absolute znode path such as /locks' }, hint: 'no trailing slash; "/" means the whole tree' }),
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
  (o) => ({ ...o, connect: o.connect.connect, servers: o.connect.servers }),
);

/** A `{type: zookeeper}` entry, validated, with the backend column name. */
export type ZkOptions = ReturnType<typeof ZK_OPTIONS.read> & { name: string };

export function parseZkOptions(o: Record<string, unknown>, name: string): ZkOptions {
  return { ...ZK_OPTIONS.read(o), name };
}
