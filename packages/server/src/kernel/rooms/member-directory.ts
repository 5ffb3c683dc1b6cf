import type { ChatStore, RoomMember } from '../../core/chat-store.js';

/**
 * Rooms with more stored members than this get no `room:activity` (a message would cost a
 * count per member): they are brought up to date by `conversations:list`.
 */
const ACTIVITY_MAX_MEMBERS = 100;

interface Entry {
  /** The members, or undefined for a room with more than ACTIVITY_MAX_MEMBERS. */
  members: RoomMember[] | undefined;
  until: number;
}

/** How long a room's members are kept with a cluster: other processes' changes show within it. */
export const CLUSTER_MEMBERS_MS = 2000;
/** How long a room's members are kept by a server alone: every change is made on it, and forgets the room. */
export const LONE_MEMBERS_MS = 10_000;

/**
 * Who the stored members of the rooms with messages going on are, read for each message's
 * `room:activity`, notifications and read receipts, and kept for a moment so that a busy room
 * costs one store read per `ttlMs` rather than one per message. Only ids, users and levels are
 * used from it: counts and read marks are always read fresh. This process forgets a room when
 * its membership changes here (a read begun before that is not kept); other processes' changes
 * show within `ttlMs`, which is why a server alone keeps a room longer ({@link LONE_MEMBERS_MS})
 * than one of a cluster ({@link CLUSTER_MEMBERS_MS}). A room found to be big is kept as big for
 * longer: rooms seldom shrink, and listing one is what costs.
 */
export class MemberDirectory {
  readonly #rooms = new Map<string, Entry>();
  /** Reads under way, by room. */
  readonly #reading = new Map<string, Promise<RoomMember[] | undefined>>();

  constructor(
    private readonly store: ChatStore,
    private readonly ttlMs = CLUSTER_MEMBERS_MS,
    private readonly bigTtlMs = 30_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The stored members of a room with at most {@link ACTIVITY_MAX_MEMBERS}; undefined for a bigger room. */
  small(roomId: string): Promise<RoomMember[] | undefined> {
    const now = Date.now();
    const hit = this.#rooms.get(roomId);
    if (hit && hit.until > now) return Promise.resolve(hit.members);
    // The messages of a busy room that miss together share one read (a burst of reads on the pool otherwise).
    const reading = this.#reading.get(roomId);
    if (reading) return reading;
    const read: Promise<RoomMember[] | undefined> = this.store.listMembers(roomId).then(
      (all) => {
        const members = all.length > ACTIVITY_MAX_MEMBERS ? undefined : all;
        // Kept only if no join or forget() came since the read began (its list may miss that change).
        if (this.#reading.get(roomId) === read) {
          this.#reading.delete(roomId);
          if (!this.#rooms.has(roomId) && this.#rooms.size >= this.maxEntries)
            this.#rooms.delete(this.#rooms.keys().next().value as string);
          this.#rooms.set(roomId, { members, until: now + (members ? this.ttlMs : this.bigTtlMs) });
        }
        return members;
      },
      (error: unknown) => {
        if (this.#reading.get(roomId) === read) this.#reading.delete(roomId);
        throw error;
      },
    );
    this.#reading.set(roomId, read);
    return read;
  }

  /** A user became a member (a join): the room is read again next time unless it is known to hold them. */
  joined(roomId: string, userId: string): void {
    const hit = this.#rooms.get(roomId);
    if (hit?.members && !hit.members.some((m) => m.user.id === userId)) this.#rooms.delete(roomId);
    // A read begun before the join may miss them: the next small() reads again.
    this.#reading.delete(roomId);
  }

  /** The room's membership changed (here): read it again next time. */
  forget(roomId: string): void {
    this.#rooms.delete(roomId);
    this.#reading.delete(roomId);
  }

  clear(): void {
    this.#rooms.clear();
    this.#reading.clear();
  }
}
