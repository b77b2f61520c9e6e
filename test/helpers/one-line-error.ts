import { expect } from 'vitest';

/** The error is exactly one stderr line, `opsdeck: …` matching pattern, ending in a hint. */
export function expectOneLineError(r: { stderr: string }, pattern: RegExp): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^opsdeck: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).toMatch(/\(hint: .+\)$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
