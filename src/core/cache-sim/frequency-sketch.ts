/**
 * A count-min sketch of 4-bit counters, laid out as Caffeine lays out its frequency sketch: the
 * table is a power of two of 64-bit words in blocks of 8 words (one cache line), an item's four
 * counters all live in one block, each in its own pair of words, and every `sampleSize` additions
 * all counters are halved (aging), so the sketch keeps recent popularity rather than all-time counts.
 * JavaScript has no cheap 64-bit integers, so a word is two 32-bit halves of 8 counters each.
 * Keys are already small integers; the hashes only spread them over the table. `salt` picks one
 * of many equally good hash functions, so a caller can average over several (see `WTinyLfu`).
 */
export class FrequencySketch {
  private table = new Uint32Array(0);
  private blockMask = 0;
  /** Additions between two halvings: ten times the capacity, as Caffeine does. */
  sampleSize = 0;
  private additions = 0;

  constructor(private readonly salt = 0) {}

  get initialized(): boolean {
    return this.table.length > 0;
  }

  /**
   * Sizes the sketch for `capacity` items; a no-op when it already has room. Caffeine creates
   * the sketch only when the cache is half full, which `WTinyLfu` copies: until then no
   * frequency is known and every count reads 0.
   */
  ensureCapacity(capacity: number): void {
    const maximum = Math.min(Math.max(0, Math.floor(capacity)), 1 << 30);
    if (this.initialized && this.table.length / 2 >= maximum) return;
    const words = Math.max(ceilingPowerOfTwo(maximum), 8);
    this.table = new Uint32Array(words * 2);
    this.blockMask = (words >>> 3) - 1;
    this.sampleSize = maximum === 0 ? 10 : 10 * maximum;
    this.additions = 0;
  }

  /** The estimated count of `key` (0 to 15): the least of its four counters. */
  frequency(key: number): number {
    if (!this.initialized) return 0;
    const blockHash = spread(key ^ this.salt);
    const counterHash = rehash(blockHash);
    const block = (blockHash & this.blockMask) << 4;
    let min = 15;
    for (let i = 0; i < 4; i++) {
      const h = counterHash >>> (i << 3);
      const index = (h >>> 1) & 15;
      const word = block + (((h & 1) + (i << 1)) << 1) + (index >>> 3);
      const count = (this.table[word]! >>> ((index & 7) << 2)) & 15;
      if (count < min) min = count;
    }
    return min;
  }

  /** Adds one to each of the key's four counters that is below 15; ages the table every `sampleSize` additions. */
  increment(key: number): void {
    if (!this.initialized) return;
    const blockHash = spread(key ^ this.salt);
    const counterHash = rehash(blockHash);
    const block = (blockHash & this.blockMask) << 4;
    let added = false;
    for (let i = 0; i < 4; i++) {
      const h = counterHash >>> (i << 3);
      const index = (h >>> 1) & 15;
      const word = block + (((h & 1) + (i << 1)) << 1) + (index >>> 3);
      const shift = (index & 7) << 2;
      const value = this.table[word]!;
      if (((value >>> shift) & 15) !== 15) {
        this.table[word] = value + (1 << shift);
        added = true;
      }
    }
    if (added && ++this.additions === this.sampleSize) this.reset();
  }

  /**
   * Halves every counter. The odd counters lose their half; a quarter of them (four counters per
   * item) is subtracted from the addition count, as Caffeine does, so the next halving comes on time.
   */
  private reset(): void {
    let odd = 0;
    const t = this.table;
    for (let i = 0; i < t.length; i++) {
      odd += popcount(t[i]! & 0x11111111);
      t[i] = (t[i]! >>> 1) & 0x77777777;
    }
    this.additions = (this.additions - (odd >>> 2)) >>> 1;
  }
}

function ceilingPowerOfTwo(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Mixes a key so that neighbouring integers land in unrelated blocks (a murmur3-style finaliser). */
function spread(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A second, independent mix that picks the four counters inside the block. */
function rehash(x: number): number {
  x = Math.imul(x, 0x9e3779b1);
  return (x ^ (x >>> 13)) >>> 0;
}
