import { describe, expect, it } from 'vitest';
import { onAbort, sleepUnlessAborted, wakeOrTimeout } from '../../src/core/on-abort.js';

describe('onAbort', () => {
  it('runs once on abort, at once for a signal aborted before, never after detaching, and accepts no signal', () => {
    const calls: string[] = [];
    const live = new AbortController();
    onAbort(live.signal, () => calls.push('live'));
    expect(calls).toEqual([]);
    live.abort();
    live.abort();
    expect(calls).toEqual(['live']);

    onAbort(live.signal, () => calls.push('late'));
    expect(calls).toEqual(['live', 'late']);

    const detached = new AbortController();
    onAbort(detached.signal, () => calls.push('detached'))();
    detached.abort();
    expect(calls).toEqual(['live', 'late']);

    onAbort(undefined, () => calls.push('none'))();
    expect(calls).toEqual(['live', 'late']);
  });

  it('sleepUnlessAborted wakes on its timer, on an abort, and at once for a signal aborted before', async () => {
    await sleepUnlessAborted(1, new AbortController().signal);
    const early = new AbortController();
    early.abort();
    // An hour's sleep: one that missed the abort would outlive the test's time limit.
    await sleepUnlessAborted(3_600_000, early.signal);
    const later = new AbortController();
    const sleeping = sleepUnlessAborted(3_600_000, later.signal);
    later.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('wakeOrTimeout says whether the wake came first, and a rejected wake counts as one', async () => {
    const live = new AbortController().signal;
    await expect(wakeOrTimeout(Promise.resolve(), 3_600_000, live)).resolves.toBe(true);
    await expect(wakeOrTimeout(Promise.reject(new Error('gone')), 3_600_000, live)).resolves.toBe(true);
    await expect(wakeOrTimeout(new Promise(() => undefined), 1, live)).resolves.toBe(false);
    await expect(wakeOrTimeout(null, 1, undefined)).resolves.toBe(false);
    const early = new AbortController();
    early.abort();
    await expect(wakeOrTimeout(new Promise(() => undefined), 3_600_000, early.signal)).resolves.toBe(false);
    const later = new AbortController();
    const waiting = wakeOrTimeout(new Promise(() => undefined), 3_600_000, later.signal);
    later.abort();
    await expect(waiting).resolves.toBe(false);
  });

  it('wakeOrTimeout leaves no abort listener behind, however it ends (a watch loop waits thousands of times on one signal)', async () => {
    const c = new AbortController();
    let added = 0;
    let removed = 0;
    const add = c.signal.addEventListener.bind(c.signal);
    const remove = c.signal.removeEventListener.bind(c.signal);
    c.signal.addEventListener = ((...a: Parameters<typeof add>) => (added++, add(...a))) as typeof add;
    c.signal.removeEventListener = ((...a: Parameters<typeof remove>) => (removed++, remove(...a))) as typeof remove;
    for (let i = 0; i < 20; i++) await wakeOrTimeout(i % 2 ? Promise.resolve() : new Promise(() => undefined), 1, c.signal);
    expect(added).toBe(20);
    expect(removed).toBe(20);
  });
});
