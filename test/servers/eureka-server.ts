import { join } from 'node:path';
import { buildJar } from '../interop/support.js';
import { httpStatus } from './detached.js';
import { startJavaApp } from './java-app.js';
import { buildJarLocked, sharedServer } from './shared-server.js';

/**
 * A real Eureka server (Spring Cloud Netflix 4.3 on Spring Boot 3.5, from the Maven module
 * test/servers/eureka) on a free port of 127.0.0.1. Test files use `sharedEureka()`: each kind of
 * server starts at most once per vitest run, when a test first asks for it, and is stopped at the
 * end (shared-server.ts). Tests share the server, not their data: each test registers applications
 * with names of its own (`eurekaAppName`).
 *
 * Settings, all on the command line (docs/dev/eureka-facts.md has what each one changes):
 * - the read-only response cache is off, so every read sees the latest write (by default reads are
 *   served from a copy refreshed every 30 s);
 * - the server neither registers with nor fetches from a peer, and its peer list is itself under
 *   the hostname 127.0.0.1, which it recognises and drops (without it, it replicates every write
 *   to itself, and by default it keeps calling localhost:8761);
 * - the eviction task runs every second instead of every 60 s;
 * - `selfPreservation: false` (the default here): leases that run out are evicted;
 *   `selfPreservation: true`: Eureka's default, with the 5-minute wait after start-up cut to 0, so
 *   the server is in self-preservation (keeps expired instances, shows the EMERGENCY banner) from
 *   the start whenever the renewals of the last minute are at or below the threshold.
 */
export interface EurekaEndpoint {
  /** The REST root, e.g. `http://127.0.0.1:24123/eureka` (apps at `${url}/apps`). */
  url: string;
  /** The server root: the HTML dashboard is `${baseUrl}/`, Spring's actuator `${baseUrl}/actuator`. */
  baseUrl: string;
  port: number;
  selfPreservation: boolean;
  /** How often the eviction task runs. */
  evictionIntervalMs: number;
  /** Seconds from launching the JVM until `GET /eureka/apps` answered 200. */
  readySeconds: number;
  /** Seconds spent making sure the jar is built (about 0.1 s when up to date). */
  buildSeconds: number;
  pid: number;
  /** The server's directory: its log (`process.log`) and the `stop` script. */
  dir: string;
}

export interface EurekaServer extends EurekaEndpoint {
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export interface EurekaStartOptions {
  selfPreservation?: boolean;
  /** An empty directory for the server (created if missing); default: a new temp dir. */
  dir?: string;
  /** The process whose exit stops the server (watchdog); default: this process. */
  ownerPid?: number;
  /** Make sure the jar is built; default true. `sharedEureka` builds under the Maven lock and passes false. */
  build?: boolean;
}

const MODULE = join(__dirname, 'eureka');
const JAR = join(MODULE, 'target/eureka-server.jar');
const EVICTION_INTERVAL_MS = 1000;

/** Builds the server jar when it is missing or older than its sources; the seconds it took. */
export function buildEureka(): number {
  const t0 = Date.now();
  buildJar(MODULE, JAR);
  return (Date.now() - t0) / 1000;
}

/** Starts a server and waits until it answers `GET /eureka/apps`. */
export async function startEureka(opts: EurekaStartOptions = {}): Promise<EurekaServer> {
  const buildSeconds = opts.build === false ? 0 : buildEureka();
  const selfPreservation = opts.selfPreservation ?? false;
  const label = `Eureka${selfPreservation ? ' (self-preservation)' : ''}`;
  const app = await startJavaApp({
    label,
    jar: JAR,
    dir: opts.dir,
    ownerPid: opts.ownerPid,
    args: (port) => [
      `--server.port=${port}`,
      '--server.address=127.0.0.1',
      '--spring.main.banner-mode=off',
      '--spring.jmx.enabled=false',
      '--eureka.instance.hostname=127.0.0.1',
      '--eureka.client.register-with-eureka=false',
      '--eureka.client.fetch-registry=false',
      `--eureka.client.service-url.defaultZone=http://127.0.0.1:${port}/eureka/`,
      '--eureka.server.use-read-only-response-cache=false',
      `--eureka.server.eviction-interval-timer-in-ms=${EVICTION_INTERVAL_MS}`,
      `--eureka.server.enable-self-preservation=${selfPreservation}`,
      ...(selfPreservation ? ['--eureka.server.wait-time-in-ms-when-sync-empty=0'] : []),
    ],
    ready: async (port) => (await httpStatus(`http://127.0.0.1:${port}/eureka/apps`, { Accept: 'application/json' })) === 200,
  });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  process.stderr.write(`${label}: ready ${app.readySeconds.toFixed(1)} s after launch at ${baseUrl}\n`);
  return {
    url: `${baseUrl}/eureka`,
    baseUrl,
    port: app.port,
    selfPreservation,
    evictionIntervalMs: EVICTION_INTERVAL_MS,
    readySeconds: app.readySeconds,
    buildSeconds,
    pid: app.pid,
    dir: app.dir,
    stop: app.stop,
  };
}

/** The run's Eureka server of this kind (evicting by default), started on first use. */
export function sharedEureka(opts: { selfPreservation?: boolean; tenant?: string } = {}): Promise<EurekaEndpoint> {
  const sp = opts.selfPreservation ?? false;
  // A tenant gets a server of its own: the self-preservation test reads the server's renewal
  // threshold, which any other test's instances would move.
  const key = `${sp ? 'eureka-self-preservation' : 'eureka'}${opts.tenant ? `-${opts.tenant}` : ''}`;
  return sharedServer(key, `${sp ? 'Eureka (self-preservation)' : 'Eureka'}${opts.tenant ? ` for ${opts.tenant}` : ''}`, async ({ dir, ownerPid }) => {
    const buildSeconds = await buildJarLocked(MODULE, JAR, 'eureka-server');
    const { stop: _stop, ...endpoint } = await startEureka({ selfPreservation: sp, dir, ownerPid, build: false });
    return { ...endpoint, buildSeconds };
  });
}

let counter = 0;

/**
 * An application name no other test (or earlier run on the same server) uses: `<label>-<pid>-<n>-<random>`,
 * upper-cased as Eureka stores it.
 */
export function eurekaAppName(label: string): string {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 7)}`.toUpperCase();
}
