const NONE = 0;
const SMALL = 1;
const MAIN = 2;
/** The small FIFO's share of the capacity (the S3-FIFO paper's 10%). */
const SMALL_SHARE = 0.1;
const MAX_FREQ = 3;

/** A FIFO of keys in a ring; pushing and popping allocate nothing. */
class Ring {
  private readonly slots: Int32Array;
  private head = 0;
  length = 0;

  constructor(capacity: number) {
    this.slots = new Int32Array(Math.max(1, capacity));
  }

  push(k: number): void {
    let at = this.head + this.length;
    if (at >= this.slots.length) at -= this.slots.length;
    this.slots[at] = k;
    this.length++;
  }

  /** Removes and returns the oldest key. */
  shift(): number {
    const k = this.slots[this.head]!;
    if (++this.head === this.slots.length) this.head = 0;
    this.length--;
    return k;
  }
}

/**
 * S3-FIFO (Yang et al., SOSP 2023): new keys enter a small FIFO (10%); one that was hit while
 * there moves to the main FIFO when it leaves, one that was not leaves a ghost (its key only).
 * A missed key found among the ghosts goes straight to main. Main is a FIFO with reinsertion:
 * its oldest entry goes back in with its 2-bit counter decremented while that counter is above 0.
 * Choice made here: the counter restarts at 0 when an entry moves from small to main, so a key
 * needs a hit in main to survive its first pass there.
 */
export class S3Fifo {
  private readonly where: Uint8Array;
  private readonly freq: Uint8Array;
  /** For each key, 1 + the ghost insertion number, or 0: a key is a ghost while fewer than `ghostCapacity` ghosts came after it. */
  private readonly ghostStamp: Int32Array;
  private ghostCount = 0;
  private readonly ghostCapacity: number;
  private readonly small: Ring;
  private readonly main: Ring;
  private readonly smallTarget: number;
  private readonly mainTarget: number;

  constructor(readonly capacity: number, keyCount: number) {
    this.where = new Uint8Array(keyCount);
    this.freq = new Uint8Array(keyCount);
    this.ghostStamp = new Int32Array(keyCount);
    this.smallTarget = Math.max(1, Math.floor(capacity * SMALL_SHARE));
    this.mainTarget = Math.max(1, capacity - this.smallTarget);
    this.ghostCapacity = this.mainTarget;
    this.small = new Ring(capacity + 1);
    this.main = new Ring(capacity + 1);
  }

  access(key: number): boolean {
    if (this.where[key] !== NONE) {
      if (this.freq[key]! < MAX_FREQ) this.freq[key]!++;
      return true;
    }
    while (this.small.length + this.main.length >= this.capacity) {
      if (this.small.length >= this.smallTarget) this.evictSmall();
      else this.evictMain();
    }
    this.freq[key] = 0;
    if (this.isGhost(key)) {
      this.ghostStamp[key] = 0;
      this.main.push(key);
      this.where[key] = MAIN;
    } else {
      this.small.push(key);
      this.where[key] = SMALL;
    }
    return false;
  }

  run(trace: Int32Array): number {
    let hits = 0;
    for (let i = 0; i < trace.length; i++) if (this.access(trace[i]!)) hits++;
    return hits;
  }

  private isGhost(key: number): boolean {
    const stamp = this.ghostStamp[key]!;
    return stamp !== 0 && this.ghostCount - (stamp - 1) <= this.ghostCapacity;
  }

  private evictSmall(): void {
    while (this.small.length > 0) {
      const k = this.small.shift();
      if (this.freq[k]! > 0) {
        this.freq[k] = 0;
        this.main.push(k);
        this.where[k] = MAIN;
        if (this.main.length > this.mainTarget) this.evictMain();
      } else {
        this.where[k] = NONE;
        this.ghostStamp[k] = ++this.ghostCount;
        return;
      }
    }
  }

  private evictMain(): void {
    while (this.main.length > 0) {
      const k = this.main.shift();
      if (this.freq[k]! > 0) {
        this.freq[k]!--;
        this.main.push(k);
      } else {
        this.where[k] = NONE;
        return;
      }
    }
  }
}
