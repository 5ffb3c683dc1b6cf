// How many links a user, and a site, may have fetched in a minute, on this process: past that, a
// link gets no preview (its message is sent as always). A cached link costs nothing.

/** Fetches per key in the current minute, forgotten when the minute is over. */
export class PreviewRate {
  #minute = 0;
  #counts = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one fetch for `key`; false (and nothing counted) when its minute's fetches are spent. */
  take(key: string): boolean {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#counts.clear();
    }
    const count = this.#counts.get(key) ?? 0;
    if (count >= this.perMinute) return false;
    this.#counts.set(key, count + 1);
    return true;
  }
}
