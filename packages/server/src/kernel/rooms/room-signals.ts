import { toChatError, type Room, type UserRef } from '@chat/protocol';
import type { SocketSession } from '../connection/socket-session.js';
import type { ServerContext } from '../context.js';
import { publicRoom } from '../../core/public-room.js';
import { userRef } from '../../core/ids.js';

/** Sent between processes when a room ends, so each takes its sockets out of the room. */
const ROOM_ENDED_SIGNAL = 'chat:room-ended';
/** Sent between processes when a room changes, so each checks its members against it. */
const ROOM_CHANGED_SIGNAL = 'chat:room-changed';
/** Sent between processes when the host removed members, so each takes their sockets out. */
const MEMBERS_REMOVED_SIGNAL = 'chat:members-removed';

interface MembersRemoved {
  roomId: string;
  userIds: string[];
}

type SignalTarget = { on(event: string, listener: (data: never) => void): void };

/**
 * Tells the sockets of every process that a room ended or changed. Each process tells its own
 * sockets (a cluster-wide broadcast plus a drop signal could arrive in either order: the
 * adapter sends server-side signals over pub/sub and broadcasts over a stream).
 */
export class RoomSignals {
  constructor(
    private readonly ctx: ServerContext,
    private readonly sessions: ReadonlyMap<string, SocketSession>,
    private readonly clustered: () => boolean,
  ) {}

  /** Listens to the other processes' signals (once the cluster's adapter is in place). */
  listen(): void {
    const signals = this.ctx.nsp as unknown as SignalTarget;
    signals.on(ROOM_ENDED_SIGNAL, (room: Room) => this.#ended(room));
    signals.on(ROOM_CHANGED_SIGNAL, (room: Room) => void this.#changed(room));
    signals.on(MEMBERS_REMOVED_SIGNAL, (removed: MembersRemoved) => this.#removed(removed));
  }

  /** Members were removed (`chat.removeMembers`): their sockets leave the room with `room:removed`, on every process. */
  removed(roomId: string, userIds: string[]): void {
    this.#removed({ roomId, userIds });
    if (this.clustered()) this.ctx.nsp.serverSideEmit(MEMBERS_REMOVED_SIGNAL, { roomId, userIds });
  }

  /** The room ended: members get `room:ended` and leave it, on every process. */
  ended(room: Room): void {
    this.#ended(room);
    if (this.clustered()) this.ctx.nsp.serverSideEmit(ROOM_ENDED_SIGNAL, room);
  }

  /** The room changed: members the new room refuses leave (`room:removed`), on every process. */
  async changed(room: Room): Promise<void> {
    if (this.clustered()) this.ctx.nsp.serverSideEmit(ROOM_CHANGED_SIGNAL, room);
    await this.#changed(room);
  }

  /**
   * Every room this process has sockets in, read again from the store and handled as if its
   * end or change had just been signalled (after a cluster outage that may have lost signals).
   */
  async recheckAll(): Promise<void> {
    const roomIds = new Set<string>();
    for (const session of this.sessions.values()) for (const id of session.rooms) roomIds.add(id);
    for (const id of roomIds) {
      const room = await this.ctx.store.getRoom(id);
      if (!room) continue;
      if (room.endedAt) this.#ended(room);
      else await this.#changed(room);
    }
  }

  async #changed(room: Room): Promise<void> {
    this.ctx.rooms.forget(room.id);
    const sockets = [...(this.ctx.nsp.adapter.rooms.get(room.id) ?? [])];
    const sessions = sockets.map((socketId) => this.sessions.get(socketId)).filter((session) => session !== undefined);
    await Promise.all(sessions.map((session) => session.roomChanged(room)));
    if (room.options.private === true && room.options.direct !== true) {
      await this.#keepMembers(room).catch((error: unknown) => this.ctx.report(toChatError(error), { event: 'room:changed' }));
    }
  }

  // A room made private started its member list over: the users `authorize` let stay in it here
  // are its members (one read and at most one write per room, not one per socket).
  async #keepMembers(room: Room): Promise<void> {
    const stayed = new Map<string, UserRef>();
    for (const socketId of this.ctx.nsp.adapter.rooms.get(room.id) ?? []) {
      const session = this.sessions.get(socketId);
      if (session?.rooms.has(room.id)) stayed.set(session.user.id, userRef(session.user));
    }
    if (stayed.size === 0) return;
    for (const member of await this.ctx.store.listMembers(room.id)) stayed.delete(member.user.id);
    if (stayed.size === 0) return;
    await this.ctx.store.addMembers(room.id, [...stayed.values()]);
    this.ctx.members.forget(room.id);
  }

  #removed({ roomId, userIds }: MembersRemoved): void {
    const ids = new Set(userIds);
    for (const socketId of [...(this.ctx.nsp.adapter.rooms.get(roomId) ?? [])]) {
      const session = this.sessions.get(socketId);
      if (session && ids.has(session.user.id)) session.removedFrom(roomId);
    }
    // Their sockets in the room's call from outside the room (a rung user's other tab) hang up too.
    this.ctx.calls.usersRemoved(roomId, ids);
  }

  #ended(room: Room): void {
    this.ctx.rooms.forget(room.id);
    const nsp = this.ctx.nsp;
    nsp.local.to(room.id).emit('room:ended', { roomId: room.id, room: publicRoom(room) });
    for (const socketId of nsp.adapter.rooms.get(room.id) ?? []) this.sessions.get(socketId)?.roomEnded(room.id);
    // Its call ends too, with participants on sockets outside the room.
    this.ctx.calls.roomEnded(room.id);
  }
}
