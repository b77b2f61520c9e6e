import type { Session } from '../../session/session.js';

/**
 * Keeps the demo fleet alive in-process: gateways heartbeat (one of them flaps), a feature flag
 * flips now and then, and workers take and release job locks, so every pane moves on its own.
 * It goes straight to the backends: these are the fleet's actions, not the user's, so they stay out
 * of history and recordings.
 */
export class DemoAnimator {
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private readonly held = new Map<string, { owner: string; until: number }>();

  constructor(private readonly session: Session, private readonly periodMs = 1000) {}

  start(): void {
    this.timer = setInterval(() => void this.step().catch(() => undefined), this.periodMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async step(): Promise<void> {
    const t = ++this.tick;
    // The demo's profile has one registry and one config backend; the fleet lives in their default scope.
    const registry = await this.session.registryBackend();
    const gateway = { scope: {}, name: 'gateway' };
    const detail = await registry.getService(gateway).catch(() => null);
    for (const [i, inst] of (detail?.instances ?? []).entries()) {
      // The last gateway misses its heartbeats for 8 s of every 20 s: it goes unhealthy, then recovers.
      const flapping = i === (detail?.instances.length ?? 0) - 1 && t % 20 >= 12;
      if (flapping) continue;
      await registry.register?.(gateway, { ip: inst.ip, port: inst.port, weight: inst.weight ?? 1, metadata: inst.metadata, ephemeral: true, ...(registry.leaseTtl === 'per-instance' ? { ttlMs: 4000 } : {}) });
    }
    if (t % 7 === 0) {
      const config = await this.session.configBackend();
      const on = t % 14 === 0;
      await config.set?.({ scope: {}, dataId: 'feature-flags.properties' }, `checkout.v2=${on}\nsearch.semantic=${!on}\n`, 'properties', {});
    }
    const locks = await this.session.lockBackend();
    if (!locks?.tryAcquire || !locks.release) return;
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
        await locks.tryAcquire(job, { owner, ttlMs: 15_000, waitMs: 0 }).then(
          () => this.held.set(job, { owner, until: now + 2000 + (t % 3) * 1500 }),
          () => undefined,
        );
      }
    }
  }
}
