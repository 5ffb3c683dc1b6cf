// How many reactions each user sent in the current second, on this process.

/** A fixed one-second window per user; `take` answers the wait when the user is past the limit. */
export class ReactionRate {
  #second = 0;
  readonly #counts = new Map<string, number>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one reaction of `userId`; `undefined` if allowed, else the milliseconds until the next second. */
  take(userId: string): number | undefined {
    const now = this.now();
    const second = Math.floor(now / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#counts.clear();
    }
    const count = (this.#counts.get(userId) ?? 0) + 1;
    if (count > this.perSecond) return (second + 1) * 1000 - now;
    this.#counts.set(userId, count);
    return undefined;
  }
}
