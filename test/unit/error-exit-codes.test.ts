import { describe, expect, it } from 'vitest';
import { exitCodeOf, OpsError } from '../../src/core/errors.js';
import { toOpsError } from '../../src/frontends/execute.js';

describe('exit codes of errors', () => {
  it('an error no layer mapped is an internal error, exit 4, never mistaken for a command that failed (1)', () => {
    const err = toOpsError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(err.message).toBe("internal error: Cannot read properties of undefined (reading 'x')");
    expect(exitCodeOf(err.kind)).toBe(4);
  });

  it('mapped errors keep their codes: usage and config 2, conflict 1, unreachable 3', () => {
    expect(exitCodeOf(toOpsError(new OpsError('usage', 'x')).kind)).toBe(2);
    expect(exitCodeOf(toOpsError(new OpsError('config', 'x')).kind)).toBe(2);
    expect(exitCodeOf(toOpsError(new OpsError('conflict', 'x')).kind)).toBe(1);
    expect(exitCodeOf(toOpsError(new OpsError('unreachable', 'x')).kind)).toBe(3);
    expect(exitCodeOf(toOpsError(Object.assign(new Error('no space'), { code: 'ENOSPC' })).kind)).toBe(1);
  });
});
