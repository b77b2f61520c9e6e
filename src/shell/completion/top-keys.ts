/**
 * Keeps the `k` smallest numbers offered, in ascending order. Ranking a large list only needs its
 * best few, and almost every offer is rejected by one comparison with the current worst, which is
 * far cheaper than sorting every match.
 */
export class TopKeys {
  readonly keys: number[] = [];
  constructor(private readonly k: number) {}

  /** True when a key this large would be rejected, so a caller can skip computing a better one. */
  full(): boolean {
    return this.keys.length >= this.k;
  }

  worst(): number {
    return this.keys.length === 0 ? Infinity : this.keys[this.keys.length - 1]!;
  }

  offer(key: number): void {
    const keys = this.keys;
    if (keys.length >= this.k) {
      if (key >= keys[keys.length - 1]!) return;
      keys.pop();
    }
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    keys.splice(lo, 0, key);
  }
}
