/**
 * Characters that are one terminal column wide each and never join a neighbour into one grapheme
 * cluster: printable ASCII, Latin-1 and Latin Extended (no soft hyphen), general punctuation (no
 * bidi controls), arrows, mathematical operators, box drawing, blocks and geometric shapes (no
 * emoji-presentation squares), and the marks the console draws (✓ ✗ ⚠ ★). For a string made only
 * of these, its width is its length. test/console/text-width.test.ts checks every one of them
 * against string-width, which Ink uses.
 */
const NARROW = /^[\x20-\x7e\xa1-\xac\xae-\u024f\u2010-\u2029\u202f-\u205e\u2190-\u22ff\u2500-\u25fc\u25ff\u2605\u2606\u26a0\u2713\u2714\u2717\u2718]*$/;
const SGR = /\x1b\[[0-9;]*m/g;

/** The width of a string of NARROW characters (after SGR codes are removed), or -1 for any other string. */
export function narrowWidth(text: string): number {
  const plain = text.includes('\x1b') ? text.replace(SGR, '') : text;
  return NARROW.test(plain) ? plain.length : -1;
}

/**
 * string-width with a fast path, bundled in for Ink and its text helpers
 * (scripts/ink-output-plugin.mjs): string-width segments graphemes with Intl.Segmenter, whose
 * first use loads ICU data, for any string that is not plain ASCII, and the console's lines
 * (│ · … ▶) never are. Same answers; anything outside the fast path goes to string-width.
 */
export function fastStringWidth(text: string, options: { ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean } | undefined, real: (text: string, options?: object) => number): number {
  if (typeof text !== 'string' || (options !== undefined && (options.ambiguousIsNarrow === false || options.countAnsiEscapeCodes === true))) return real(text, options);
  const w = narrowWidth(text);
  return w >= 0 ? w : real(text, options);
}
