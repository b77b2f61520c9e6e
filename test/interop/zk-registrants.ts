import { join } from 'node:path';
import { startJavaApp } from '../servers/java-app.js';
import { buildJarLocked } from '../servers/shared-server.js';

/**
 * A real Spring Boot application (the Maven module test/interop/zk-registrants) that registers in
 * ZooKeeper the three common ways, in one JVM to keep start-up cheap:
 * - Spring Cloud Zookeeper discovery: `/services/{app}/{uuid}`, and its configuration from
 *   `/config/{app}[,{profile}]/{key}` and `/config/application/{key}` with the watcher on;
 * - a Dubbo 3.3.4 provider (optional) in Dubbo's default register mode `all`: interface level under
 *   `/dubbo/…` and application level under `/services/{dubbo app}/{ip:port}`;
 * - a plain curator-x-discovery registrant (optional) under a base path of the test's choosing.
 * `get(path)` reads its report endpoints: `/self`, `/config?key=`, `/seen/{app}`, `/lb/{app}`,
 * `/dubbo`, `/curator`.
 */
export interface ZkRegistrantsOptions {
  /** ZooKeeper connect string, e.g. 127.0.0.1:2181. */
  zookeeper: string;
  /** spring.application.name: the service under /services and the config context /config/{app}. */
  app: string;
  /** spring.profiles.active (config context /config/{app},{profile}). */
  profile?: string;
  /** spring.cloud.zookeeper.discovery.metadata.* */
  metadata?: Record<string, string>;
  /** A Dubbo provider with this application name (`/services/{name}/…`, `/dubbo/…`). */
  dubbo?: { application: string };
  /** A plain Curator registrant: `{basePath}/{service}/{id}`. */
  curator?: { basePath: string; service: string; id: string };
  /** ZooKeeper session timeout of every client in the application; default 4000 ms. */
  sessionMs?: number;
}

export interface ZkRegistrants {
  /** The application's HTTP root. */
  url: string;
  /** Its HTTP port, also the port Spring Cloud Zookeeper and the Curator registrant register. */
  port: number;
  /** The Dubbo protocol port (when the provider is on). */
  dubboPort: number | null;
  pid: number;
  /** Seconds from launching the JVM until every part had registered. */
  readySeconds: number;
  /** GET a report endpoint; its JSON. */
  get<T = any>(path: string): Promise<T>;
  /** Graceful stop: every part deregisters. */
  stop(): Promise<void>;
  /** SIGKILL: the ephemeral nodes stay until the sessions expire. */
  crash(): Promise<void>;
}

/**
 * The address the Dubbo provider registers (DUBBO_IP_TO_REGISTRY). Dubbo refuses 127.x for that
 * ("Specified invalid registry ip"), and its default is the machine's first interface address,
 * which differs between machines; a fixed TEST-NET-2 address keeps the paths the tests read
 * predictable. Nothing connects to it: the tests read the registry only.
 */
export const DUBBO_REGISTERED_IP = '198.51.100.7';

const MODULE = join(__dirname, 'zk-registrants');
const JAR = join(MODULE, 'target/zk-registrants.jar');

export async function startZkRegistrants(o: ZkRegistrantsOptions): Promise<ZkRegistrants> {
  await buildJarLocked(MODULE, JAR, 'zk-registrants');
  // Port P for HTTP (and the Curator registration), P+1 for Dubbo.
  const ports = o.dubbo ? 2 : 1;
  const get = async (port: number, path: string) => {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10_000) });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`zk-registrants: GET ${path} answered ${r.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };
  const proc = await startJavaApp({
    label: `zk-registrants ${o.app}`,
    jar: JAR,
    ports,
    env: { ...process.env, DUBBO_IP_TO_REGISTRY: DUBBO_REGISTERED_IP },
    args: (port) => [
      `--server.port=${port}`,
      '--server.address=127.0.0.1',
      `--spring.application.name=${o.app}`,
      `--opsdeck.zookeeper=${o.zookeeper}`,
      `--opsdeck.session-ms=${o.sessionMs ?? 4000}`,
      ...(o.profile ? [`--spring.profiles.active=${o.profile}`] : []),
      ...Object.entries(o.metadata ?? {}).map(([k, v]) => `--spring.cloud.zookeeper.discovery.metadata.${k}=${v}`),
      ...(o.dubbo ? ['--opsdeck.dubbo.enabled=true', `--opsdeck.dubbo.application=${o.dubbo.application}`, `--opsdeck.dubbo.port=${port + 1}`] : []),
      ...(o.curator
        ? ['--opsdeck.curator.enabled=true', `--opsdeck.curator.base-path=${o.curator.basePath}`, `--opsdeck.curator.service=${o.curator.service}`, `--opsdeck.curator.id=${o.curator.id}`, `--opsdeck.curator.port=${port}`]
        : []),
    ],
    // Ready when every part it runs has registered: Spring (its id is known), Dubbo started, Curator registered.
    ready: async (port) => {
      try {
        if (!(await get(port, '/self')).instanceId) return false;
        if (o.dubbo && (await get(port, '/dubbo')).started !== true) return false;
        if (o.curator && (await get(port, '/curator')).registered !== true) return false;
        return true;
      } catch {
        return false;
      }
    },
  });
  process.stderr.write(`zk-registrants ${o.app}: registered ${proc.readySeconds.toFixed(1)} s after launch\n`);
  return {
    url: `http://127.0.0.1:${proc.port}`,
    port: proc.port,
    dubboPort: o.dubbo ? proc.port + 1 : null,
    pid: proc.pid,
    readySeconds: proc.readySeconds,
    get: (path) => get(proc.port, path),
    stop: proc.stop,
    crash: proc.crash,
  };
}
