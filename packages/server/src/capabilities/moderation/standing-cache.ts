import type { ChatStore, RoomStanding } from '../../core/chat-store.js';

/**
 * The standings of rooms (roles, bans, mutes), read once per room and kept for `ttlMs`, so that
 * sends and presence updates of a busy room cost one store read per window, not one each. This
 * process forgets a room when a moderation action changes it here or on another process (the
 * action waits for every process to hear of it); `ttlMs` bounds how stale a missed signal leaves it.
 */
export class StandingCache {
  readonly #rooms = new Map<string, { standings: Promise<Map<string, RoomStanding>>; until: number }>();

  constructor(
    private readonly store: ChatStore,
    private readonly ttlMs: number,
    private readonly maxRooms = 10_000,
  ) {}

  /** The room's standings by user id (users with nothing set are missing). */
  async room(roomId: string): Promise<ReadonlyMap<string, RoomStanding>> {
    const now = Date.now();
    const hit = this.#rooms.get(roomId);
    if (hit && hit.until > now) return hit.standings;
    const standings = this.store.listStandings(roomId).then((list) => new Map(list.map((s) => [s.userId, s])));
    if (this.ttlMs > 0) {
      if (this.#rooms.size >= this.maxRooms) this.#rooms.delete(this.#rooms.keys().next().value as string);
      const entry = { standings, until: now + this.ttlMs };
      this.#rooms.set(roomId, entry);
      // A failed read is not kept.
      standings.catch(() => {
        if (this.#rooms.get(roomId) === entry) this.#rooms.delete(roomId);
      });
    }
    return standings;
  }

  /** One user's standing in the room, from the room's cached standings. */
  async of(roomId: string, userId: string): Promise<RoomStanding | undefined> {
    return (await this.room(roomId)).get(userId);
  }

  forget(roomId: string): void {
    this.#rooms.delete(roomId);
  }

  clear(): void {
    this.#rooms.clear();
  }
}
