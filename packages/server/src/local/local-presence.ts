import { builtInError } from '@chat/protocol';
import type { Member, UserRef } from '@chat/protocol';
import {
  nameKey,
  type MemberCount,
  type MemberPage,
  type PresenceAdd,
  type PresenceRegistry,
  type UserStatus,
} from '../core/presence-registry.js';
import { addSocket, hasSocket, removeSocket, socketCount, socketsOf, type SocketIds } from './socket-ids.js';

interface Presence {
  member: Member;
  sockets: SocketIds;
  /** Order of arrival in the room (the `room:members` cursor): `byUser` iterates in this order. */
  seq: number;
}

interface RoomPresence {
  byUser: Map<string, Presence>;
  /** Normalised display name -> user id, for NAME_TAKEN. */
  byName: Map<string, string>;
  lastSeq: number;
}

/** A user with at least one connected socket, in any room or none. */
interface OnlineUser {
  user: UserRef;
  sockets: SocketIds;
  status: UserStatus;
}

const ONLINE: UserStatus = Object.freeze({ status: 'online' });

/** Presence of this process only: the default, and what a single process needs. */
export class LocalPresence implements PresenceRegistry {
  readonly #rooms = new Map<string, RoomPresence>();
  readonly #users = new Map<string, OnlineUser>();
  /** Orders counts (`MemberCount.at`): microseconds at start, one more per read. */
  #countAt = Date.now() * 1000;
  /** Bumped by every change of who has which socket where: what `outside` answers from. */
  #changes = 0;
  /**
   * The last answer of `outside` for a list of user ids (the same array, as a room's cached
   * member list gives it). Every message in a room of up to 100 stored members asks about all
   * of them, and nothing changed between two messages of a busy room: one scan per change, not
   * one per message.
   */
  readonly #outside = new WeakMap<readonly string[], { roomId: string; changes: number; away: string[] }>();

  async add(roomId: string, socketId: string, user: UserRef): Promise<PresenceAdd> {
    return this.addNow(roomId, socketId, user);
  }

  /** `add` without the promise, for callers in this process. */
  addNow(roomId: string, socketId: string, user: UserRef): PresenceAdd {
    this.#changes++;
    let room = this.#rooms.get(roomId);
    const key = nameKey(user.name);
    const owner = room?.byName.get(key);
    if (owner !== undefined && owner !== user.id) {
      throw builtInError('NAME_TAKEN', `Someone in this room is already called "${user.name}". Please choose another name.`);
    }
    if (!room) {
      room = { byUser: new Map(), byName: new Map(), lastSeq: 0 };
      this.#rooms.set(roomId, room);
    }
    const existing = room.byUser.get(user.id);
    if (existing) {
      existing.sockets = addSocket(existing.sockets, socketId);
      return { member: this.#withStatus(existing.member), joined: false };
    }
    const member: Member = { id: user.id, name: user.name, status: 'online', joinedAt: new Date().toISOString() };
    if (user.avatarUrl !== undefined) member.avatarUrl = user.avatarUrl;
    if (user.bot === true) member.bot = true;
    room.byUser.set(user.id, { member, sockets: socketId, seq: ++room.lastSeq });
    room.byName.set(key, user.id);
    return { member: this.#withStatus(member), joined: true };
  }

  async remove(roomId: string, socketId: string, userId: string): Promise<Member | undefined> {
    return this.removeNow(roomId, socketId, userId);
  }

  /** `remove` without the promise. */
  removeNow(roomId: string, socketId: string, userId: string): Member | undefined {
    this.#changes++;
    const room = this.#rooms.get(roomId);
    const presence = room?.byUser.get(userId);
    if (!room || !presence || !hasSocket(presence.sockets, socketId)) return undefined;
    const left = removeSocket(presence.sockets, socketId);
    if (left !== undefined) {
      presence.sockets = left;
      return undefined;
    }
    room.byUser.delete(userId);
    room.byName.delete(nameKey(presence.member.name));
    if (room.byUser.size === 0) this.#rooms.delete(roomId);
    return presence.member;
  }

  async members(roomId: string): Promise<Member[]> {
    return this.membersNow(roomId);
  }

  membersNow(roomId: string): Member[] {
    const room = this.#rooms.get(roomId);
    return room ? Array.from(room.byUser.values(), (p) => this.#withStatus(p.member)) : [];
  }

  async count(roomId: string): Promise<MemberCount> {
    return { count: this.#rooms.get(roomId)?.byUser.size ?? 0, at: ++this.#countAt };
  }

  async page(roomId: string, after: string | undefined, limit: number): Promise<MemberPage> {
    const from = after === undefined ? 0 : Number(after);
    if (!/^\d{1,15}$/u.test(after ?? '0')) throw builtInError('VALIDATION_FAILED', 'after is not a cursor this server gave.');
    const members: Member[] = [];
    const room = this.#rooms.get(roomId);
    if (!room) return { members };
    // Arrival order, so someone here for the whole paging is listed exactly once.
    let last = from;
    for (const presence of room.byUser.values()) {
      if (presence.seq <= from) continue;
      if (members.length === limit) return { members, next: String(last) };
      members.push(this.#withStatus(presence.member));
      last = presence.seq;
    }
    return { members };
  }

  async lookup(roomId: string, userIds: string[]): Promise<Map<string, Member>> {
    const room = this.#rooms.get(roomId);
    const found = new Map<string, Member>();
    for (const id of userIds) {
      const presence = room?.byUser.get(id);
      if (presence) found.set(id, this.#withStatus(presence.member));
    }
    return found;
  }

  async connect(socketId: string, user: UserRef): Promise<{ first: boolean }> {
    return { first: this.connectNow(socketId, user) };
  }

  /** `connect` without the promise; true for the user's first socket. */
  connectNow(socketId: string, user: UserRef, status?: UserStatus): boolean {
    this.#changes++;
    const online = this.#users.get(user.id);
    if (online) {
      online.sockets = addSocket(online.sockets, socketId);
      online.user = user;
      if (status) online.status = status;
      return false;
    }
    this.#users.set(user.id, { user, sockets: socketId, status: status ?? ONLINE });
    return true;
  }

  async disconnect(socketId: string, userId: string): Promise<boolean> {
    return this.disconnectNow(socketId, userId);
  }

  /** `disconnect` without the promise; true when it was the user's last socket. */
  disconnectNow(socketId: string, userId: string): boolean {
    this.#changes++;
    const online = this.#users.get(userId);
    if (!online || !hasSocket(online.sockets, socketId)) return false;
    const left = removeSocket(online.sockets, socketId);
    if (left !== undefined) {
      online.sockets = left;
      return false;
    }
    this.#users.delete(userId);
    return true;
  }

  async setStatus(userId: string, status: UserStatus): Promise<boolean> {
    return this.setStatusNow(userId, status);
  }

  /** `setStatus` without the promise. */
  setStatusNow(userId: string, status: UserStatus): boolean {
    const online = this.#users.get(userId);
    if (!online) return false;
    online.status = status.statusText === undefined ? { status: status.status } : { status: status.status, statusText: status.statusText };
    return true;
  }

  async online(userIds: string[]): Promise<Map<string, UserStatus>> {
    const found = new Map<string, UserStatus>();
    for (const id of userIds) {
      const online = this.#users.get(id);
      if (online) found.set(id, { ...online.status });
    }
    return found;
  }

  async outside(roomId: string, userIds: string[]): Promise<string[]> {
    const known = this.#outside.get(userIds);
    if (known && known.roomId === roomId && known.changes === this.#changes) return [...known.away];
    const room = this.#rooms.get(roomId);
    const away = userIds.filter((id) => {
      const online = this.#users.get(id);
      if (!online) return false;
      const inRoom = room?.byUser.get(id)?.sockets;
      for (const socketId of socketsOf(online.sockets)) if (!hasSocket(inRoom, socketId)) return true;
      return false;
    });
    this.#outside.set(userIds, { roomId, changes: this.#changes, away });
    return [...away];
  }

  /** Every room, user and socket count of this process (what a cluster re-registers after Redis lost it). */
  entries(): Array<{ roomId: string; user: Member; sockets: number }> {
    const out: Array<{ roomId: string; user: Member; sockets: number }> = [];
    for (const [roomId, room] of this.#rooms)
      for (const p of room.byUser.values()) out.push({ roomId, user: p.member, sockets: socketCount(p.sockets) });
    return out;
  }

  /** Every online user of this process, with socket count and status (for the same re-registration). */
  onlineEntries(): Array<{ user: UserRef; sockets: number; status: UserStatus }> {
    return Array.from(this.#users.values(), (u) => ({ user: u.user, sockets: socketCount(u.sockets), status: u.status }));
  }

  close(): void {
    this.#changes++;
    this.#rooms.clear();
    this.#users.clear();
  }

  // A member as others see it: with the status the user set, if any.
  #withStatus(member: Member): Member {
    const status = this.#users.get(member.id)?.status;
    if (!status || (status.status === 'online' && status.statusText === undefined)) return member;
    return { ...member, status: status.status, ...(status.statusText !== undefined && { statusText: status.statusText }) };
  }
}
