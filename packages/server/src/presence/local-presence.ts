import { ChatError, type Member, type UserRef } from '@chat/protocol';
import { nameKey, type PresenceAdd, type PresenceRegistry } from './presence-registry.js';

interface Presence {
  member: Member;
  sockets: Set<string>;
}

interface RoomPresence {
  byUser: Map<string, Presence>;
  /** Normalised display name -> user id, for NAME_TAKEN. */
  byName: Map<string, string>;
}

/** Presence of this process only: the default, and what a single process needs. */
export class LocalPresence implements PresenceRegistry {
  readonly #rooms = new Map<string, RoomPresence>();

  async add(roomId: string, socketId: string, user: UserRef): Promise<PresenceAdd> {
    return this.addNow(roomId, socketId, user);
  }

  /** `add` without the promise, for callers in this process. */
  addNow(roomId: string, socketId: string, user: UserRef): PresenceAdd {
    let room = this.#rooms.get(roomId);
    const key = nameKey(user.name);
    const owner = room?.byName.get(key);
    if (owner !== undefined && owner !== user.id) {
      throw new ChatError('NAME_TAKEN', `Someone in this room is already called "${user.name}". Please choose another name.`);
    }
    if (!room) {
      room = { byUser: new Map(), byName: new Map() };
      this.#rooms.set(roomId, room);
    }
    const existing = room.byUser.get(user.id);
    if (existing) {
      existing.sockets.add(socketId);
      return { member: existing.member, joined: false };
    }
    const member: Member = { id: user.id, name: user.name, status: 'online', joinedAt: new Date().toISOString() };
    if (user.avatarUrl !== undefined) member.avatarUrl = user.avatarUrl;
    room.byUser.set(user.id, { member, sockets: new Set([socketId]) });
    room.byName.set(key, user.id);
    return { member, joined: true };
  }

  async remove(roomId: string, socketId: string, userId: string): Promise<Member | undefined> {
    return this.removeNow(roomId, socketId, userId);
  }

  /** `remove` without the promise. */
  removeNow(roomId: string, socketId: string, userId: string): Member | undefined {
    const room = this.#rooms.get(roomId);
    const presence = room?.byUser.get(userId);
    if (!room || !presence || !presence.sockets.delete(socketId) || presence.sockets.size > 0) return undefined;
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
    return room ? Array.from(room.byUser.values(), (p) => p.member) : [];
  }

  async lookup(roomId: string, userIds: string[]): Promise<Map<string, Member>> {
    const room = this.#rooms.get(roomId);
    const found = new Map<string, Member>();
    for (const id of userIds) {
      const presence = room?.byUser.get(id);
      if (presence) found.set(id, presence.member);
    }
    return found;
  }

  /** Every room, user and socket count of this process (what a cluster re-registers after Redis lost it). */
  entries(): Array<{ roomId: string; user: Member; sockets: number }> {
    const out: Array<{ roomId: string; user: Member; sockets: number }> = [];
    for (const [roomId, room] of this.#rooms)
      for (const p of room.byUser.values()) out.push({ roomId, user: p.member, sockets: p.sockets.size });
    return out;
  }

  close(): void {
    this.#rooms.clear();
  }
}
