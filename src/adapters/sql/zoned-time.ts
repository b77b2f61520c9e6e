/**
 * Wall-clock text ("2026-11-25 16:45:30.123") ↔ instants in an IANA time zone. Lock tables often
 * store local times without a zone (ShedLock writes the app's clock into TIMESTAMP/DATETIME
 * columns), so reading them right means knowing the zone the writer used.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, f);
  }
  return f;
}

/** Whether Intl knows the zone (IANA names such as UTC or Europe/Berlin). */
export function isTimeZone(tz: string): boolean {
  try {
    format(tz);
    return true;
  } catch {
    return false;
  }
}

/** The zone's wall clock at this instant, read as if it were UTC: the offset is the difference. */
function wallAsUtc(ms: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of format(tz).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + (((ms % 1000) + 1000) % 1000);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The wall-clock text of an instant in a zone, to millisecond precision. */
export function toWallClock(ms: number, tz: string): string {
  const d = new Date(wallAsUtc(ms, tz));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

const TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The instant a timestamp text stands for: an explicit offset (timestamptz) wins, otherwise the
 * text is a wall clock in `tz`. Returns null for text that is not a timestamp.
 */
export function parseTimestamp(text: string, tz: string): number | null {
  const m = TEXT.exec(text.trim());
  if (!m) return null;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  const off = m[8];
  if (off === 'Z') return wall;
  if (off) {
    const sign = off.startsWith('-') ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  // Two passes settle the offset except inside a DST gap, where any answer is a guess anyway.
  let guess = wall - (wallAsUtc(wall, tz) - wall);
  guess = wall - (wallAsUtc(guess, tz) - guess);
  return guess;
}
