import { ChatError, type Member, type PresenceDelta, type UserRef } from '@chat/protocol';

interface Presence {
  member: Member;
  sockets: Set<string>;
}

interface RoomPresence {
  byUser: Map<string, Presence>;
  /** Normalised display name -> user id, for NAME_TAKEN. */
  byName: Map<string, string>;
  /** Users whose presence changed since the last flush. */
  changed: Set<string>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** The result of adding a socket to a room's presence. */
export interface PresenceAdd {
  member: Member;
  /** True when this is the user's first socket in the room (the user joined). */
  joined: boolean;
}

/**
 * Who is in which room in this process: one member per user however many sockets, names
 * unique per room, and changes coalesced into one `presence` delta per room per window.
 */
export class PresenceTracker {
  readonly #rooms = new Map<string, RoomPresence>();

  constructor(
    private readonly publish: (delta: PresenceDelta) => void,
    private readonly coalesceMs: number,
  ) {}

  /** Adds a socket of `user` to a room; `NAME_TAKEN` when another user there has the same name. */
  add(roomId: string, socketId: string, user: UserRef): PresenceAdd {
    let room = this.#rooms.get(roomId);
    const key = nameKey(user.name);
    const owner = room?.byName.get(key);
    if (owner !== undefined && owner !== user.id) {
      throw new ChatError('NAME_TAKEN', `Someone in this room is already called "${user.name}". Please choose another name.`);
    }
    if (!room) {
      room = { byUser: new Map(), byName: new Map(), changed: new Set(), timer: undefined };
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
    this.#changed(roomId, room, user.id);
    return { member, joined: true };
  }

  /** Removes a socket; returns the member when it was the user's last socket (the user left). */
  remove(roomId: string, socketId: string, userId: string): Member | undefined {
    const room = this.#rooms.get(roomId);
    const presence = room?.byUser.get(userId);
    if (!room || !presence || !presence.sockets.delete(socketId) || presence.sockets.size > 0) return undefined;
    room.byUser.delete(userId);
    room.byName.delete(nameKey(presence.member.name));
    this.#changed(roomId, room, userId);
    return presence.member;
  }

  /** The current members of a room. */
  members(roomId: string): Member[] {
    const room = this.#rooms.get(roomId);
    return room ? Array.from(room.byUser.values(), (p) => p.member) : [];
  }

  /** True when the user has a socket in the room. */
  has(roomId: string, userId: string): boolean {
    return this.#rooms.get(roomId)?.byUser.has(userId) ?? false;
  }

  /** Stops all timers and forgets everyone; pending deltas are dropped. */
  close(): void {
    for (const room of this.#rooms.values()) clearTimeout(room.timer);
    this.#rooms.clear();
  }

  #changed(roomId: string, room: RoomPresence, userId: string): void {
    room.changed.add(userId);
    room.timer ??= setTimeout(() => this.#flush(roomId, room), this.coalesceMs);
  }

  #flush(roomId: string, room: RoomPresence): void {
    if (room.timer) clearTimeout(room.timer);
    room.timer = undefined;
    const delta: PresenceDelta = { roomId, joined: [], left: [], updated: [] };
    for (const userId of room.changed) {
      const presence = room.byUser.get(userId);
      if (presence) delta.joined.push(presence.member);
      else delta.left.push(userId);
    }
    room.changed.clear();
    if (room.byUser.size === 0 && this.#rooms.get(roomId) === room) this.#rooms.delete(roomId);
    if (delta.joined.length > 0 || delta.left.length > 0) this.publish(delta);
  }
}

// Names compare without case, accents folded to their composed form and spaces trimmed.
function nameKey(name: string): string {
  return name.normalize('NFKC').trim().toLocaleLowerCase();
}
