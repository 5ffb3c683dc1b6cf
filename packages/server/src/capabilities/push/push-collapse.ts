// Bursts collapse: one push per user and room in a window; the latest message of the rest is
// pushed when the window ends (with the same topic, so it replaces the first on the device).
// `later` tells the sender which sends come after a wait: the world may have changed since.

interface Window<T> {
  timer: NodeJS.Timeout;
  /** The latest item that came during the window, and how many came. */
  pending: T | undefined;
  count: number;
}

/** Lets the first item of each key through at once, and at most one (the latest) per window after it. */
export class PushCollapse<T> {
  readonly #windows = new Map<string, Window<T>>();

  constructor(
    private readonly windowMs: number,
    private readonly send: (item: T, count: number, later: boolean) => void,
    private readonly maxKeys = 100_000,
  ) {}

  /** Sends now if `key` had nothing in the last window, else keeps `item` as the window's latest. */
  add(key: string, item: T, newer: (a: T, b: T) => boolean): void {
    const open = this.#windows.get(key);
    if (open) {
      if (open.pending === undefined || newer(item, open.pending)) open.pending = item;
      open.count++;
      return;
    }
    this.send(item, 1, false);
    if (this.windowMs === 0 || this.#windows.size >= this.maxKeys) return;
    this.#open(key);
  }

  /** Sends every window's latest now and forgets the windows (the server is closing). */
  flush(): void {
    for (const [key, window] of this.#windows) {
      clearTimeout(window.timer);
      this.#windows.delete(key);
      if (window.pending !== undefined) this.send(window.pending, window.count, true);
    }
  }

  #open(key: string): void {
    const window: Window<T> = {
      timer: setTimeout(() => {
        this.#windows.delete(key);
        if (window.pending === undefined) return;
        this.send(window.pending, window.count, true);
        this.#open(key);
      }, this.windowMs),
      pending: undefined,
      count: 0,
    };
    window.timer.unref();
    this.#windows.set(key, window);
  }
}
