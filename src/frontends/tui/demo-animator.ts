import { DEMO_INSTANCES, type DemoInstance } from '../../commands/misc/demo-fleet.js';
import type { Session } from '../../session/session.js';

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
 * It goes straight to the backends: these are the fleet's actions, not the user's, so they stay out
 * of history and recordings.
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

  /** Metadata that points the scraper at the instance's demo metrics page (demo-metrics.ts). */
  metricsMetadata: ((inst: DemoInstance) => Record<string, string>) | null = null;
  private labelled = false;

  constructor(private readonly session: Session, speed = 1) {
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

  /**
   * The last gateway misses its heartbeats for 8 beats of every 20: it goes unhealthy, may expire,
   * and comes back when it beats again. The other two never stop, so the service stays. Its
   * metrics page is down meanwhile.
   */
  isDown(inst: DemoInstance): boolean {
    return inst === GATEWAYS[GATEWAYS.length - 1] && this.tick % 20 >= 12;
  }

  /** One beat of the fleet (public so a test can run many minutes of it without waiting). */
  async step(): Promise<void> {
    const t = ++this.tick;
    // The demo's profile has one registry and one config backend; the fleet lives in their default scope.
    const registry = await this.session.registryBackend();
    if (this.metricsMetadata && !this.labelled) await this.labelForMetrics();
    const gateway = { scope: {}, name: 'gateway' };
    for (const inst of GATEWAYS) {
      if (this.isDown(inst)) continue;
      const metadata = { ...inst.metadata, ...this.metricsMetadata?.(inst) };
      await registry.register?.(gateway, { ip: inst.ip, port: inst.port, weight: inst.weight, metadata, ephemeral: true, ...(registry.leaseTtl === 'per-instance' ? { ttlMs: this.ttlMs } : {}) });
    }
    if (t % 7 === 0) {
      const config = await this.session.configBackend();
      const on = t % 14 === 0;
      await config.set?.({ scope: {}, dataId: 'feature-flags.properties' }, `checkout.v2=${on}\nsearch.semantic=${!on}\n`, 'properties', {});
    }
    const locks = await this.session.lockBackend();
    if (!locks?.tryAcquire || !locks.release) return;
    const scale = this.periodMs / 1000;
    const now = Date.now();
    for (const [name, h] of this.held) {
      if (h.until <= now) {
        this.held.delete(name);
        await locks.release(name, h.owner).catch(() => undefined);
      }
    }
    if (t % 3 === 0) {
      const job = `jobs/report-${t % 4}`;
      const owner = `report-worker-${t % 5}@10.0.7.${20 + (t % 5)}`;
      if (!this.held.has(job)) {
        await locks.tryAcquire(job, { owner, ttlMs: 15_000 * scale, waitMs: 0 }).then(
          () => this.held.set(job, { owner, until: now + (2000 + (t % 3) * 1500) * scale }),
          () => undefined,
        );
      }
    }
  }

  /** Once: the persistent instances get the metadata that makes the scraper collect them. */
  private async labelForMetrics(): Promise<void> {
    this.labelled = true;
    const registry = await this.session.registryBackend();
    if (!registry.updateMetadata) return;
    for (const inst of DEMO_INSTANCES) {
      if (inst.ephemeral) continue;
      const ref = { scope: inst.namespace === undefined ? {} : { namespace: inst.namespace }, name: inst.service };
      const found = await registry.getService(ref).catch(() => null);
      const id = found?.instances.find((x) => x.ip === inst.ip && x.port === inst.port)?.id;
      if (id) await registry.updateMetadata(ref, id, { set: this.metricsMetadata!(inst), remove: [] }).catch(() => undefined);
    }
  }
}
