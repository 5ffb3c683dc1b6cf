// Bursts collapse: one push per user and room in a window; the latest message of the rest is
// pushed when the window ends (with the same topic, so it replaces the first on the device).
// `later` tells the sender which sends come after a wait: the world may have changed since.
// In a cluster the window is the cluster's (CollapseClaims): a process whose message comes while
// another process has the window open holds it, and asks again when that window ends.
import type { CollapseClaims } from '../../core/collapse-claims.js';

interface Window<T> {
  timer: NodeJS.Timeout | undefined;
  /** The latest item that came during the window and is not sent yet, and how many came. */
  pending: T | undefined;
  count: number;
  /** This process has the window open (it sent its first push), as opposed to waiting for another's. */
  owner: boolean;
  /** A claim asked of the cluster and not answered yet. */
  claiming: Promise<void> | undefined;
}

/** Lets the first item of each key through at once, and at most one (the latest) per window after it. */
export class PushCollapse<T> {
  readonly #windows = new Map<string, Window<T>>();
  #closed = false;

  constructor(
    private readonly windowMs: number,
    private readonly send: (item: T, count: number, later: boolean) => void,
    /** The cluster's windows, if there is a cluster (read on each new window: it is set when the cluster starts). */
    private readonly claims: () => CollapseClaims | undefined = () => undefined,
    private readonly maxKeys = 100_000,
  ) {}

  /** Sends now if `key` had nothing in the last window, else keeps `item` as the window's latest. */
  add(key: string, item: T, newer: (a: T, b: T) => boolean): void {
    if (this.#closed) return;
    const open = this.#windows.get(key);
    if (open) {
      if (open.pending === undefined || newer(item, open.pending)) open.pending = item;
      open.count++;
      return;
    }
    if (this.windowMs === 0 || this.#windows.size >= this.maxKeys) return this.send(item, 1, false);
    const window: Window<T> = { timer: undefined, pending: item, count: 1, owner: false, claiming: undefined };
    this.#windows.set(key, window);
    const claims = this.claims();
    if (claims) this.#claim(claims, key, window, false);
    else this.#opened(key, window, false);
  }

  /**
   * The server is closing: sends each window's latest (a window another process has open is left
   * to it: that push is lost) and forgets the windows.
   */
  async flush(): Promise<void> {
    this.#closed = true;
    const windows = [...this.#windows];
    this.#windows.clear();
    await Promise.all(
      windows.map(async ([key, window]) => {
        clearTimeout(window.timer);
        await window.claiming;
        if (window.pending === undefined) return;
        const claims = this.claims();
        if (window.owner || !claims || (await claims.claim(key, this.windowMs)) === 0) this.send(window.pending, window.count, true);
      }),
    );
  }

  // This process has the window: its latest goes out now, and the window runs for windowMs.
  #opened(key: string, window: Window<T>, later: boolean): void {
    window.owner = true;
    if (window.pending !== undefined) this.send(window.pending, window.count, later);
    window.pending = undefined;
    window.count = 0;
    this.#wait(key, window, this.windowMs);
  }

  #claim(claims: CollapseClaims, key: string, window: Window<T>, later: boolean): void {
    window.claiming = claims
      .claim(key, this.windowMs)
      .catch(() => 0)
      .then((left) => {
        window.claiming = undefined;
        if (this.#closed) {
          window.owner = left === 0;
          return;
        }
        if (left === 0) this.#opened(key, window, later);
        else this.#wait(key, window, left);
      });
  }

  // At the window's end: nothing came, it closes; else the latest is sent (after asking the cluster).
  #wait(key: string, window: Window<T>, ms: number): void {
    window.timer = setTimeout(() => {
      window.timer = undefined;
      window.owner = false;
      if (window.pending === undefined) {
        this.#windows.delete(key);
        return;
      }
      const claims = this.claims();
      if (claims) this.#claim(claims, key, window, true);
      else this.#opened(key, window, true);
    }, ms);
    window.timer.unref();
  }
}
