import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zookeeper, { type Client } from 'node-zookeeper-client';
import { launchDetached } from './detached.js';
import { freePort } from './redis-server.js';
import { sharedServer } from './shared-server.js';

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
  checkJars();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-zk-'));
  const { args, log } = prepare(dir, port, opts.fourLetterWords ?? '*');
  const child = spawn('java', args, { stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    await waitReady(() => child.exitCode !== null, port, log);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    connect: `127.0.0.1:${port}`,
    minSessionMs: MIN_SESSION_MS,
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

/** The run's ZooKeeper (every four-letter word allowed), started on first use and shared by every test file that asks; the run's teardown stops it. */
export function sharedZooKeeper(): Promise<Omit<ZooKeeperServer, 'stop'> & { pid: number; readySeconds: number }> {
  return sharedServer('zookeeper', 'ZooKeeper 3.8', async ({ dir, ownerPid }) => {
    checkJars();
    const started = Date.now();
    const port = await freePort();
    mkdirSync(dir, { recursive: true });
    const { args, log } = prepare(dir, port, '*');
    const p = launchDetached({ label: 'ZooKeeper', dir, cmd: 'java', args: [`-Dopsdeck.zk.dir=${dir}`, ...args], marker: `-Dopsdeck.zk.dir=${dir}`, ownerPid });
    await waitReady(() => p.exited(), port, log);
    return { pid: p.pid, readySeconds: (Date.now() - started) / 1000, port, connect: `127.0.0.1:${port}`, minSessionMs: MIN_SESSION_MS };
  });
}

const MIN_SESSION_MS = 1000;

function checkJars(): void {
  const missing = CLASSPATH.filter((j) => !existsSync(j));
  if (missing.length > 0) throw new Error(`ZooKeeper jars missing (${missing.join(', ')}); install them: apt-get install zookeeper`);
}

/** Writes zoo.cfg into `dir`; the JVM arguments that start the server on it, and its log file. */
function prepare(dir: string, port: number, fourLetterWords: string): { args: string[]; log: string } {
  writeFileSync(
    join(dir, 'zoo.cfg'),
    [
      'tickTime=250',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      `4lw.commands.whitelist=${fourLetterWords}`,
      `minSessionTimeout=${MIN_SESSION_MS}`,
      'maxSessionTimeout=120000',
      '',
    ].join('\n'),
  );
  const log = join(dir, 'server.log');
  const args = [
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
  ];
  return { args, log };
}

/** Asks `ruok` until the server says `imok` (ruok is always allowed, whatever the whitelist). */
async function waitReady(exited: () => boolean, port: number, log: string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    if (exited()) throw new Error(`ZooKeeper exited:\n${tail(log)}`);
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
