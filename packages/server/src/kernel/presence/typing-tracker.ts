import { ID_LIMITS, type TypingEvent, type UserRef } from '@chat/protocol';
import { LARGE_ROOM_WINDOW_MS } from './occupancy.js';
import type { TypingStore } from '../../local/typing-store.js';
import { TypingThrottle } from './typing-throttle.js';
import type { TypingPort } from '../../core/ports.js';

/**
 * Who is typing in each room. An entry expires `timeoutMs` after its last signal; a change
 * publishes the room's whole list (read back from the store, so it is the cluster's list);
 * a refresh that changes nothing publishes nothing. Updates of one room run in order. Past
 * `ID_LIMITS.typingUsers` typists the event names the first few and says how many (`count`):
 * a room of thousands shows "several people are typing", not a list of hundreds, and gets such an
 * event at most once a second (`TypingThrottle`), not one per start and stop.
 */
export class TypingTracker implements TypingPort {
  /** Timers of the typists of this process, by room then user. */
  readonly #timers = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();
  readonly #queues = new Map<string, Promise<void>>();
  #closed = false;
  readonly #publish: (event: TypingEvent) => void;
  readonly #throttle: TypingThrottle;

  constructor(
    private readonly store: TypingStore,
    publish: (event: TypingEvent) => void,
    private readonly timeoutMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    const max = ID_LIMITS.typingUsers;
    const throttle = new TypingThrottle(publish, LARGE_ROOM_WINDOW_MS);
    this.#throttle = throttle;
    this.#publish = ({ roomId, users }) =>
      throttle.publish(users.length > max ? { roomId, users: users.slice(0, max), count: users.length } : { roomId, users });
  }

  /** Records a typing signal (`typing: false` clears it at once). */
  set(roomId: string, user: UserRef, typing: boolean): void {
    if (!typing) return this.clear(roomId, user.id);
    let room = this.#timers.get(roomId);
    if (!room) {
      room = new Map();
      this.#timers.set(roomId, room);
    }
    const known = room.get(user.id);
    if (known) clearTimeout(known);
    const timer = setTimeout(() => this.clear(roomId, user.id), this.timeoutMs);
    timer.unref?.();
    room.set(user.id, timer);
    // Refresh the expiry in the store; announce only a new typist.
    this.#enqueue(roomId, async () => {
      const users = await this.store.set(roomId, user, this.timeoutMs + 1000);
      if (!known) this.#publish({ roomId, users });
    });
  }

  /** Removes a user from a room's list (on send, leave or disconnect). */
  clear(roomId: string, userId: string): void {
    const room = this.#timers.get(roomId);
    const timer = room?.get(userId);
    if (!room || timer === undefined) return;
    clearTimeout(timer);
    room.delete(userId);
    if (room.size === 0) this.#timers.delete(roomId);
    this.#enqueue(roomId, async () => {
      const users = await this.store.delete(roomId, userId);
      if (users) this.#publish({ roomId, users });
    });
  }

  /** Removes a user this process does not track (gone with a dead process) and publishes the list. */
  forget(roomId: string, userId: string): void {
    this.clear(roomId, userId);
    this.#enqueue(roomId, async () => {
      const users = await this.store.delete(roomId, userId);
      if (users) this.#publish({ roomId, users });
    });
  }

  close(): void {
    this.#closed = true;
    for (const room of this.#timers.values()) for (const t of room.values()) clearTimeout(t);
    this.#timers.clear();
    this.#throttle.close();
  }

  // After close, nothing more goes to the store (a cluster's Redis client is about to quit; its
  // typing entries expire by themselves): a dead process's users cleared meanwhile are not errors.
  #enqueue(roomId: string, task: () => Promise<void>): void {
    if (this.#closed) return;
    const run = () => (this.#closed ? undefined : task());
    const next = (this.#queues.get(roomId) ?? Promise.resolve()).then(run).catch(this.onError);
    this.#queues.set(roomId, next);
    void next.then(() => {
      if (this.#queues.get(roomId) === next) this.#queues.delete(roomId);
    });
  }
}
