/** Terminal columns of one code point: 2 for wide (CJK, emoji), 0 for combining marks, else 1. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  // Fast path for what charts are made of: Latin text, box drawing, blocks, braille.
  if (cp < 0x300 || (cp >= 0x2500 && cp <= 0x28ff)) return 1;
  if (/^[\p{Mn}\p{Me}\p{Cf}]$/u.test(ch) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Terminal columns a string occupies (no escape codes expected). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** Cuts a string to at most `width` columns, ending it with `…` when something was cut. */
export function truncateToWidth(s: string, width: number): string {
  return displayWidth(s) <= width ? s : ellipsize(s, width);
}

/** The start of `s` and a `…`, in at most `width` columns, even when `s` itself would fit. */
export function ellipsize(s: string, width: number): string {
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

/**
 * Cuts a string to at most `width` columns by replacing its middle with `…`, keeping the end,
 * where series labels differ (`http_requests_total{…job="api"}`).
 */
export function truncateMiddle(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 2) return ellipsize(s, width);
  const tailW = Math.ceil((width - 1) * 0.6);
  let tail = '';
  let w = 0;
  for (const ch of [...s].reverse()) {
    const cw = charWidth(ch);
    if (w + cw > tailW) break;
    tail = ch + tail;
    w += cw;
  }
  return ellipsize(s, width - w) + tail;
}
