import { parseDuration } from './duration.js';
import { usage } from './errors.js';

/** A point in time read from the command line, resolved against the clock when it is used: unix seconds. */
export type TimeSpec = (nowMs: number) => number;

/** The furthest a Date reaches either side of 1970 (ECMAScript: ±8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;
/** How far back a relative time may reach: a century is beyond any retention and far inside the Date range. */
const MAX_RELATIVE = '36500d';

/**
 * Reads a point in time: RFC 3339 ("2026-11-25T10:00:00Z"), unix seconds ("1764064800"), "now",
 * or relative to now ("now-1h", "-15m"). The text is checked at once, so a bad value is a usage
 * error before anything runs; only the relative forms need the clock later.
 */
export function readTimeSpec(text: string, flag: string): TimeSpec {
  const t = text.trim();
  const hint = 'use RFC 3339 (2026-11-25T10:00:00Z), unix seconds, now, or now-1h';
  if (t === 'now') return (nowMs) => nowMs / 1000;
  const rel = /^(?:now)?-(.+)$/.exec(t);
  if (rel) {
    const ago = parseDuration(rel[1]!, flag);
    if (ago > parseDuration(MAX_RELATIVE)) throw usage(`${flag} reaches back more than ${MAX_RELATIVE}: "${text}"`, hint);
    return (nowMs) => (nowMs - ago) / 1000;
  }
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else if (/^\d{4}-\d\d-\d\d/.test(t)) ms = Date.parse(t);
  else throw usage(`invalid ${flag} "${text}"`, hint);
  if (Number.isNaN(ms)) throw usage(`invalid ${flag} "${text}"`, hint);
  if (!(Math.abs(ms) <= MAX_DATE_MS)) throw usage(`${flag} "${text}" is outside the range of dates`, hint);
  return () => ms / 1000;
}

/** Reads a point in time as unix seconds (see readTimeSpec). */
export function parseTimeSpec(text: string, nowMs: number, flag: string): number {
  return readTimeSpec(text, flag)(nowMs);
}
