import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { freePort } from './redis-server.js';

/**
 * Starts a real ZooKeeper 3.8 (the Debian package's jars) standalone on a free loopback port in a
 * temp dir, with the admin server off. By default every four-letter word is allowed, so `cons`
 * works; `fourLetterWords: 'ruok'` starts one that allows only ruok, as many production servers do.
 * tickTime is short so session expiry (opsdeck's lease) is seen quickly; session timeouts may be
 * 1 s to 120 s. When the jars are missing the start fails loudly: .ci/run installs them.
 */
export interface ZooKeeperServer {
  port: number;
  connect: string;
  /** The smallest session timeout the server grants. */
  minSessionMs: number;
  stop(): Promise<void>;
}

const JARS = '/usr/share/java';
const CLASSPATH = [
  'zookeeper.jar',
  'zookeeper-jute.jar',
  'slf4j-api.jar',
  'slf4j-simple.jar',
  'netty-handler.jar',
  'netty-common.jar',
  'netty-buffer.jar',
  'netty-transport.jar',
  'netty-codec.jar',
  'netty-resolver.jar',
  'netty-transport-native-epoll.jar',
  'netty-transport-native-unix-common.jar',
].map((j) => join(JARS, j));

export async function startZooKeeper(opts: { fourLetterWords?: string } = {}): Promise<ZooKeeperServer> {
  const missing = CLASSPATH.filter((j) => !existsSync(j));
  if (missing.length > 0) throw new Error(`ZooKeeper jars missing (${missing.join(', ')}); install them: apt-get install zookeeper`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-zk-'));
  const minSessionMs = 1000;
  writeFileSync(
    join(dir, 'zoo.cfg'),
    [
      'tickTime=250',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      `4lw.commands.whitelist=${opts.fourLetterWords ?? '*'}`,
      `minSessionTimeout=${minSessionMs}`,
      'maxSessionTimeout=120000',
      '',
    ].join('\n'),
  );
  const log = join(dir, 'server.log');
  const child = spawn(
    'java',
    [
      '-Xmx256m',
      `-Dorg.slf4j.simpleLogger.logFile=${log}`,
      '-Dzookeeper.jmx.log4j.disable=true',
      // Empty container znodes (Curator's lock and service parents) are reaped every second, as in
      // production (every 60 s) but sooner. A system property: in zoo.cfg the server would read it
      // as zookeeper.znode.container.checkIntervalMs and ignore it.
      '-Dznode.container.checkIntervalMs=1000',
      '-cp',
      CLASSPATH.join(':'),
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      join(dir, 'zoo.cfg'),
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  try {
    await waitReady(child, port, log);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    connect: `127.0.0.1:${port}`,
    minSessionMs,
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Asks `ruok` until the server says `imok` (ruok is always allowed, whatever the whitelist). */
async function waitReady(child: ChildProcess, port: number, log: string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ZooKeeper exited with ${child.exitCode}:\n${tail(log)}`);
    if ((await ruok(port)) === 'imok') return;
    if (Date.now() > until) throw new Error(`ZooKeeper on port ${port} did not answer ruok within 30 s:\n${tail(log)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function ruok(port: number): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const s = connect({ host: '127.0.0.1', port }, () => s.write('ruok'));
    s.setTimeout(1000, () => s.destroy());
    s.on('data', (d) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(''));
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-3000);
  } catch {
    return '(no log)';
  }
}

/** A connected node-zookeeper-client session for a test's own reads and writes (close it when done). */
export async function rawZkClient(connect: string, sessionTimeout = 30_000): Promise<Client> {
  const client = zookeeper.createClient(connect, { sessionTimeout });
  await new Promise<void>((resolve) => {
    client.once('connected', () => resolve());
    client.connect();
  });
  return client;
}
