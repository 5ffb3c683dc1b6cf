/**
 * A token bucket: `capacity` tokens, refilled at `perSecond`. `take()` returns 0 when the
 * tokens were taken, otherwise the milliseconds until there will be enough.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = capacity;
    this.#last = now();
  }

  /** Takes `cost` tokens if they are there; otherwise takes nothing and returns the wait in ms. */
  take(cost = 1): number {
    this.#refill();
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      return 0;
    }
    return this.#waitFor(cost);
  }

  /**
   * Charges `cost` after the fact (work whose size was known only once done); the bucket may
   * go into debt, and `wait()` stays above 0 until the debt is paid back.
   */
  charge(cost: number): void {
    this.#refill();
    this.#tokens -= cost;
  }

  /** Milliseconds until the bucket is out of debt (0 when it has at least one token's worth). */
  wait(): number {
    this.#refill();
    return this.#tokens > 0 ? 0 : this.#waitFor(0);
  }

  /** True when the bucket is full again (nothing to remember about its user). */
  full(): boolean {
    this.#refill();
    return this.#tokens >= this.capacity;
  }

  #refill(): void {
    const now = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) * this.perSecond) / 1000);
    this.#last = now;
  }

  #waitFor(cost: number): number {
    return Math.max(1, Math.ceil(((cost - this.#tokens) * 1000) / this.perSecond));
  }
}
