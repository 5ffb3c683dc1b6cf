import { toChatError, type Room, type UserRef } from '@chat/protocol';
import type { SocketSession } from '../connection/socket-session.js';
import type { ServerContext } from '../context.js';
import { publicRoom } from '../../core/public-room.js';
import { userRef } from '../../core/ids.js';
import { askEverywhere } from '../ask-everywhere.js';

/** Sent between processes when a room ends, so each forgets its copy and takes its sockets out of the room; acknowledged by each. */
const ROOM_ENDED_SIGNAL = 'chat:room-ended';
/** Sent between processes when a room changes, so each forgets its copy and checks its members against it; acknowledged by each. */
const ROOM_CHANGED_SIGNAL = 'chat:room-changed';
/** Sent between processes when the host removed members, so each forgets its copy of the members and takes their sockets out; acknowledged by each. */
const MEMBERS_REMOVED_SIGNAL = 'chat:members-removed';

interface MembersRemoved {
  roomId: string;
  userIds: string[];
}

type SignalTarget = { on(event: string, listener: (data: never, ack?: (ok: boolean) => void) => void): void };

/**
 * Tells the sockets of every process that a room ended or changed, or that members were removed.
 * Each process tells its own sockets (a cluster-wide broadcast plus a drop signal could arrive in
 * either order: the adapter sends server-side signals over pub/sub and broadcasts over a stream).
 * Each is answered only once every process has forgotten its cached copy of the room or its
 * members (and taken out the sockets the room no longer allows): the room caches trust that signal, and keep
 * a copy for long on its strength (`roomCacheMs`, which then only bounds a missed signal).
 */
export class RoomSignals {
  constructor(
    private readonly ctx: ServerContext,
    private readonly sessions: ReadonlyMap<string, SocketSession>,
  ) {}

  /** Listens to the other processes' signals (once the cluster's adapter is in place). */
  listen(): void {
    const signals = this.ctx.nsp as unknown as SignalTarget;
    signals.on(ROOM_ENDED_SIGNAL, (room: Room, ack) => {
      this.#ended(room);
      ack?.(true);
    });
    signals.on(ROOM_CHANGED_SIGNAL, (room: Room, ack) => {
      this.#changed(room)
        .catch((error: unknown) => this.ctx.report(toChatError(error), { event: 'room:changed' }))
        .finally(() => ack?.(true));
    });
    signals.on(MEMBERS_REMOVED_SIGNAL, (removed: MembersRemoved, ack) => {
      this.#removed(removed);
      ack?.(true);
    });
  }

  /**
   * Members were removed (`chat.removeMembers`): their sockets leave the room with `room:removed`,
   * and every process forgets its copy of the room's members (no more push or `notify` to them).
   * Resolves once every process has done it (or failed to answer in time, reported).
   */
  async removed(roomId: string, userIds: string[]): Promise<void> {
    this.#removed({ roomId, userIds });
    await this.#everywhere(MEMBERS_REMOVED_SIGNAL, { roomId, userIds });
  }

  /**
   * The room ended: every process forgets its copy, and members get `room:ended` and leave it.
   * Resolves once every process has done it (or failed to answer in the adapter's time, which is
   * reported: `roomCacheMs` bounds its copy).
   */
  async ended(room: Room): Promise<void> {
    this.#ended(room);
    await this.#everywhere(ROOM_ENDED_SIGNAL, room);
  }

  /**
   * The room changed: every process forgets its copy, and members the new room refuses leave
   * (`room:removed`). Resolves once every process has done it (or failed to answer in time, reported).
   */
  async changed(room: Room): Promise<void> {
    await Promise.all([this.#everywhere(ROOM_CHANGED_SIGNAL, room), this.#changed(room)]);
  }

  /** Signals the other processes and waits for each one's answer (at most 5 s: askEverywhere). */
  async #everywhere(event: string, data: Room | MembersRemoved): Promise<void> {
    if (this.ctx.clustered()) await askEverywhere(this.ctx, event, data);
  }

  /**
   * Every room this process has sockets in, read again from the store and handled as if its
   * end or change had just been signalled (after a cluster outage that may have lost signals).
   */
  async recheckAll(): Promise<void> {
    // Cached copies of rooms with no socket here may have missed a signal too.
    this.ctx.rooms.clear();
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
    // A room made private starts its member list over: the stored members changed.
    this.ctx.members.forget(room.id);
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
    // Every process's copy of the room's members, not only the one that removed them: a removed
    // user must get no more push or `notify` from sends on the others.
    this.ctx.members.forget(roomId);
    const ids = new Set(userIds);
    for (const socketId of [...(this.ctx.nsp.adapter.rooms.get(roomId) ?? [])]) {
      const session = this.sessions.get(socketId);
      if (session && ids.has(session.user.id)) session.removedFrom(roomId);
    }
    // What they had in the room from sockets outside it ends too (calls: a rung user's other tab hangs up).
    this.ctx.bus.emit('room:users-removed', roomId, ids);
  }

  #ended(room: Room): void {
    this.ctx.rooms.forget(room.id);
    const nsp = this.ctx.nsp;
    nsp.local.to(room.id).emit('room:ended', { roomId: room.id, room: publicRoom(room) });
    for (const socketId of nsp.adapter.rooms.get(room.id) ?? []) this.sessions.get(socketId)?.roomEnded(room.id);
    // What goes on in it ends too (its call, with participants on sockets outside the room).
    this.ctx.bus.emit('room:ended', room.id);
  }
}
