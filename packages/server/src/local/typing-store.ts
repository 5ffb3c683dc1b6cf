import type { UserRef } from '@chat/protocol';

/**
 * Where "who is typing" lives: this process (default) or Redis (`redisCluster`). Each call
 * answers with the room's whole current list, leaving out entries past their expiry.
 */
export interface TypingStore {
  /** Marks `user` as typing until `ttlMs` from now; returns the room's list. */
  set(roomId: string, user: UserRef, ttlMs: number): Promise<UserRef[]>;
  /** Removes `userId`; returns the room's list, or null when the user was not typing. */
  delete(roomId: string, userId: string): Promise<UserRef[] | null>;
}

/** The default: typing state of this process. */
export class LocalTypingStore implements TypingStore {
  readonly #rooms = new Map<string, Map<string, { user: UserRef; expiresAt: number }>>();

  async set(roomId: string, user: UserRef, ttlMs: number): Promise<UserRef[]> {
    let room = this.#rooms.get(roomId);
    if (!room) {
      room = new Map();
      this.#rooms.set(roomId, room);
    }
    room.set(user.id, { user: { id: user.id, name: user.name }, expiresAt: Date.now() + ttlMs });
    return this.#list(roomId);
  }

  async delete(roomId: string, userId: string): Promise<UserRef[] | null> {
    const room = this.#rooms.get(roomId);
    if (!room?.delete(userId)) return null;
    if (room.size === 0) this.#rooms.delete(roomId);
    return this.#list(roomId);
  }

  #list(roomId: string): UserRef[] {
    const now = Date.now();
    return Array.from(this.#rooms.get(roomId)?.values() ?? [])
      .filter((t) => t.expiresAt > now)
      .map((t) => t.user);
  }
}
