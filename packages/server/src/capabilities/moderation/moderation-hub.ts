import { MemberRole, toChatError, type ChatUser, type Member, type PresenceDelta, type Room, type RoomRemovedEvent } from '@chat/protocol';
import { userRoom } from '../../core/ids.js';
import { LocalRateLimiter, type RateLimiter } from '../../limits/rate-limiter.js';
import type { CapabilityContext } from '../capability-context.js';
import type { ChatStore } from '../../core/chat-store.js';
import type { RoomStanding } from '../../core/moderation-records.js';
import type { ModeratedSignal, ModerationPort, UpdateRoom } from '../../core/ports.js';
import { inForce, isAdmin, roomRole } from './roles.js';
import { StandingCache } from './standing-cache.js';
import { askEverywhere } from '../../kernel/ask-everywhere.js';

/** Sent between processes when a standing changed (and a user must leave a room), acknowledged by each. */
const MODERATED_SIGNAL = 'chat:moderated';
/** Asks the other processes whether a user is connected there with the `admin` role. */
const IS_ADMIN_SIGNAL = 'chat:is-admin';

/** What moderation needs of a socket of this process. */
export interface ModeratedSocket {
  readonly user: ChatUser;
  readonly rooms: ReadonlySet<string>;
  /** Takes the socket out of the room with `room:removed`. */
  removedFrom(roomId: string, event?: Omit<RoomRemovedEvent, 'roomId'>): void;
}

export type { ModeratedSignal, UpdateRoom } from '../../core/ports.js';

type SignalTarget = { on(event: string, listener: (...args: never[]) => void): void };

/**
 * The moderation state of one chat server: the standings cache, the signals that keep it (and
 * who is in which room) right on every process, slow mode's buckets, and the roles and mutes
 * that every member list and presence delta carries.
 */
export class ModerationHub implements ModerationPort {
  readonly standings: StandingCache;
  readonly #localRates = new LocalRateLimiter();
  /** Presence deltas of a room leave in the order they were made, each with the standings of its time. */
  readonly #chains = new Map<string, Promise<void>>();

  constructor(
    store: ChatStore,
    private readonly ctx: () => CapabilityContext,
    private readonly sockets: (socketId: string) => ModeratedSocket | undefined,
    cacheMs: number,
    /** `chat.updateRoom`'s path with an actor (freeze and slow mode from `moderation:room`). */
    readonly updateRoom: UpdateRoom,
  ) {
    this.standings = new StandingCache(store, cacheMs);
  }

  /** Listens to the other processes' signals (once the cluster's adapter is in place). */
  listen(): void {
    const nsp = this.ctx().nsp as unknown as SignalTarget;
    nsp.on(MODERATED_SIGNAL, (signal: ModeratedSignal, ack?: (ok: boolean) => void) => {
      this.#apply(signal);
      ack?.(true);
    });
    nsp.on(IS_ADMIN_SIGNAL, (userId: string, ack?: (admin: boolean) => void) => ack?.(this.#adminHere(userId)));
  }

  /** Buckets for slow mode: shared by the processes with a cluster. */
  get rates(): RateLimiter {
    return this.ctx().rates ?? this.#localRates;
  }

  /**
   * A standing changed: this process and every other forget the room's standings and take the
   * user's sockets out of the room (`removal`). Resolves once every process has done it (or
   * failed to answer in the adapter's time, which is reported: the cache's window bounds it; at
   * most 5 s, also while Redis is away).
   */
  async changed(signal: ModeratedSignal): Promise<void> {
    this.#apply(signal);
    if (this.ctx().clustered()) await askEverywhere(this.ctx(), MODERATED_SIGNAL, signal);
  }

  /** Whether the user is connected with the `admin` role, on this process or another. */
  async adminOnline(userId: string): Promise<boolean> {
    if (this.#adminHere(userId)) return true;
    if (!this.ctx().clustered()) return false;
    const answers = await askEverywhere(this.ctx(), IS_ADMIN_SIGNAL, userId);
    return answers.some((admin) => admin === true);
  }

  /** Members as others see them: with their role in the room (when not `member`) and a mute in force. */
  async decorate(room: Room, members: readonly Member[]): Promise<Member[]> {
    if (members.length === 0) return [];
    const standings = await this.standings.room(room.id);
    const now = Date.now();
    return members.map((member) => withStanding(room, member, standings.get(member.id), now));
  }

  /** Sends a presence delta with the members' roles and mutes, after the deltas of the room sent before it; resolves once sent. */
  publishPresence(delta: PresenceDelta, emit: (delta: PresenceDelta) => void): Promise<void> {
    const ctx = this.ctx();
    const previous = this.#chains.get(delta.roomId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        if (delta.joined.length + delta.updated.length === 0) return emit(delta);
        const room = await ctx.rooms.get(delta.roomId);
        if (!room) return emit(delta);
        const [joined, updated] = await Promise.all([this.decorate(room, delta.joined), this.decorate(room, delta.updated)]);
        emit({ ...delta, joined, updated });
      })
      .catch((error: unknown) => {
        // Sent without standings rather than not at all: who is here matters more.
        ctx.report(toChatError(error), { event: 'presence' });
        emit(delta);
      });
    this.#chains.set(delta.roomId, next);
    void next.then(() => {
      if (this.#chains.get(delta.roomId) === next) this.#chains.delete(delta.roomId);
    });
    return next;
  }

  close(): void {
    this.standings.clear();
    this.#localRates.clear();
  }

  #apply({ roomId, userId, removal }: ModeratedSignal): void {
    this.standings.forget(roomId);
    if (!removal) return;
    // A ban or kick removed the member on every process: no process's copy of the room's members
    // may send them a push or `notify` from now on.
    this.ctx().members.forget(roomId);
    for (const socketId of [...(this.ctx().nsp.adapter.rooms.get(roomId) ?? [])]) {
      const socket = this.sockets(socketId);
      // Admins moderate every room: no standing takes them out.
      if (socket && socket.user.id === userId && socket.rooms.has(roomId) && !isAdmin(socket.user)) socket.removedFrom(roomId, removal);
    }
    // A rung user may be in the room's call from a socket outside the room (another tab): it hangs up too.
    for (const socketId of [...(this.ctx().nsp.adapter.rooms.get(userRoom(userId)) ?? [])]) {
      const socket = this.sockets(socketId);
      if (socket && socket.user.id === userId && !isAdmin(socket.user)) this.ctx().calls.leftRoom(socketId, roomId);
    }
  }

  #adminHere(userId: string): boolean {
    for (const socketId of this.ctx().nsp.adapter.rooms.get(userRoom(userId)) ?? []) {
      const socket = this.sockets(socketId);
      if (socket && socket.user.id === userId && isAdmin(socket.user)) return true;
    }
    return false;
  }
}

function withStanding(room: Room, member: Member, standing: RoomStanding | undefined, now: number): Member {
  const { role: _role, muted: _muted, ...rest } = member;
  const decorated: Member = rest;
  const role = roomRole(room, member.id, standing);
  if (role !== MemberRole.MEMBER) decorated.role = role;
  // Everyone sees that and until when; the reason is for the user (in MUTED) and moderators (the audit log).
  if (inForce(standing?.mute, now)) decorated.muted = standing.mute.until === undefined ? {} : { until: standing.mute.until };
  return decorated;
}
