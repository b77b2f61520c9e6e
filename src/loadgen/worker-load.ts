import { performance } from 'node:perf_hooks';
import { totalLoadErrors } from './load-errors.js';
import { LatencyStats } from './latency-stats.js';
import { LoadConnection, type ConnectionOwner } from './load-connection.js';
import { TargetStats } from './target-stats.js';
import type { FromWorker, WorkerPlan } from './worker-messages.js';

/**
 * One worker's part of a load: its connections, what they measured per target, and a report once
 * a second. Reports cost one histogram encoding a second here; merging them is the main thread's
 * work, so the summary never stalls this loop.
 */
export class WorkerLoad implements ConnectionOwner {
  stopped = false;
  readonly readBuffer = Buffer.allocUnsafe(64 * 1024);
  readonly interval: LatencyStats | null;
  private readonly stats: TargetStats[];
  private readonly connections: LoadConnection[];
  private inflight = 0;
  private answers = 0;
  private t0 = 0;
  /** When prepare began dialling (0 when the worker was started without it). */
  private openedAt = 0;
  private seq = 0;
  private reported = { answers: 0, errors: 0 };
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly plan: WorkerPlan,
    private readonly post: (m: FromWorker) => void,
  ) {
    this.interval = plan.progress ? new LatencyStats() : null;
    this.stats = plan.targets.map(() => new TargetStats());
    this.connections = plan.connections.map(
      (c) =>
        new LoadConnection(this, plan.targets[c.target]!, this.stats[c.target]!, {
          pipelining: plan.pipelining,
          keepAlive: plan.keepAlive,
          timeoutMs: plan.timeoutMs,
          intervalMs: plan.intervalMs,
          phaseMs: c.phaseMs,
          durationMs: plan.durationMs,
        }),
    );
  }

  /** Opens every connection; `ready` once each has connected or failed, or after the timeout. */
  prepare(ready: () => void): void {
    this.openedAt = performance.now();
    let waiting = this.connections.length;
    let done = false;
    const timer = setTimeout(() => finish(), this.plan.timeoutMs);
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!this.stopped) ready();
    };
    if (waiting === 0) return finish();
    for (const c of this.connections) c.open(() => --waiting === 0 && finish());
  }

  start(): void {
    this.t0 = performance.now();
    for (const c of this.connections) c.start(this.t0);
    if (this.plan.progress) this.timers.push(setInterval(() => this.progress(), 1000));
    this.timers.push(setInterval(() => this.sweep(), Math.max(10, Math.min(250, this.plan.timeoutMs / 4))));
    if (this.plan.durationMs !== null) this.timers.push(setTimeout(() => this.stop(), this.plan.durationMs));
    if (this.plan.requests === 0) this.stop();
  }

  allowance(): number {
    return this.plan.requests === null ? Infinity : this.plan.requests - this.answers - this.inflight;
  }

  sent(n: number): void {
    this.inflight += n;
  }

  answered(): void {
    this.inflight--;
    this.answers++;
    // Stop after the parse loop that delivered the last answer has unwound.
    if (this.plan.requests !== null && this.answers >= this.plan.requests && !this.stopped) {
      this.stopped = true;
      setImmediate(() => this.finish());
    }
  }

  lost(n: number): void {
    this.inflight -= n;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.finish();
  }

  private finishedAt = -1;

  private finish(): void {
    if (this.finishedAt >= 0) return;
    this.finishedAt = performance.now();
    for (const t of this.timers) clearInterval(t);
    for (const c of this.connections) c.stop();
    // Stopped before it started (aborted while the workers were starting): nothing ran.
    const elapsedMs = this.t0 === 0 ? 0 : this.finishedAt - this.t0;
    this.post({ type: 'done', elapsedMs, targets: this.stats.map((s) => s.wire()) });
  }

  private progress(): void {
    const errors = this.stats.reduce((n, s) => n + totalLoadErrors(s.errors), 0);
    this.post({ type: 'progress', seq: ++this.seq, requests: this.answers - this.reported.answers, errors: errors - this.reported.errors, latency: this.interval!.wire() });
    this.reported = { answers: this.answers, errors };
    this.interval!.reset();
  }

  private sweep(): void {
    const now = performance.now();
    for (const c of this.connections) c.checkTimeout(now);
    // A count-only run against a target that never accepts a connection would never end. The
    // connects began before the clock (in prepare), so the timeout runs from then.
    if (this.plan.durationMs === null && now - (this.openedAt || this.t0) > this.plan.timeoutMs && !this.connections.some((c) => c.everConnected)) this.stop();
  }
}
