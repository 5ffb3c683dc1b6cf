import { TokenBucket } from './token-bucket.js';

import type { RateLimiter } from '../core/rate-limiter.js';

export type { RateLimiter } from '../core/rate-limiter.js';

/** The in-process {@link RateLimiter}: buckets in a map, each dropped once it is full again. */
export class LocalRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, { bucket: TokenBucket; capacity: number; perSecond: number }>();
  #takes = 0;

  async take(key: string, capacity: number, perSecond: number): Promise<number> {
    return this.takeNow(key, capacity, perSecond);
  }

  /** `take` without the promise (for callers on the fast path). */
  takeNow(key: string, capacity: number, perSecond: number): number {
    let entry = this.#buckets.get(key);
    // A bucket whose rate changed (slow mode set to another value) starts over at the new rate.
    if (!entry || entry.capacity !== capacity || entry.perSecond !== perSecond) {
      entry = { bucket: new TokenBucket(capacity, perSecond), capacity, perSecond };
      this.#buckets.set(key, entry);
    }
    // Full buckets say nothing: swept now and then, so memory follows the users who are limited.
    if (++this.#takes % 1000 === 0) this.#sweep();
    return entry.bucket.take();
  }

  /** Buckets held now (for tests). */
  get size(): number {
    return this.#buckets.size;
  }

  clear(): void {
    this.#buckets.clear();
  }

  #sweep(): void {
    for (const [key, { bucket }] of this.#buckets) if (bucket.full()) this.#buckets.delete(key);
  }
}
