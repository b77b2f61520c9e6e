import { DEMO_INSTANCES } from '../../commands/misc/demo-fleet.js';
import type { ConsoleReads } from '../console-reads.js';

/** The demo's own clock speed: 1 in use; tests raise it (OPSDECK_DEMO_SPEED) to see minutes in seconds. */
export function demoSpeed(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.OPSDECK_DEMO_SPEED ?? '1');
  return Number.isFinite(n) && n >= 1 && n <= 100 ? n : 1;
}

// The gateways are the demo's ephemeral fleet; the others are persistent and need no heartbeats.
const GATEWAYS = DEMO_INSTANCES.filter((i) => i.service === 'gateway' && i.namespace === undefined);

/**
 * Keeps the demo fleet alive in-process: gateways heartbeat (one of them flaps), a feature flag
 * flips now and then, and workers take and release job locks, so every pane moves on its own.
 * It runs the same commands a user would (`instances register`, `config set`, `locks acquire`,
 * `locks release`) through the console's reads (`act`): these are the fleet's actions, not the
 * user's, so they stay out of history, recordings and the audit log.
 *
 * The fleet is taken from its definition (demo-fleet.ts), never from what the registry still
 * lists: deriving it from the registry let each expired gateway shrink the fleet, until the whole
 * service was gone a minute in and the welcome hint's own command failed.
 */
export class DemoAnimator {
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private stopped = false;
  private readonly held = new Map<string, { owner: string; until: number }>();
  private readonly periodMs: number;
  private readonly ttlMs: number;

  constructor(private readonly reads: ConsoleReads, speed = 1) {
    this.periodMs = 1000 / speed;
    this.ttlMs = 4000 / speed;
  }

  start(): void {
    this.stopped = false;
    // One step at a time: a slow backend must delay the next beat, not stack steps up behind it.
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.step().catch(() => undefined).finally(next), this.periodMs);
      this.timer.unref?.();
    };
    next();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One beat of the fleet (public so a test can run many minutes of it without waiting). */
  async step(): Promise<void> {
    const t = ++this.tick;
    // The demo's profile has one registry, config backend and lock backend; the fleet lives in their default scope.
    const act = (words: string[]) => this.reads.act(words);
    const ttl = `${Math.round(this.ttlMs)}ms`;
    for (const [i, inst] of GATEWAYS.entries()) {
      // The last gateway misses its heartbeats for 8 beats of every 20: it goes unhealthy, may
      // expire, and comes back when it beats again. The other two never stop, so the service stays.
      const flapping = i === GATEWAYS.length - 1 && t % 20 >= 12;
      if (flapping) continue;
      const meta = Object.entries(inst.metadata).flatMap(([k, v]) => ['--meta', `${k}=${v}`]);
      await act(['instances', 'register', 'gateway', `${inst.ip}:${inst.port}`, '--weight', String(inst.weight), ...meta, '--ephemeral', '--ttl', ttl]);
    }
    if (t % 7 === 0) {
      const on = t % 14 === 0;
      await act(['config', 'set', 'feature-flags.properties', '--value', `checkout.v2=${on}\nsearch.semantic=${!on}\n`, '--type', 'properties']);
    }
    const scale = this.periodMs / 1000;
    const now = Date.now();
    for (const [name, h] of this.held) {
      if (h.until <= now) {
        this.held.delete(name);
        await act(['locks', 'release', name, '--owner', h.owner]).catch(() => undefined);
      }
    }
    if (t % 3 === 0) {
      const job = `jobs/report-${t % 4}`;
      const owner = `report-worker-${t % 5}@10.0.7.${20 + (t % 5)}`;
      if (!this.held.has(job)) {
        await act(['locks', 'acquire', job, '--owner', owner, '--ttl', `${Math.round(15_000 * scale)}ms`, '--wait', '0s']).then(
          () => this.held.set(job, { owner, until: now + (2000 + (t % 3) * 1500) * scale }),
          () => undefined,
        );
      }
    }
  }
}
