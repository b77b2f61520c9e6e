import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the jars the tests run (the Java interop peers, the Nacos 2.3.2 server) from small Maven
 * modules under test/, and checks the tools for it. Shared so every module is built the same way.
 */

/** Fails loudly when a tool is missing: CI installs it, and a skipped suite would hide the gap. */
export function requireTool(cmd: string, args: string[], install: string): void {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
  } catch (e) {
    throw new Error(`${cmd} is required by the tests but \`${[cmd, ...args].join(' ')}\` failed (${(e as Error).message}); install it: ${install}`);
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
 * missing or older than the module's pom.xml and src/ (a module may have no src/: one that only
 * repackages dependencies). Maven's output is shown only on failure.
 */
export function buildJar(module: string, jar: string, mavenArgs: string[] = []): void {
  requireTool('java', ['-version'], 'apt-get install openjdk-17-jdk-headless');
  requireTool('mvn', ['-v'], 'apt-get install maven');
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
