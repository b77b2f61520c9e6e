#!/usr/bin/env node
// Makes sure the programs the tests start are installed, before `npm test` runs them.
//
// The tests run real servers (ZooKeeper, etcd, Prometheus, Redis, a JVM for the Java interop
// peers) and real shells, all from Debian packages. On a fresh machine of the kind opsdeck is
// developed on, `npm ci && npm test` must be enough, so whatever is missing is installed here
// with apt-get when we are root (or have password-less sudo). Otherwise nothing is installed:
// this prints the one apt-get line to run, and the tests that need a missing program fail with
// the same hint (they never skip silently).
//
// OPSDECK_TEST_NO_INSTALL=1 checks and reports only.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** What the tests run, the Debian package that provides it, and which tests need it. */
const TOOLS = [
  { cmd: 'tmux', pkg: 'tmux', why: 'console end-to-end tests (a real terminal)' },
  { cmd: 'redis-server', pkg: 'redis-server', why: 'Redis lock and cache tests' },
  { cmd: 'redis-cli', pkg: 'redis-tools', why: 'Redis cluster tests' },
  { cmd: 'java', pkg: 'openjdk-17-jdk-headless', why: 'Java interop peers and servers (Redisson, Curator, ShedLock, Seata, Eureka, Spring Cloud Zookeeper and Consul, Dubbo)' },
  { cmd: 'mvn', pkg: 'maven', why: 'building the Java interop peers and servers' },
  { cmd: 'python3', pkg: 'python3', why: 'the console benchmark\'s PTY helper' },
  { cmd: 'prometheus', pkg: 'prometheus', why: 'metrics tests against a real Prometheus' },
  { path: '/usr/share/zookeeper/bin/zkServer.sh', pkg: 'zookeeper', why: 'ZooKeeper lock tests against ZooKeeper 3.8' },
  { cmd: 'etcd', pkg: 'etcd-server', why: 'etcd lock tests against etcd 3.4' },
  { cmd: 'etcdctl', pkg: 'etcd-client', why: 'etcd interop (the Go client takes locks)' },
  { cmd: 'zsh', pkg: 'zsh', why: 'shell completion tests in zsh' },
  { cmd: 'fish', pkg: 'fish', why: 'shell completion tests in fish' },
  { path: '/usr/sbin/nginx', pkg: 'nginx', why: 'bench/load.mjs: the server the load engine, wrk and autocannon are measured against' },
  { cmd: 'wrk', pkg: 'wrk', why: 'bench/load.mjs: the load generator the engine\'s req/s and latency are compared with' },
];

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const exists = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const present = (t) => (t.cmd ? onPath(t.cmd) : exists(t.path));

const missing = TOOLS.filter((t) => !present(t));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((t) => t.pkg))];
const line = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
for (const t of missing) console.error(`test tools: ${t.cmd ?? t.path} is missing (package ${t.pkg}), needed by ${t.why}`);

const root = process.getuid?.() === 0;
const sudo = !root && onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
if (process.env.OPSDECK_TEST_NO_INSTALL === '1' || !onPath('apt-get') || (!root && !sudo)) {
  const how = !onPath('apt-get') ? 'this machine has no apt-get; install the equivalents' : root || sudo ? 'OPSDECK_TEST_NO_INSTALL=1 is set' : 'not root, so nothing was installed';
  console.error(`test tools: ${how}. Run:\n  sudo ${line}\nThe tests that need them will fail until then.`);
  process.exit(0);
}

console.error(`test tools: installing ${pkgs.join(' ')} with apt-get`);
const run = (args) => execFileSync(sudo ? 'sudo' : args[0], sudo ? ['-n', ...args] : args.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
try {
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', ...pkgs]);
} catch (e) {
  console.error(`test tools: apt-get failed (${e.message.split('\n')[0]}). Run:\n  ${line}\nThe tests that need them will fail until then.`);
  process.exit(0);
}
const still = TOOLS.filter((t) => !present(t));
if (still.length > 0) console.error(`test tools: still missing after apt-get: ${still.map((t) => t.cmd ?? t.path).join(', ')}`);
