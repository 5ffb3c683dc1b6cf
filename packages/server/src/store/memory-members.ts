import type { NotificationLevel, UserRef } from '@chat/protocol';
import type { RoomMember, StoredUser } from '../core/chat-store.js';
import { DEFAULT_NOTIFICATIONS, uniqueUsers } from './membership.js';

/** One stored membership, held once and reached from its room and from its user. */
export interface MemberRecord {
  userId: string;
  addedAt: string;
  readSeq: number;
  notifications: NotificationLevel;
}

/**
 * Users and stored memberships for `MemoryStore`: by room (member lists) and by user (the
 * user's conversations), so neither question scans the other side.
 */
export class MemoryMembers {
  readonly #users = new Map<string, StoredUser>();
  readonly #byRoom = new Map<string, Map<string, MemberRecord>>();
  readonly #byUser = new Map<string, Map<string, MemberRecord>>();
  /** User id -> the read mark of each ended membership (room id -> seq): a membership that starts again starts there. */
  readonly #ended = new Map<string, Map<string, number>>();

  /** Latest name and avatar win; `lastSeenAt` only moves forward and is kept when not given. */
  saveUser(user: UserRef, lastSeenAt?: string): void {
    const stored: StoredUser = { id: user.id, name: user.name };
    if (user.avatarUrl !== undefined) stored.avatarUrl = user.avatarUrl;
    const before = this.#users.get(user.id)?.lastSeenAt;
    const seen = before === undefined || (lastSeenAt !== undefined && Date.parse(lastSeenAt) > Date.parse(before)) ? lastSeenAt : before;
    if (seen !== undefined) stored.lastSeenAt = seen;
    this.#users.set(user.id, stored);
  }

  /** Copies of the stored users among `ids`, in the order asked, each once. */
  getUsers(ids: readonly string[]): StoredUser[] {
    const found: StoredUser[] = [];
    for (const id of new Set(ids)) {
      const user = this.#users.get(id);
      if (user) found.push({ ...user });
    }
    return found;
  }

  /** New members start at the mark their last membership of the room ended with (at most `lastSeq`), else 0. */
  add(roomId: string, users: readonly UserRef[], lastSeq: number): void {
    const addedAt = new Date().toISOString();
    let members = this.#byRoom.get(roomId);
    if (!members) this.#byRoom.set(roomId, (members = new Map<string, MemberRecord>()));
    for (const user of uniqueUsers(users)) {
      this.saveUser(user);
      if (members.has(user.id)) continue;
      const readSeq = Math.min(this.#takeEnded(user.id, roomId), lastSeq);
      const record: MemberRecord = { userId: user.id, addedAt, readSeq, notifications: DEFAULT_NOTIFICATIONS };
      members.set(user.id, record);
      let rooms = this.#byUser.get(user.id);
      if (!rooms) this.#byUser.set(user.id, (rooms = new Map<string, MemberRecord>()));
      rooms.set(roomId, record);
    }
  }

  remove(roomId: string, userIds: readonly string[]): void {
    const members = this.#byRoom.get(roomId);
    if (!members) return;
    for (const userId of userIds) {
      const record = members.get(userId);
      if (!record) continue;
      members.delete(userId);
      if (record.readSeq > 0) {
        let ended = this.#ended.get(userId);
        if (!ended) this.#ended.set(userId, (ended = new Map<string, number>()));
        ended.set(roomId, record.readSeq);
      }
      const rooms = this.#byUser.get(userId);
      rooms?.delete(roomId);
      if (rooms?.size === 0) this.#byUser.delete(userId);
    }
    if (members.size === 0) this.#byRoom.delete(roomId);
  }

  /** The record itself (callers in the store change `readSeq` and `notifications` in place). */
  get(roomId: string, userId: string): MemberRecord | undefined {
    return this.#byRoom.get(roomId)?.get(userId);
  }

  /** The levels of those of `userIds` who are members of the room. */
  levels(roomId: string, userIds: readonly string[]): Map<string, NotificationLevel> {
    const members = this.#byRoom.get(roomId);
    const found = new Map<string, NotificationLevel>();
    for (const id of userIds) {
      const record = members?.get(id);
      if (record) found.set(id, record.notifications);
    }
    return found;
  }

  /** The room's members, oldest first (ties by user id, as PostgresStore orders them). */
  list(roomId: string): RoomMember[] {
    const records = [...(this.#byRoom.get(roomId)?.values() ?? [])];
    records.sort((a, b) => compare(a.addedAt, b.addedAt) || compare(a.userId, b.userId));
    return records.map((r) => ({
      user: this.#userRef(r.userId),
      addedAt: r.addedAt,
      readSeq: r.readSeq,
      notifications: r.notifications,
    }));
  }

  /** The user's memberships by room id. */
  roomsOf(userId: string): ReadonlyMap<string, MemberRecord> {
    return this.#byUser.get(userId) ?? new Map();
  }

  /** Erasing a user: every membership of theirs (read marks, levels, those of ended ones too) and their stored name go. */
  eraseUser(userId: string): void {
    for (const roomId of [...this.roomsOf(userId).keys()]) this.remove(roomId, [userId]);
    this.#ended.delete(userId);
    this.#users.delete(userId);
  }

  clear(): void {
    this.#users.clear();
    this.#byRoom.clear();
    this.#byUser.clear();
    this.#ended.clear();
  }

  /** The read marks kept of the user's ended memberships, by room. */
  endedReadsOf(userId: string): Array<{ roomId: string; readSeq: number }> {
    return [...(this.#ended.get(userId) ?? [])].map(([roomId, readSeq]) => ({ roomId, readSeq }));
  }

  /** The mark an ended membership of the room kept (0: none); it is used once. */
  #takeEnded(userId: string, roomId: string): number {
    const ended = this.#ended.get(userId);
    const seq = ended?.get(roomId) ?? 0;
    ended?.delete(roomId);
    if (ended?.size === 0) this.#ended.delete(userId);
    return seq;
  }

  #userRef(id: string): UserRef {
    // Every member was saved when added; the fallback only keeps the type honest.
    const user = this.#users.get(id) ?? { id, name: id };
    const ref: UserRef = { id: user.id, name: user.name };
    if (user.avatarUrl !== undefined) ref.avatarUrl = user.avatarUrl;
    return ref;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
