/**
 * Calls `f` until its value satisfies `ok` or `ms` have passed, and returns the last value: the
 * caller asserts on it, so a timeout fails with what was seen last rather than with "timed out".
 * For state that real servers and applications reach asynchronously (a registry fetch, a watch).
 */
export async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000, everyMs = 250): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
