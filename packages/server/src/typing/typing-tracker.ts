import type { TypingEvent, UserRef } from '@chat/protocol';

interface Typist {
  user: UserRef;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Who is typing in each room. An entry expires `timeoutMs` after the last signal; every
 * change publishes the room's whole list, a refresh that changes nothing publishes nothing.
 */
export class TypingTracker {
  readonly #rooms = new Map<string, Map<string, Typist>>();

  constructor(
    private readonly publish: (event: TypingEvent) => void,
    private readonly timeoutMs: number,
  ) {}

  /** Records a typing signal (`typing: false` clears it at once). */
  set(roomId: string, user: UserRef, typing: boolean): void {
    if (!typing) return this.clear(roomId, user.id);
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = new Map();
      this.#rooms.set(roomId, room);
    }
    const existing = room.get(user.id);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => this.clear(roomId, user.id), this.timeoutMs);
    timer.unref?.();
    room.set(user.id, { user: { id: user.id, name: user.name }, timer });
    if (!existing) this.#publish(roomId, room);
  }

  /** Removes a user from a room's list (on send, leave or disconnect). */
  clear(roomId: string, userId: string): void {
    const room = this.#rooms.get(roomId);
    const entry = room?.get(userId);
    if (!room || !entry) return;
    clearTimeout(entry.timer);
    room.delete(userId);
    if (room.size === 0) this.#rooms.delete(roomId);
    this.#publish(roomId, room);
  }

  /** The users typing in a room now. */
  users(roomId: string): UserRef[] {
    const room = this.#rooms.get(roomId);
    return room ? Array.from(room.values(), (t) => t.user) : [];
  }

  close(): void {
    for (const room of this.#rooms.values()) for (const t of room.values()) clearTimeout(t.timer);
    this.#rooms.clear();
  }

  #publish(roomId: string, room: Map<string, Typist>): void {
    this.publish({ roomId, users: Array.from(room.values(), (t) => t.user) });
  }
}
