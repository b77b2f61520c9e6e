import { parseDuration } from './duration.js';
import { usage } from './errors.js';
import { readTimeSpec } from './time-spec.js';

/** A time window: `startMs` null is a window ending now (`1h`); else a fixed start (unix ms). */
export interface TimeRange {
  startMs: number | null;
  lengthMs: number;
}

const MIN_LENGTH_MS = 60_000;
/** As long as a saved range may be (saved-queries.ts). */
const MAX_LENGTH_MS = 366 * 86_400_000;
const HINT = 'type a length (1h, 30m, 2d) for a window ending now, or START/LENGTH (2026-12-07T10:00/2h, local time unless it ends in Z)';

/**
 * Reads a typed time range: `1h`, `30m`, `2d` (ending now) or `2026-12-07T10:00/2h` (a start, in
 * local time unless it carries `Z` or an offset, and a length).
 */
export function parseTimeRange(text: string): TimeRange {
  const t = text.trim();
  const slash = t.lastIndexOf('/');
  const lengthText = slash < 0 ? t : t.slice(slash + 1);
  if (lengthText === '') throw usage(`a time range needs a length: "${text}"`, HINT);
  if (!/^[\d.]+(ms|s|m|h|d)/.test(lengthText)) throw usage(`invalid time range "${text}"`, HINT);
  const lengthMs = parseDuration(lengthText, 'time range');
  if (lengthMs < MIN_LENGTH_MS || lengthMs > MAX_LENGTH_MS) throw usage(`a time range is 1m to 366d long, not ${lengthText}`, HINT);
  if (slash < 0) return { startMs: null, lengthMs };
  // A bare date is a day in local time, as the other forms are (Date.parse would read it as UTC).
  const startText = /^\d{4}-\d\d-\d\d$/.test(t.slice(0, slash)) ? `${t.slice(0, slash)}T00:00` : t.slice(0, slash);
  if (!/^\d{4}-\d\d-\d\d/.test(startText)) throw usage(`the start of a time range is a date and time, not "${startText}"`, HINT);
  let startMs: number;
  try {
    startMs = readTimeSpec(startText, 'time range start')(0) * 1000;
  } catch {
    throw usage(`the start of a time range is not a date and time: "${startText}"`, HINT);
  }
  return { startMs, lengthMs };
}

/** A duration as one unit where it divides evenly (`90m` stays `90m`, `2h` not `120m`). */
export function rangeLength(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms / 1000}s`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** A unix-ms instant in local time, as the range editor reads it back: `2026-12-07T10:00`. */
export function localStamp(ms: number): string {
  const d = new Date(ms);
  const base = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
  return d.getSeconds() === 0 ? base : `${base}:${two(d.getSeconds())}`;
}

/** The text that reads back as this range (the editor's prefill). */
export function timeRangeText(r: TimeRange): string {
  return r.startMs === null ? rangeLength(r.lengthMs) : `${localStamp(r.startMs)}/${rangeLength(r.lengthMs)}`;
}
