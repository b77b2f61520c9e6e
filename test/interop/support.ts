import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LockView } from '../../src/core/types.js';
import { opsdeck } from '../helpers/cli.js';

/**
 * Shared by the interop suites: tools that must exist, jar builds, the profile file, `locks show`
 * through the CLI, and a line protocol reader for helper processes (the Redisson program prints
 * `TAG {json}` lines).
 */

/** Fails loudly when a tool is missing: CI installs it, and a skipped suite would hide the gap. */
export function requireTool(cmd: string, args: string[], install: string): void {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
  } catch (e) {
    throw new Error(`${cmd} is required by the interop tests but \`${[cmd, ...args].join(' ')}\` failed (${(e as Error).message}); install it: ${install}`);
  }
}

/** Newest modification time under a path, to decide whether a jar is older than its sources. */
function newestUnder(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestUnder(join(path, f))));
}

/**
 * Builds a Maven module's jar (`mvn -q -B package` plus `mavenArgs`, e.g. a profile) when it is
 * missing or older than the module's pom.xml and src/ (if it has one). Maven's output is shown only on failure.
 */
export function buildJar(module: string, jar: string, mavenArgs: string[] = []): void {
  requireTool('java', ['-version'], 'apt-get install openjdk-17-jdk-headless');
  requireTool('mvn', ['-v'], 'apt-get install maven');
  // A module may have no src/ (seata-tc only repackages a server from Maven Central).
  const src = join(module, 'src');
  const sources = Math.max(newestUnder(join(module, 'pom.xml')), existsSync(src) ? newestUnder(src) : 0);
  if (existsSync(jar) && statSync(jar).mtimeMs >= sources) return;
  try {
    // The first run downloads the dependencies and Maven plugins from Maven Central.
    execFileSync('mvn', ['-q', '-B', '-f', join(module, 'pom.xml'), '-DskipTests', ...mavenArgs, 'package'], { stdio: 'pipe', encoding: 'utf8', timeout: 360_000 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`building ${jar} failed: ${(e as Error).message}\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** Writes `$XDG_CONFIG_HOME/opsdeck/config.yaml`. JSON is valid YAML, so no serializer is needed. */
export function writeProfiles(env: NodeJS.ProcessEnv, profiles: Record<string, unknown>): void {
  const dir = join(env.XDG_CONFIG_HOME!, 'opsdeck');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), JSON.stringify({ profiles }, null, 2) + '\n');
}

/** A lock as `-o json` prints it, with the backend-specific details the suites look into. */
export type InteropView = LockView & { details?: Record<string, any> };

/** `locks show NAME -o json` under a profile with one lock backend, so exactly one view. */
export function showOne(env: NodeJS.ProcessEnv, profile: string, name: string): InteropView {
  const r = opsdeck(env, ['--profile', profile, 'locks', 'show', name, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  const views = r.json<InteropView[]>();
  expect(views).toHaveLength(1);
  return views[0]!;
}

export interface Event {
  tag: string;
  data: any;
}

/**
 * A child that speaks `TAG {json}` on stdout. `next(tag)` returns the first unread event with that
 * tag, waiting up to a deadline; every event stays in `events` so a test can also assert that
 * something did NOT happen (e.g. no ACQUIRED before the force release).
 */
export class LineProcess {
  readonly events: Event[] = [];
  private readonly consumed = new Set<Event>();
  private stderr = '';
  private stdoutTail = '';
  private waiters: Array<() => void> = [];
  private exited: number | null = null;
  readonly child: ChildProcessWithoutNullStreams;

  constructor(readonly label: string, cmd: string, args: string[]) {
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => {
      buf += d;
      this.stdoutTail = (this.stdoutTail + d).slice(-4000);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        const m = /^([A-Z_]+) (\{.*\})$/.exec(line);
        if (m) this.events.push({ tag: m[1]!, data: JSON.parse(m[2]!) });
      }
      this.wake();
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-8000)));
    this.child.on('exit', (code) => {
      this.exited = code ?? -1;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The events with this tag seen so far. */
  seen(tag: string): any[] {
    return this.events.filter((e) => e.tag === tag).map((e) => e.data);
  }

  /** The next unread event with this tag; rejects with the child's output at the deadline or exit. */
  async next(tag: string, deadlineMs = 60_000): Promise<any> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const found = this.events.find((e) => e.tag === tag && !this.consumed.has(e));
      if (found) {
        this.consumed.add(found);
        return found.data;
      }
      const left = until - Date.now();
      if (this.exited !== null || left <= 0) {
        const why = this.exited !== null ? `exited with ${this.exited}` : `no ${tag} within ${deadlineMs} ms`;
        throw new Error(`${this.label}: ${why}\nstdout:\n${this.stdoutTail}\nstderr:\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Asks the child to finish (it releases what it holds), and kills it if it does not. */
  async stop(): Promise<void> {
    if (this.exited !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end('quit\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}
