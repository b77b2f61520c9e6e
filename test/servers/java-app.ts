import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortBlock, launchDetached, lostPortRace, pollUntil, type DetachedProcess } from './detached.js';

/**
 * A runnable jar (a Spring Boot server or application) started detached on free loopback ports,
 * with the stop script and watchdog of detached.ts, waiting until it is ready. A lost port race
 * (another process bound the port between the check and the JVM's bind) starts it again.
 */
export interface JavaAppOptions {
  label: string;
  jar: string;
  /** The process's directory; default: a new temp dir. */
  dir?: string;
  /** Whose exit stops the process; default: this process. */
  ownerPid?: number;
  /** How many consecutive free ports the application needs; it gets the first as `port`. */
  ports?: number;
  /** Program arguments for the ports picked. */
  args(port: number): string[];
  env?: NodeJS.ProcessEnv;
  /** Extra JVM options (system properties). */
  jvm?: string[];
  /** True once the application is ready (polled every 300 ms). */
  ready(port: number): Promise<boolean>;
  timeoutMs?: number;
}

export interface JavaApp extends DetachedProcess {
  port: number;
  /** Seconds from launching the JVM until `ready` held. */
  readySeconds: number;
}

// Small heap, one GC thread, no C2 compiler: start-up on two shared cores is what counts here.
export const JVM_OPTS = ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

export async function startJavaApp(o: JavaAppOptions): Promise<JavaApp> {
  const timeoutMs = o.timeoutMs ?? 180_000;
  let dir = o.dir;
  for (let attempt = 1; ; attempt++) {
    const port = await freePortBlock(o.ports ?? 1);
    // Made right before the launch, with no await in between: a worker killed earlier leaves no
    // directory without a watchdog behind.
    dir ??= mkdtempSync(join(tmpdir(), 'opsdeck-java-'));
    // The marker names this directory, so the stop script signals only this JVM. It is also the
    // JVM's home: what libraries cache under ~ (Dubbo's ~/.dubbo files and their locks) stays in this
    // run and goes with the directory.
    const args = [...JVM_OPTS, `-Dopsdeck.test.dir=${dir}`, `-Duser.home=${dir}`, ...(o.jvm ?? []), '-jar', o.jar, ...o.args(port)];
    const proc = launchDetached({ label: o.label, dir, cmd: 'java', args, env: o.env, marker: `-Dopsdeck.test.dir=${dir} `, ownerPid: o.ownerPid });
    const t0 = Date.now();
    const ready = await pollUntil(timeoutMs, proc.exited, () => o.ready(port));
    if (ready) return { ...proc, port, readySeconds: (Date.now() - t0) / 1000 };
    const tail = proc.logTail(80);
    if (proc.exited() && lostPortRace(tail) && attempt < 3) continue;
    await proc.stop();
    throw new Error(`${o.label} ${proc.exited() ? 'exited' : `was not ready within ${timeoutMs / 1000} s`}; the end of its log:\n${tail}`);
  }
}
