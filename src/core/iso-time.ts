/** The furthest a Date reaches either side of 1970 (ECMAScript: ±8.64e15 ms). */
const MAX_DATE_MS = 8.64e15;

/**
 * An instant as ISO 8601, or null when no Date can hold it. A store may carry a lease another
 * client set centuries ahead; reading it must show "unknown", never fail the whole listing.
 */
export function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : null;
}
