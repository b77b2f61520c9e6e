import { formatDuration } from '../core/duration.js';

/**
 * "3s ago" for an ISO time, "-" for none. A time a little ahead of `now` (a server's clock, or a
 * write that landed after the frame took its clock) reads "0ms ago", not "-5ms ago".
 */
export function ago(iso: string | null, now: number): string {
  return iso ? `${formatDuration(Math.max(0, now - Date.parse(iso)))} ago` : '-';
}
