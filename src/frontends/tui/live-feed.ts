/**
 * Follows the view on screen with its backends' push feed (Consul's blocking queries), so the
 * pane reloads when the data changes instead of on the polling tick. One feed at a time: following
 * another view stops the previous one. A feed that ends (a backend without push, or an error)
 * leaves the view to the polling tick again.
 */
/** How long a feed must run before the view counts as live (one that ends sooner is a backend without push). */
const LIVE_AFTER_MS = 100;

export class LiveFeed {
  private current: { key: string; abort: AbortController; live: boolean; ended: boolean } | null = null;

  /**
   * Starts following `key` unless it is followed already. `onChange` runs on each yield;
   * `onLive(true)` once the feed has run a moment, `onLive(false)` when it ends or fails after that.
   */
  follow(key: string, open: (signal: AbortSignal) => AsyncIterable<void>, onChange: () => void, onLive: (live: boolean) => void): void {
    if (this.current?.key === key) return;
    this.stop();
    const me = { key, abort: new AbortController(), live: false, ended: false };
    this.current = me;
    // A view whose backends do not push ends its feed at once; only one still running is live.
    const started = setTimeout(() => {
      if (me.ended || me.abort.signal.aborted) return;
      me.live = true;
      onLive(true);
    }, LIVE_AFTER_MS);
    void (async () => {
      try {
        for await (const _ of open(me.abort.signal)) {
          if (me.abort.signal.aborted) break;
          onChange();
        }
      } catch {
        // A failed feed means polling again; the next load shows the backend's error, if any.
      } finally {
        clearTimeout(started);
        me.ended = true;
        if (this.current === me) this.current = null;
        if (me.live && !me.abort.signal.aborted) onLive(false);
        me.live = false;
      }
    })();
  }

  /** Whether a feed is following `key` right now (then the polling tick may skip it). */
  covers(key: string): boolean {
    return this.current?.key === key && this.current.live;
  }

  stop(): void {
    this.current?.abort.abort();
    this.current = null;
  }
}
