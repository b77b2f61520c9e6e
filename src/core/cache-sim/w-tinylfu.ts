import { FrequencySketch } from './frequency-sketch.js';
import { LinkedSlots } from './linked-slots.js';
import { SeededRandom } from './seeded-random.js';

const NONE = 0;
const WINDOW = 1;
const PROBATION = 2;
const PROTECTED = 3;

/** Caffeine's starting split: 1% window, and 80% of the main space protected. */
const PERCENT_MAIN = 0.99;
const PERCENT_MAIN_PROTECTED = 0.8;
/** The hill climber's first step (a share of the maximum), its decay per sample, and the change in hit rate that restarts it. */
const STEP_PERCENT = 0.0625;
const STEP_DECAY = 0.98;
const RESTART_THRESHOLD = 0.05;
/** At most this many entries move between queues in one adjustment. */
const TRANSFER_LIMIT = 1000;
/** A candidate this popular that loses the duel still gets in 1 time in 128 (Caffeine's guard against hash flooding). */
const ADMIT_RANDOM_THRESHOLD = 6;
/** Caffeine records reads in a ring of 16 and drops the read that finds it full, then drains. */
const READ_BUFFER = 16;

export interface WTinyLfuOptions {
  /** Adapt the window size by hill climbing, as Caffeine 3 does (default true). */
  climb?: boolean;
  /** Drop one read in 17 during runs of hits, as Caffeine's full read buffer does (default true). */
  readBuffer?: boolean;
  /** Picks the sketch's hash function and the admission coin; each seed is one equally likely run. */
  seed?: number;
}

/**
 * W-TinyLFU as Caffeine 3 runs it with `maximumSize(N)` and a same-thread executor: new keys enter
 * a small LRU window; what overflows the window duels the oldest probation entry of the segmented
 * main LRU, and the one the frequency sketch deems less popular is evicted; a probation hit
 * promotes to protected, and protected overflow is demoted back to probation. A hill climber moves
 * space between window and main after each sample of hits, towards whichever raised the hit rate.
 * The order of operations follows Caffeine's maintenance cycle (add, evict, then climb), because
 * the test holds this class within 1.5 points of the real library.
 */
export class WTinyLfu {
  private readonly links: LinkedSlots;
  private readonly queue: Uint8Array;
  private readonly sketch: FrequencySketch;
  private readonly random: SeededRandom;
  private readonly window: number;
  private readonly probation: number;
  private readonly protected: number;
  private readonly climbs: boolean;
  private readonly buffersReads: boolean;

  private size = 0;
  private windowSize = 0;
  private protectedSize = 0;
  private windowMaximum: number;
  private protectedMaximum: number;

  private hitsInSample = 0;
  private missesInSample = 0;
  private previousHitRate = 0;
  private stepSize: number;
  private adjustment = 0;
  private pendingReads = 0;

  constructor(readonly capacity: number, keyCount: number, options: WTinyLfuOptions = {}) {
    this.links = new LinkedSlots(keyCount, 3);
    this.window = this.links.sentinel(0);
    this.probation = this.links.sentinel(1);
    this.protected = this.links.sentinel(2);
    this.queue = new Uint8Array(keyCount);
    const seed = options.seed ?? 0;
    this.sketch = new FrequencySketch(seed === 0 ? 0 : new SeededRandom(seed).nextInt());
    this.random = new SeededRandom(seed + 1);
    this.climbs = options.climb ?? true;
    this.buffersReads = options.readBuffer ?? true;
    this.windowMaximum = capacity - Math.floor(PERCENT_MAIN * capacity);
    this.protectedMaximum = Math.floor(PERCENT_MAIN_PROTECTED * (capacity - this.windowMaximum));
    this.stepSize = -STEP_PERCENT * capacity;
  }

  /** The window's current share of the capacity (the climber moves it). */
  get windowShare(): number {
    return this.windowMaximum / this.capacity;
  }

  access(key: number): boolean {
    const q = this.queue[key]!;
    if (q !== NONE) {
      if (this.buffersReads && ++this.pendingReads > READ_BUFFER) {
        this.pendingReads = 0;
        this.maintain();
        return true;
      }
      this.onHit(key, q);
      return true;
    }
    this.pendingReads = 0;
    this.add(key);
    this.maintain();
    return false;
  }

  run(trace: Int32Array): number {
    let hits = 0;
    for (let i = 0; i < trace.length; i++) if (this.access(trace[i]!)) hits++;
    return hits;
  }

  private onHit(key: number, q: number): void {
    this.sketch.increment(key);
    if (q === WINDOW) this.links.moveToLast(this.window, key);
    else if (q === PROTECTED) this.links.moveToLast(this.protected, key);
    else if (this.protectedMaximum < 1) this.links.moveToLast(this.probation, key);
    else {
      this.links.unlink(key);
      this.links.pushLast(this.protected, key);
      this.queue[key] = PROTECTED;
      this.protectedSize++;
    }
    this.hitsInSample++;
  }

  private add(key: number): void {
    this.size++;
    this.windowSize++;
    if (this.size >= this.capacity >>> 1) this.sketch.ensureCapacity(this.capacity);
    this.sketch.increment(key);
    this.missesInSample++;
    this.links.pushLast(this.window, key);
    this.queue[key] = WINDOW;
  }

  private maintain(): void {
    if (this.size > this.capacity || this.windowSize > this.windowMaximum) this.evictFromMain(this.evictFromWindow());
    if (this.climbs) this.climb();
    else this.demoteFromProtected();
  }

  /** Moves the window's overflow to the newest end of probation; returns the first moved, or -1. */
  private evictFromWindow(): number {
    let first = -1;
    let k = this.links.first(this.window);
    while (this.windowSize > this.windowMaximum && k !== -1) {
      const next = this.links.after(k, this.window);
      this.links.unlink(k);
      this.links.pushLast(this.probation, k);
      this.queue[k] = PROBATION;
      this.windowSize--;
      if (first === -1) first = k;
      k = next;
    }
    return first;
  }

  /**
   * Evicts until the cache fits: candidates (the keys just moved from the window, then the window
   * itself) duel victims (probation's oldest, then protected's, then the window's) on frequency.
   */
  private evictFromMain(first: number): void {
    let candidate = first;
    let candidateQueue = PROBATION;
    let victimQueue = PROBATION;
    let victim = this.links.first(this.probation);
    while (this.size > this.capacity) {
      if (candidate === -1 && candidateQueue === PROBATION) {
        candidate = this.links.first(this.window);
        candidateQueue = WINDOW;
      }
      if (candidate === -1 && victim === -1) {
        if (victimQueue === PROBATION) {
          victim = this.links.first(this.protected);
          victimQueue = PROTECTED;
          continue;
        }
        if (victimQueue === PROTECTED) {
          victim = this.links.first(this.window);
          victimQueue = WINDOW;
          continue;
        }
        break;
      }
      if (victim === -1) {
        const next = this.nextOf(candidate);
        this.evict(candidate);
        candidate = next;
      } else if (candidate === -1) {
        const next = this.nextOf(victim);
        this.evict(victim);
        victim = next;
      } else if (candidate === victim) {
        victim = this.nextOf(victim);
        this.evict(candidate);
        candidate = -1;
      } else if (this.admit(candidate, victim)) {
        const next = this.nextOf(victim);
        this.evict(victim);
        victim = next;
        candidate = this.nextOf(candidate);
      } else {
        const next = this.nextOf(candidate);
        this.evict(candidate);
        candidate = next;
      }
    }
  }

  private nextOf(k: number): number {
    const q = this.queue[k]!;
    return this.links.after(k, q === WINDOW ? this.window : q === PROBATION ? this.probation : this.protected);
  }

  private admit(candidate: number, victim: number): boolean {
    const victimFreq = this.sketch.frequency(victim);
    const candidateFreq = this.sketch.frequency(candidate);
    if (candidateFreq > victimFreq) return true;
    if (candidateFreq >= ADMIT_RANDOM_THRESHOLD) return (this.random.nextInt() & 127) === 0;
    return false;
  }

  private evict(k: number): void {
    const q = this.queue[k]!;
    this.links.unlink(k);
    this.queue[k] = NONE;
    this.size--;
    if (q === WINDOW) this.windowSize--;
    else if (q === PROTECTED) this.protectedSize--;
  }

  private demoteFromProtected(): void {
    for (let i = 0; i < TRANSFER_LIMIT && this.protectedSize > this.protectedMaximum; i++) {
      const k = this.links.first(this.protected);
      if (k === -1) break;
      this.links.unlink(k);
      this.links.pushLast(this.probation, k);
      this.queue[k] = PROBATION;
      this.protectedSize--;
    }
  }

  private climb(): void {
    this.determineAdjustment();
    this.demoteFromProtected();
    if (this.adjustment > 0) this.increaseWindow();
    else if (this.adjustment < 0) this.decreaseWindow();
  }

  /** After each sample of requests, steps the window the same way again if the hit rate rose, else back. */
  private determineAdjustment(): void {
    if (!this.sketch.initialized) {
      this.previousHitRate = 0;
      this.hitsInSample = 0;
      this.missesInSample = 0;
      return;
    }
    const requests = this.hitsInSample + this.missesInSample;
    if (requests < this.sketch.sampleSize) return;
    const hitRate = this.hitsInSample / requests;
    const change = hitRate - this.previousHitRate;
    const amount = change >= 0 ? this.stepSize : -this.stepSize;
    this.stepSize = Math.abs(change) >= RESTART_THRESHOLD ? STEP_PERCENT * this.capacity * (amount >= 0 ? 1 : -1) : STEP_DECAY * amount;
    this.previousHitRate = hitRate;
    this.adjustment = Math.trunc(amount);
    this.hitsInSample = 0;
    this.missesInSample = 0;
  }

  private increaseWindow(): void {
    if (this.protectedMaximum === 0) return;
    let quota = Math.min(this.adjustment, this.protectedMaximum);
    this.protectedMaximum -= quota;
    this.windowMaximum += quota;
    this.demoteFromProtected();
    for (let i = 0; i < TRANSFER_LIMIT && quota >= 1; i++) {
      let k = this.links.first(this.probation);
      if (k === -1) k = this.links.first(this.protected);
      if (k === -1) break;
      quota--;
      if (this.queue[k] === PROTECTED) this.protectedSize--;
      this.links.unlink(k);
      this.links.pushLast(this.window, k);
      this.queue[k] = WINDOW;
      this.windowSize++;
    }
    this.protectedMaximum += quota;
    this.windowMaximum -= quota;
    this.adjustment = quota;
  }

  private decreaseWindow(): void {
    if (this.windowMaximum <= 1) return;
    let quota = Math.min(-this.adjustment, Math.max(0, this.windowMaximum - 1));
    this.protectedMaximum += quota;
    this.windowMaximum -= quota;
    for (let i = 0; i < TRANSFER_LIMIT && quota >= 1; i++) {
      const k = this.links.first(this.window);
      if (k === -1) break;
      quota--;
      this.links.unlink(k);
      this.links.pushLast(this.probation, k);
      this.queue[k] = PROBATION;
      this.windowSize--;
    }
    this.protectedMaximum -= quota;
    this.windowMaximum += quota;
    this.adjustment = -quota;
  }
}
