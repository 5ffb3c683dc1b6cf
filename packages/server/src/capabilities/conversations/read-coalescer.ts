import type { ReadsPort } from '../../core/ports.js';

interface Window {
  /** The highest seq marked since the window opened. */
  seq: number;
  /** A mark came after the one that opened the window: send it when the window closes. */
  pending: boolean;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Read receipts, coalesced per reader and room: the first mark goes out at once and opens a
 * window of `windowMs`; marks within it are sent once, with the highest seq, when it closes
 * (which opens the next window). A reader scrolling through 200 messages costs the room two
 * events, not 200. No timer runs for a reader who stopped marking.
 */
export class ReadCoalescer implements ReadsPort {
  readonly #rooms = new Map<string, Map<string, Window>>();

  constructor(
    private readonly publish: (roomId: string, userId: string, seq: number) => void,
    private readonly windowMs: number,
  ) {}

  /** A reader's mark moved to `seq`. */
  marked(roomId: string, userId: string, seq: number): void {
    const window = this.#rooms.get(roomId)?.get(userId);
    if (window) {
      window.seq = Math.max(window.seq, seq);
      window.pending = true;
      return;
    }
    this.#open(roomId, userId, seq);
    this.publish(roomId, userId, seq);
  }

  /** Stops every timer; marks not sent yet are dropped (they are stored: joins and lists show them). */
  close(): void {
    for (const readers of this.#rooms.values()) for (const window of readers.values()) clearTimeout(window.timer);
    this.#rooms.clear();
  }

  #open(roomId: string, userId: string, seq: number): void {
    let readers = this.#rooms.get(roomId);
    if (!readers) {
      readers = new Map();
      this.#rooms.set(roomId, readers);
    }
    const timer = setTimeout(() => this.#closeWindow(roomId, userId), this.windowMs);
    timer.unref?.();
    readers.set(userId, { seq, pending: false, timer });
  }

  #closeWindow(roomId: string, userId: string): void {
    const readers = this.#rooms.get(roomId);
    const window = readers?.get(userId);
    if (!readers || !window) return;
    readers.delete(userId);
    if (readers.size === 0) this.#rooms.delete(roomId);
    if (!window.pending) return;
    this.#open(roomId, userId, window.seq);
    this.publish(roomId, userId, window.seq);
  }
}
