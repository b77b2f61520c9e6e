import { parseDuration } from './duration.js';
import { usage } from './errors.js';

/**
 * Reads a point in time as unix seconds: RFC 3339 ("2026-11-25T10:00:00Z"), unix seconds
 * ("1764064800"), "now", or relative to now ("now-1h", "-15m").
 */
export function parseTimeSpec(text: string, nowMs: number, flag: string): number {
  const t = text.trim();
  if (t === 'now') return nowMs / 1000;
  const rel = /^(?:now)?-(.+)$/.exec(t);
  if (rel) return (nowMs - parseDuration(rel[1]!, flag)) / 1000;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\d/.test(t)) throw usage(`invalid ${flag} "${text}"`, 'use RFC 3339 (2026-11-25T10:00:00Z), unix seconds, now, or now-1h');
  return ms / 1000;
}
