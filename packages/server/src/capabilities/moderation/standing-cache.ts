import type { ChatStore } from '../../core/chat-store.js';
import type { RoomStanding } from '../../core/moderation-records.js';
import { readAgainAt } from '../../kernel/rooms/room-cache.js';

/**
 * The standings of rooms (roles, bans, mutes), read once per room and kept for `ttlMs`, so that
 * sends and presence updates of a busy room cost one store read per window, not one each. A room
 * asked for late in its `ttlMs` is read again in the background (once, at {@link readAgainAt}), so
 * that a busy room's sends do not wait for that read (as RoomCache does; no copy is used past its
 * `ttlMs`, counted from when its read began). This process forgets a room when a moderation action
 * changes it here or on another process (the action waits for every process to hear of it; a
 * background read begun before that is dropped), and every room after the link to the other
 * processes was lost; `ttlMs` bounds how stale a missed signal leaves it.
 */
export class StandingCache {
  readonly #rooms = new Map<string, Entry>();

  constructor(
    private readonly store: ChatStore,
    private readonly ttlMs: number,
    private readonly maxRooms = 10_000,
  ) {}

  /** The room's standings by user id (users with nothing set are missing). */
  async room(roomId: string): Promise<ReadonlyMap<string, RoomStanding>> {
    const now = Date.now();
    const hit = this.#rooms.get(roomId);
    if (hit && hit.until > now) {
      if (!hit.refreshing && now >= hit.readAgainAt) this.#refresh(roomId, hit, now);
      return hit.standings;
    }
    return this.#read(roomId, now).standings;
  }

  #read(roomId: string, started: number): Entry {
    const standings = this.store.listStandings(roomId).then((list) => new Map(list.map((s) => [s.userId, s])));
    const entry: Entry = { standings, until: started + this.ttlMs, readAgainAt: readAgainAt(started, this.ttlMs), refreshing: false };
    if (this.ttlMs > 0) {
      if (!this.#rooms.has(roomId) && this.#rooms.size >= this.maxRooms) this.#rooms.delete(this.#rooms.keys().next().value as string);
      this.#rooms.set(roomId, entry);
      // A failed read is not kept.
      standings.catch(() => {
        if (this.#rooms.get(roomId) === entry) this.#rooms.delete(roomId);
      });
    }
    return entry;
  }

  /** Reads the room again in the background; its copy replaces `hit` only if `hit` is still the room's entry then. */
  #refresh(roomId: string, hit: Entry, started: number): void {
    hit.refreshing = true;
    this.store.listStandings(roomId).then(
      (list) => {
        if (this.#rooms.get(roomId) !== hit) return;
        const standings = new Map(list.map((s) => [s.userId, s]));
        this.#rooms.set(roomId, {
          standings: Promise.resolve(standings),
          until: started + this.ttlMs,
          readAgainAt: readAgainAt(started, this.ttlMs),
          refreshing: false,
        });
      },
      // Kept until it expires; the read that follows reports the failure.
      () => (hit.refreshing = false),
    );
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

interface Entry {
  standings: Promise<Map<string, RoomStanding>>;
  until: number;
  /** From then on, a use of the entry reads the room again in the background. */
  readAgainAt: number;
  /** A background read of the room is under way. */
  refreshing: boolean;
}
