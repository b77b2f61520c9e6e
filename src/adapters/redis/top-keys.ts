import type { Redis } from 'ioredis';

export interface Ranked {
  node: Redis;
  key: Buffer;
  score: number;
}

/**
 * Keeps the N highest-scoring keys of a scan of any length in O(N) memory. Ties go to the key
 * that sorts first, so the same keyspace always gives the same answer.
 */
export class TopKeys {
  private items: Ranked[] = [];

  constructor(private readonly n: number) {}

  offer(item: Ranked): void {
    this.items.push(item);
    // Trimming at 2N keeps the cost of sorting amortised over N offers.
    if (this.items.length >= 2 * this.n) this.trim();
  }

  result(): Ranked[] {
    this.trim();
    return this.items;
  }

  private trim(): void {
    // SCAN may return a key twice (while the server rehashes); keep one copy.
    const seen = new Set<string>();
    this.items = this.items
      .sort((a, b) => b.score - a.score || Buffer.compare(a.key, b.key))
      .filter((r) => {
        const id = r.key.toString('latin1');
        return seen.has(id) ? false : (seen.add(id), true);
      })
      .slice(0, this.n);
  }
}
