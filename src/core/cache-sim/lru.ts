import { LinkedSlots } from './linked-slots.js';

/** Least recently used: a hit moves the key to the newest end, a miss evicts the oldest when full. */
export class Lru {
  private readonly links: LinkedSlots;
  private readonly resident: Uint8Array;
  private readonly list: number;
  private size = 0;

  constructor(readonly capacity: number, keyCount: number) {
    this.links = new LinkedSlots(keyCount, 1);
    this.list = this.links.sentinel(0);
    this.resident = new Uint8Array(keyCount);
  }

  access(key: number): boolean {
    if (this.resident[key] === 1) {
      this.links.moveToLast(this.list, key);
      return true;
    }
    if (this.size === this.capacity) {
      const victim = this.links.first(this.list);
      this.links.unlink(victim);
      this.resident[victim] = 0;
    } else this.size++;
    this.links.pushLast(this.list, key);
    this.resident[key] = 1;
    return false;
  }

  /** Replays `trace` and returns the hits (the loop lives here so the call stays monomorphic). */
  run(trace: Int32Array): number {
    let hits = 0;
    for (let i = 0; i < trace.length; i++) if (this.access(trace[i]!)) hits++;
    return hits;
  }
}
