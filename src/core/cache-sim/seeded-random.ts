/** A small seeded generator (mulberry32): the same seed gives the same run, and drawing allocates nothing. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly distributed signed 32-bit integer. */
  nextInt(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return t ^ (t >>> 14);
  }

  /** A double in [0, 1). */
  next(): number {
    return (this.nextInt() >>> 0) / 4294967296;
  }
}
