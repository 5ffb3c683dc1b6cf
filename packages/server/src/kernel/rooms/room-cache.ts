import type { Room } from '@chat/protocol';
import type { ChatStore } from '../../core/chat-store.js';

/**
 * Rooms read for sends, kept for `ttlMs` so that a busy room costs one store read per second
 * instead of one per message. This process forgets a room at once when it updates or ends it;
 * other processes' changes are seen within `ttlMs` (and an end reaches their sockets at once
 * through the cluster signal).
 */
export class RoomCache {
  readonly #rooms = new Map<string, { room: Room; until: number }>();

  constructor(
    private readonly store: ChatStore,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The room while its cached copy is fresh, without a wait (a send then waits no turn for it); else undefined. */
  peek(id: string): Room | undefined {
    const hit = this.#rooms.get(id);
    return hit && hit.until > Date.now() ? hit.room : undefined;
  }

  async get(id: string): Promise<Room | null> {
    const now = Date.now();
    const hit = this.#rooms.get(id);
    if (hit && hit.until > now) return hit.room;
    const room = await this.store.getRoom(id);
    if (room && this.ttlMs > 0) {
      if (this.#rooms.size >= this.maxEntries) this.#rooms.delete(this.#rooms.keys().next().value as string);
      this.#rooms.set(id, { room, until: now + this.ttlMs });
    } else this.#rooms.delete(id);
    return room;
  }

  forget(id: string): void {
    this.#rooms.delete(id);
  }

  clear(): void {
    this.#rooms.clear();
  }
}
