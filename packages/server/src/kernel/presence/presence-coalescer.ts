import { ID_LIMITS, type PresenceDelta } from '@chat/protocol';
import type { PresenceRegistry } from '../../core/presence-registry.js';
import { LARGE_ROOM_WINDOW_MS, boundedChanges } from './occupancy.js';

interface Pending {
  changed: Set<string>;
  /** Users whose entry changed (a status) while they stayed: `updated` unless they also came or went. */
  updated: Set<string>;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Collects which users' presence changed in each room and, once per window, publishes one
 * delta with each user's state at that moment: present -> `joined` (an upsert), gone -> `left`.
 * A burst of 1,000 joins costs one event per member per window, not one per join.
 *
 * A room of at least `largeRoomThreshold` members is large: its delta carries the exact count
 * and the changes of at most `ID_LIMITS.largeRoomDeltaMembers` members, at most once a second.
 */
export class PresenceCoalescer {
  readonly #pending = new Map<string, Pending>();
  /** Rooms found large at their last flush here (their next window is a second). */
  readonly #large = new Set<string>();
  /** Flushes whose window ended and whose delta is not out yet: a graceful close waits for them too. */
  readonly #flushing = new Set<Promise<void>>();

  constructor(
    private readonly registry: PresenceRegistry,
    /** Sends a delta; a promise it returns (the delta not handed to the adapter yet) is waited for by `flush()`. */
    private readonly publish: (delta: PresenceDelta) => unknown,
    private readonly windowMs: number,
    private readonly onError: (error: unknown) => void,
    /** Members from which a room is large. @default 200 */
    readonly largeRoomThreshold = 200,
  ) {}

  changed(roomId: string, userId: string): void {
    this.#pendingOf(roomId).changed.add(userId);
  }

  /** A present user's entry changed (their status): sent in `updated`, unless they came or went in the same window. */
  updated(roomId: string, userId: string): void {
    this.#pendingOf(roomId).updated.add(userId);
  }

  #pendingOf(roomId: string): Pending {
    let pending = this.#pending.get(roomId);
    if (!pending) {
      const windowMs = this.#large.has(roomId) ? Math.max(this.windowMs, LARGE_ROOM_WINDOW_MS) : this.windowMs;
      pending = { changed: new Set(), updated: new Set(), timer: setTimeout(() => void this.#tracked(this.#flush(roomId)), windowMs) };
      this.#pending.set(roomId, pending);
    }
    return pending;
  }

  #tracked(flushing: Promise<void>): Promise<void> {
    this.#flushing.add(flushing);
    void flushing.then(() => this.#flushing.delete(flushing));
    return flushing;
  }

  async #flush(roomId: string): Promise<void> {
    const pending = this.#pending.get(roomId);
    if (!pending) return;
    this.#pending.delete(roomId);
    let ids = [...pending.changed];
    let updated = [...pending.updated].filter((id) => !pending.changed.has(id));
    try {
      // The count first: every change before this read is in it, and the delta goes out after.
      const { count, at } = await this.registry.count(roomId);
      const large = count >= this.largeRoomThreshold;
      if (large) {
        this.#large.add(roomId);
        ({ changed: ids, updated } = boundedChanges(ids, updated, ID_LIMITS.largeRoomDeltaMembers));
      } else this.#large.delete(roomId);
      const present = await this.registry.lookup(roomId, [...ids, ...updated]);
      const delta: PresenceDelta = { roomId, joined: [], left: [], updated: [] };
      if (large) Object.assign(delta, { count, countAt: at });
      for (const id of ids) {
        const member = present.get(id);
        if (member) delta.joined.push(member);
        else delta.left.push(id);
      }
      for (const id of updated) {
        const member = present.get(id);
        if (member) delta.updated.push(member);
      }
      if (delta.joined.length + delta.left.length + delta.updated.length === 0 && !large) return;
      await this.publish(delta);
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * Publishes every pending delta now (before a graceful close), and waits for those whose window
   * ended before: their reads of the registry and their publishing must end before it closes.
   */
  async flush(): Promise<void> {
    const rooms = [...this.#pending.keys()];
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    await Promise.all([...this.#flushing, ...rooms.map((roomId) => this.#flush(roomId))]);
  }

  /** Drops pending deltas and stops the timers. */
  close(): void {
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
    this.#large.clear();
  }
}
