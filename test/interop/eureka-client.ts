import { join } from 'node:path';
import { httpStatus } from '../servers/detached.js';
import type { EurekaEndpoint } from '../servers/eureka-server.js';
import { startJavaApp } from '../servers/java-app.js';
import { buildJarLocked } from '../servers/shared-server.js';

/**
 * A real Spring Boot service with Spring Cloud's Eureka client (the Maven module
 * test/interop/eureka-client), registered with a test's Eureka server under an application name and
 * instance id the test chooses. It renews its lease and fetches the registry every second, so what
 * the server holds reaches it within about two seconds. `self()` and `seen()` show what the
 * application believes, to prove that a change made on the server (a drain, a metadata change)
 * reaches it.
 */
export interface EurekaClientSelf {
  app: string;
  instanceId: string;
  /** The status the application reports about itself (it does not change when the server overrides it). */
  localStatus: string;
  /** The status the server holds for this instance, as of the client's last registry fetch. */
  remoteStatus: string;
  metadata: Record<string, string>;
  lastDirtyTimestamp: number;
  /** Its own instance in its registry copy, or null before the first fetch that holds it. */
  fetched: EurekaClientInstance | null;
}

export interface EurekaClientInstance {
  instanceId: string;
  status: string;
  overriddenStatus: string;
  metadata: Record<string, string>;
}

export interface EurekaClientSeen {
  /** The application's instances in the client's registry copy, whatever their status. */
  registry: EurekaClientInstance[];
  /** What Spring's DiscoveryClient hands to load balancers: UP instances only. */
  discoveryClient: Array<{ instanceId: string; host: string; port: number; metadata: Record<string, string> }>;
}

export interface EurekaClientApp {
  /** The application's HTTP root, e.g. http://127.0.0.1:24567. */
  url: string;
  port: number;
  /** Application name as Eureka stores it (upper case). */
  app: string;
  instanceId: string;
  pid: number;
  /** Seconds from launching the JVM until the server listed the instance. */
  readySeconds: number;
  self(): Promise<EurekaClientSelf>;
  seen(app: string): Promise<EurekaClientSeen>;
  /** `GET /actuator/health`: 200 with status UP, 503 with OUT_OF_SERVICE or DOWN. */
  health(): Promise<{ status: number; body: any }>;
  /** Graceful stop: Spring deregisters the instance (DELETE) before the JVM exits. */
  stop(): Promise<void>;
  /** SIGKILL: the instance stays registered until its lease runs out. */
  crash(): Promise<void>;
}

export interface EurekaClientOptions {
  /** spring.application.name (Eureka upper-cases it). */
  app: string;
  /** eureka.instance.instance-id. */
  instanceId: string;
  /** eureka.instance.metadata-map.* */
  metadata?: Record<string, string>;
  /** Lease duration the instance asks for; default 5 s (renewals every second). */
  leaseDurationSeconds?: number;
}

const MODULE = join(__dirname, 'eureka-client');
const JAR = join(MODULE, 'target/eureka-client.jar');

export async function startEurekaClientApp(server: EurekaEndpoint, o: EurekaClientOptions): Promise<EurekaClientApp> {
  await buildJarLocked(MODULE, JAR, 'eureka-client');
  const app = o.app.toUpperCase();
  const proc = await startJavaApp({
    label: `Eureka client ${app}/${o.instanceId}`,
    jar: JAR,
    args: (port) => [
      `--server.port=${port}`,
      '--server.address=127.0.0.1',
      `--spring.application.name=${o.app}`,
      `--eureka.client.service-url.defaultZone=${server.url}/`,
      `--eureka.instance.instance-id=${o.instanceId}`,
      `--eureka.instance.lease-expiration-duration-in-seconds=${o.leaseDurationSeconds ?? 5}`,
      ...Object.entries(o.metadata ?? {}).map(([k, v]) => `--eureka.instance.metadata-map.${k}=${v}`),
    ],
    // Ready once the server lists the instance: Spring registers it right after the web server starts.
    ready: async () => (await httpStatus(`${server.url}/apps/${app}/${encodeURIComponent(o.instanceId)}`, { Accept: 'application/json' })) === 200,
  });
  const url = `http://127.0.0.1:${proc.port}`;
  const get = async (path: string) => {
    const r = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
    const text = await r.text();
    return { status: r.status, body: text === '' ? null : JSON.parse(text) };
  };
  const ok = async (path: string) => {
    const r = await get(path);
    if (r.status !== 200) throw new Error(`Eureka client ${app}: GET ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  process.stderr.write(`Eureka client ${app}/${o.instanceId}: registered ${proc.readySeconds.toFixed(1)} s after launch\n`);
  return {
    url,
    port: proc.port,
    app,
    instanceId: o.instanceId,
    pid: proc.pid,
    readySeconds: proc.readySeconds,
    self: () => ok('/self'),
    seen: (name) => ok(`/seen/${encodeURIComponent(name)}`),
    health: () => get('/actuator/health'),
    stop: proc.stop,
    crash: proc.crash,
  };
}
