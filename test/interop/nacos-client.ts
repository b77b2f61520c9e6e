import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NacosEndpoint } from '../servers/nacos-server.js';
import { JVM_OPTS } from '../servers/java-app.js';
import { buildJarLocked } from '../servers/shared-server.js';
import { LineProcess } from './support.js';

/**
 * The real Nacos Java client (`com.alibaba.nacos:nacos-client:2.5.1`, gRPC to the server's port +
 * 1000) in a small program (the Maven module test/interop/nacos-client), logged in to a test's
 * server in one namespace. The test drives it with commands and reads what the client sees: the
 * pushes of its service subscription and the changes its config listener receives.
 */
export interface NacosJavaInstance {
  instanceId: string;
  ip: string;
  port: number;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  ephemeral: boolean;
  clusterName: string;
  metadata: Record<string, string>;
}

export interface NacosJavaClient {
  /** The address the client reports to the server about itself (the server lists listeners under it). */
  clientIp: string;
  /** Registers an ephemeral instance, as a service registers itself. */
  register(service: string, group: string, ip: string, port: number, metadata: Record<string, string>): Promise<void>;
  /** Subscribes; every push then arrives as an `INSTANCES` event (`next('INSTANCES')`). */
  subscribe(service: string, group: string): Promise<void>;
  /** What a load balancer gets from the client: the healthy instances of the subscription. */
  select(service: string, group: string): Promise<NacosJavaInstance[]>;
  /** Reads a config and adds a listener; returns the content read. Changes arrive as `CONFIG` events. */
  listen(dataId: string, group: string): Promise<string | null>;
  /** The next unread event with this tag (`INSTANCES`: {instances}, `CONFIG`: {content}). */
  next(tag: 'INSTANCES' | 'CONFIG', deadlineMs?: number): Promise<any>;
  /** Every event with this tag so far (read or not). */
  seen(tag: 'INSTANCES' | 'CONFIG'): any[];
  /** Shuts the client down (its ephemeral instance goes) and removes its home directory. */
  stop(): Promise<void>;
}

const MODULE = join(__dirname, 'nacos-client');
const JAR = join(MODULE, 'target/nacos-client-interop.jar');

export async function startNacosJavaClient(s: NacosEndpoint, namespace: string): Promise<NacosJavaClient> {
  await buildJarLocked(MODULE, JAR, 'nacos-client');
  // The client keeps logs, naming snapshots and its config cache under ~: a home of its own per run.
  const home = mkdtempSync(join(tmpdir(), 'opsdeck-nacos-java-'));
  const p = new LineProcess(`Nacos Java client (${s.version}, ${namespace})`, 'java', [
    ...JVM_OPTS,
    `-Duser.home=${home}`,
    `-DJM.LOG.PATH=${join(home, 'logs')}`,
    `-DJM.SNAPSHOT.PATH=${home}`,
    '-jar',
    JAR,
    `127.0.0.1:${s.port}`,
    namespace,
    s.username,
    s.password,
  ]);
  const t0 = Date.now();
  const ready = await p.next('READY', 90_000);
  process.stderr.write(`Nacos Java client: connected to Nacos ${s.version} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const ask = (cmd: string, args: unknown, reply: string) => p.request(`${cmd} ${JSON.stringify(args)}`, reply);
  return {
    clientIp: ready.clientIp,
    register: async (service, group, ip, port, metadata) => void (await ask('register', { service, group, ip, port, metadata }, 'REGISTERED')),
    subscribe: async (service, group) => void (await ask('subscribe', { service, group }, 'SUBSCRIBED')),
    select: async (service, group) => (await ask('select', { service, group }, 'SELECTED')).instances,
    listen: async (dataId, group) => (await ask('listen', { dataId, group }, 'LISTENING')).content,
    next: (tag, deadlineMs = 30_000) => p.next(tag, deadlineMs),
    seen: (tag) => p.seen(tag),
    stop: async () => {
      await p.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
