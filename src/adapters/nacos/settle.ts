/** How often a write's effect is looked for while Nacos applies it. */
const STEP_MS = 200;

/**
 * Reads until `done` holds or `timeoutMs` has passed, and returns the last reading with whether
 * it settled. Nacos applies instance updates and config dumps a moment after it answers a write
 * (about a second here), so the data a write returns is read back, not assumed.
 */
export async function settle<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, sleep: (ms: number) => Promise<void> = delay): Promise<{ value: T; settled: boolean }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return { value, settled: true };
    if (Date.now() >= until) return { value, settled: false };
    await sleep(STEP_MS);
  }
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
