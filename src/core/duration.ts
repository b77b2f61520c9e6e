import { usage } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses "1500ms", "30s", "5m", "1h30m" or a bare number of seconds into milliseconds.
 * Bare numbers are seconds because that is what people type in a hurry ("--ttl 30").
 */
export function parseDuration(text: string, flag = 'duration'): number {
  const ms = readDuration(text, flag);
  // Digits enough to overflow a double read as Infinity; no caller can hold that.
  if (!Number.isFinite(ms)) throw usage(`${flag} "${text}" is too long to be a duration`, 'use a number with a unit, for example 500ms, 30s, 5m or 1h');
  return ms;
}

/** The longest delay a Node timer holds (2^31 − 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function readDuration(text: string, flag: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * (UNITS[m[2]!] ?? 0);
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== s.length) {
    throw usage(`invalid ${flag} "${text}"`, 'use a number with a unit, for example 500ms, 30s, 5m or 1h');
  }
  return Math.round(total);
}

/** Formats milliseconds compactly for tables ("2m05s", "850ms"). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  const neg = ms < 0;
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const units = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const;
  const first = units.findIndex(([, size]) => rest >= size);
  // Two units, the second always the next smaller one, zero-filled: "1h00m", never "1h30s" for 1h0m30s.
  const parts = units.slice(first, first + 2).map(([unit, size], i) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return i === 0 ? `${n}${unit}` : `${String(n).padStart(2, '0')}${unit}`;
  });
  return (neg ? '-' : '') + parts.join('');
}
