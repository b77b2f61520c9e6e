import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/**
 * A real etcd (Debian's 3.4 package) as a one-member cluster on free loopback client and peer
 * ports, with its data in a temp dir removed on stop. Each test file gets its own server, so no run
 * depends on another's keys. A missing binary fails loudly: .ci/run installs it.
 */
export interface EtcdServer {
  url: string;
  /** Runs etcdctl against this server (with the root credentials when auth is on). */
  ctl(args: string[], input?: string): Promise<string>;
  /** The argv prefix for etcdctl against this server, for tests that spawn it themselves. */
  ctlArgs: string[];
  /** Set when started with auth: the root user's password. */
  rootPassword: string | null;
  stop(): Promise<void>;
}

export interface EtcdStartOptions {
  /** Create a root user and role and turn authentication on before handing the server out. */
  auth?: boolean;
}

export async function startEtcd(opts: EtcdStartOptions = {}): Promise<EtcdServer> {
  try {
    execFileSync('etcd', ['--version'], { stdio: 'ignore' });
    execFileSync('etcdctl', ['version'], { stdio: 'ignore', env: { ...process.env, ETCDCTL_API: '3' } });
  } catch {
    throw new Error('etcd is not installed (apt-get install etcd-server etcd-client); the etcd tests need a real server');
  }
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-etcd-'));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const url = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child: ChildProcess = spawn(
    'etcd',
    [
      '--name', 'opsdeck-test',
      '--data-dir', join(dir, 'data'),
      '--listen-client-urls', url,
      '--advertise-client-urls', url,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `opsdeck-test=${peer}`,
      '--initial-cluster-state', 'new',
      '--log-level', 'warn',
      '--logger', 'zap',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  const stop = async () => {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child, () => log);
  } catch (e) {
    await stop();
    throw e;
  }
  const ctlArgs = ['--endpoints', url, '--dial-timeout', '3s', '--command-timeout', '10s'];
  const env = { ...process.env, ETCDCTL_API: '3' };
  let rootPassword: string | null = null;
  const ctl = async (args: string[], input?: string) => {
    const auth = rootPassword === null ? [] : ['--user', `root:${rootPassword}`];
    const p = run('etcdctl', [...ctlArgs, ...auth, ...args], { env, timeout: 15_000 });
    if (input !== undefined) {
      p.child.stdin!.end(input);
    }
    return (await p).stdout;
  };
  if (opts.auth) {
    const password = `pw-${Math.random().toString(36).slice(2, 10)}`;
    try {
      // --interactive=false reads the password from stdin instead of a terminal prompt.
      await ctl(['user', 'add', 'root', '--interactive=false'], `${password}\n`);
      await ctl(['role', 'add', 'root']);
      await ctl(['user', 'grant-role', 'root', 'root']);
      await ctl(['auth', 'enable']);
      rootPassword = password;
    } catch (e) {
      await stop();
      throw new Error(`could not turn on etcd auth: ${(e as Error).message}`);
    }
  }
  return {
    url,
    ctl,
    ctlArgs,
    get rootPassword() {
      return rootPassword;
    },
    stop,
  };
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited with ${child.exitCode}:\n${log()}`);
    if (Date.now() > deadline) throw new Error(`etcd at ${url} did not become healthy:\n${log()}`);
    try {
      const r = await fetch(`${url}/health`);
      const body = (await r.json()) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
