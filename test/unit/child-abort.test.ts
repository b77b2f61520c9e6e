import { describe, expect, it } from 'vitest';
import { childAbort } from '../../src/core/child-abort.js';

describe('childAbort', () => {
  it('aborts with its parent, at once when the parent was aborted before, and not after release', () => {
    const parent = new AbortController();
    const a = childAbort(parent.signal);
    expect(a.controller.signal.aborted).toBe(false);
    parent.abort();
    expect(a.controller.signal.aborted).toBe(true);

    expect(childAbort(parent.signal).controller.signal.aborted).toBe(true);

    const other = new AbortController();
    const b = childAbort(other.signal);
    b.release();
    other.abort();
    expect(b.controller.signal.aborted).toBe(false);
  });
});
