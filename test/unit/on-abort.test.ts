import { describe, expect, it } from 'vitest';
import { onAbort, sleepUnlessAborted } from '../../src/core/on-abort.js';

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
});
