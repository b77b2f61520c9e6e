/**
 * Runs `task` every `intervalMs`, never two at once: a tick that finds the previous run still going
 * is dropped (k9s does the same), so a slow backend cannot pile up requests.
 */
export class Refresher {
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  dropped = 0;

  constructor(private readonly intervalMs: number, private readonly task: () => Promise<void>) {}

  /** Starts the interval; `runNow` false leaves the first run to the first tick. */
  start(runNow = true): void {
    if (this.timer) return;
    if (runNow) void this.now();
    this.timer = setInterval(() => void this.now(), this.intervalMs);
    this.timer.unref?.();
  }

  /** Runs now unless a run is in flight; resolves when this run (or the one in flight) is done. */
  async now(): Promise<void> {
    if (this.inFlight) {
      this.dropped++;
      return;
    }
    this.inFlight = true;
    try {
      await this.task();
    } finally {
      this.inFlight = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
