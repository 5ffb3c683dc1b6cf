import type { Room } from '@chat/protocol';
import type { ChatStore } from '../../core/chat-store.js';

/**
 * How long a process trusts its copy of a room or of a room's standings when the host sets no
 * `roomCacheMs`. Every change made through a chat server reaches every process's copy before it
 * is answered (the room's and moderation's acknowledged signals), so this bounds only a missed
 * signal (a process that did not answer in the adapter's time, reported) or a change made in the
 * store behind the chat servers' back; a busy room costs a read of each per {@link readAgainAt}.
 */
export const ROOM_CACHE_MS = 10_000;

/**
 * Rooms read for sends, kept for `ttlMs` so that a busy room costs a store read now and then
 * instead of one per message. A room asked for late in its `ttlMs` is read again in the background
 * (once; see {@link readAgainAt}), so that a busy room's sends do not wait for that read (unless
 * it takes longer than what is left of the ttl). Without it, every room's next send after each
 * expiry waited for a store round trip, and rooms filled together expire together (a burst of
 * reads on the pool, in the latency tail of `latency-pg-2000`). The sends that find no copy at
 * once (a room's first messages) share one read. No copy is ever used past its `ttlMs`, counted
 * from when its read began. Every process forgets a room at once when it is updated or ended on
 * any of them (RoomSignals; the change waits for every process), and a background read begun
 * before that is dropped; `ttlMs` bounds how stale a missed signal leaves a copy.
 */
export class RoomCache {
  readonly #rooms = new Map<string, Entry>();
  /** Reads of rooms with no fresh copy, under way. */
  readonly #reading = new Map<string, Promise<Room | null>>();

  constructor(
    private readonly store: ChatStore,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The room while its cached copy is fresh, without a wait (a send then waits no turn for it); else undefined. */
  peek(id: string): Room | undefined {
    return this.#fresh(id, Date.now())?.room;
  }

  /** The room, from its fresh copy or from the store; the sends that miss together share one read. */
  get(id: string): Promise<Room | null> {
    const started = Date.now();
    const hit = this.#fresh(id, started);
    if (hit) return Promise.resolve(hit.room);
    if (this.ttlMs <= 0) return this.store.getRoom(id);
    const reading = this.#reading.get(id);
    if (reading) return reading;
    const read = this.store.getRoom(id).then(
      (room) => {
        // Kept only if no forget() came since the read began (it would bring back what was forgotten).
        if (this.#reading.get(id) === read) {
          this.#reading.delete(id);
          this.#keep(id, room, started);
        }
        return room;
      },
      (error: unknown) => {
        if (this.#reading.get(id) === read) this.#reading.delete(id);
        throw error;
      },
    );
    this.#reading.set(id, read);
    return read;
  }

  forget(id: string): void {
    this.#rooms.delete(id);
    this.#reading.delete(id);
  }

  clear(): void {
    this.#rooms.clear();
    this.#reading.clear();
  }

  /** The fresh entry of `id`, after starting its background read when it is in the second half of its ttl. */
  #fresh(id: string, now: number): Entry | undefined {
    const hit = this.#rooms.get(id);
    if (!hit || hit.until <= now) return undefined;
    if (!hit.refreshing && now >= hit.readAgainAt) {
      hit.refreshing = true;
      this.store.getRoom(id).then(
        // Only over the entry it refreshes: a forget() (or a newer read) since then wins.
        (room) => this.#rooms.get(id) === hit && this.#keep(id, room, now),
        // Kept until it expires; the read that follows reports the failure.
        () => (hit.refreshing = false),
      );
    }
    return hit;
  }

  #keep(id: string, room: Room | null, started: number): void {
    if (room && this.ttlMs > 0) {
      if (!this.#rooms.has(id) && this.#rooms.size >= this.maxEntries) this.#rooms.delete(this.#rooms.keys().next().value as string);
      this.#rooms.set(id, { room, until: started + this.ttlMs, readAgainAt: readAgainAt(started, this.ttlMs), refreshing: false });
    } else this.#rooms.delete(id);
  }
}

interface Entry {
  room: Room;
  until: number;
  /** From then on, a use of the entry reads the room again in the background. */
  readAgainAt: number;
  /** A background read of the room is under way. */
  refreshing: boolean;
}

/** What is left of a copy's ttl, at least, when it is read again in the background. */
const READ_AGAIN_BEFORE_MS = 1000;

/**
 * When a cached copy read at `started` is read again in the background: a second before it
 * expires, or half way through a ttl shorter than two seconds, so that the read has time to land
 * before the copy expires. (Under heavy load that is not always enough, and sends then wait for one
 * read as they did before. A moment drawn at random later in the ttl, to spread the reads of rooms
 * cached together, counted no better.)
 */
export function readAgainAt(started: number, ttlMs: number): number {
  return started + Math.max(ttlMs / 2, ttlMs - READ_AGAIN_BEFORE_MS);
}
