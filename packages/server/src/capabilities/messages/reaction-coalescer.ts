import type { Message } from '@chat/protocol';
import type { ReactionsPort } from '../../core/ports.js';

/** Where the coalescer sends an update: to the message's room, except one socket if given. */
export type PublishUpdate = (message: Message, exceptSocketId?: string) => void;
/** Reads a message as it is now (from the store, or an ephemeral room's log). */
export type ReadMessage = (roomId: string, messageId: string, ephemeral: boolean) => Promise<Message | null | undefined>;

interface Window {
  roomId: string;
  messageId: string;
  ephemeral: boolean;
  timer: ReturnType<typeof setTimeout>;
  /** The highest rev of a reaction not yet sent out, or -1. */
  pendingRev: number;
}

const NONE = -1;

/**
 * Coalesces `message:updated` for reactions, per message: the first change goes out at once
 * and opens a window; changes within it are sent once when it closes, as the message is then
 * (read again), and that opens the next window. A storm of reactions on one message costs one
 * update per window per recipient, not one per reaction. Edits and deletes go out at once
 * (`superseded` drops a pending update they contain). No timer runs for a message nobody
 * reacted to within the last window.
 */
export class ReactionCoalescer implements ReactionsPort {
  readonly #windows = new Map<string, Window>();
  #closed = false;

  constructor(
    private readonly publish: PublishUpdate,
    private readonly read: ReadMessage,
    private readonly windowMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A reaction changed `message` (the store's answer); the acting socket has it in its ack. */
  changed(message: Message, ephemeral: boolean, exceptSocketId?: string): void {
    if (this.#closed) return;
    const key = keyOf(message.roomId, message.id);
    const open = this.#windows.get(key);
    if (open) {
      open.pendingRev = Math.max(open.pendingRev, message.rev);
      return;
    }
    this.publish(message, exceptSocketId);
    this.#windows.set(key, {
      roomId: message.roomId,
      messageId: message.id,
      ephemeral,
      timer: setTimeout(() => void this.#close(key), this.windowMs),
      pendingRev: NONE,
    });
  }

  /** `message` went out whole (an edit or delete): a pending reaction update it includes is not needed. */
  superseded(message: Message): void {
    const open = this.#windows.get(keyOf(message.roomId, message.id));
    if (open && open.pendingRev !== NONE && message.rev >= open.pendingRev) open.pendingRev = NONE;
  }

  /** Messages with a window open (for tests and metrics). */
  get open(): number {
    return this.#windows.size;
  }

  /** Drops pending updates and stops every timer. */
  close(): void {
    this.#closed = true;
    for (const open of this.#windows.values()) clearTimeout(open.timer);
    this.#windows.clear();
  }

  async #close(key: string): Promise<void> {
    const open = this.#windows.get(key);
    if (!open) return;
    if (open.pendingRev === NONE) {
      this.#windows.delete(key);
      return;
    }
    // The trailing update opens the next window, so that a steady storm sends one per window.
    const pending = open.pendingRev;
    open.pendingRev = NONE;
    open.timer = setTimeout(() => void this.#close(key), this.windowMs);
    try {
      const latest = await this.read(open.roomId, open.messageId, open.ephemeral);
      if (latest && !this.#closed) this.publish(latest);
    } catch (error) {
      this.onError(error);
      // Not sent: members who stay connected would keep the old copy for good (nothing else
      // asks for it again). Still pending, so the next window's close reads it again.
      if (this.#closed) return;
      const now = this.#windows.get(key);
      if (now) now.pendingRev = Math.max(now.pendingRev, pending);
      else this.#windows.set(key, { ...open, pendingRev: pending, timer: setTimeout(() => void this.#close(key), this.windowMs) });
    }
  }
}

function keyOf(roomId: string, messageId: string): string {
  // Ids never contain a space (see the id schema), so the pair is unambiguous.
  return `${roomId} ${messageId}`;
}
