import type { PresenceDelta } from '@chat/protocol';
import type { PresenceRegistry } from './presence-registry.js';

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
 */
export class PresenceCoalescer {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly registry: PresenceRegistry,
    private readonly publish: (delta: PresenceDelta) => void,
    private readonly windowMs: number,
    private readonly onError: (error: unknown) => void,
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
      pending = { changed: new Set(), updated: new Set(), timer: setTimeout(() => void this.#flush(roomId), this.windowMs) };
      this.#pending.set(roomId, pending);
    }
    return pending;
  }

  async #flush(roomId: string): Promise<void> {
    const pending = this.#pending.get(roomId);
    if (!pending) return;
    this.#pending.delete(roomId);
    const ids = [...pending.changed];
    const updated = [...pending.updated].filter((id) => !pending.changed.has(id));
    try {
      const present = await this.registry.lookup(roomId, [...ids, ...updated]);
      const delta: PresenceDelta = { roomId, joined: [], left: [], updated: [] };
      for (const id of ids) {
        const member = present.get(id);
        if (member) delta.joined.push(member);
        else delta.left.push(id);
      }
      for (const id of updated) {
        const member = present.get(id);
        if (member) delta.updated.push(member);
      }
      if (delta.joined.length + delta.left.length + delta.updated.length === 0) return;
      this.publish(delta);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Publishes every pending delta now (before a graceful close). */
  async flush(): Promise<void> {
    const rooms = [...this.#pending.keys()];
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    await Promise.all(rooms.map((roomId) => this.#flush(roomId)));
  }

  /** Drops pending deltas and stops the timers. */
  close(): void {
    for (const pending of this.#pending.values()) clearTimeout(pending.timer);
    this.#pending.clear();
  }
}
