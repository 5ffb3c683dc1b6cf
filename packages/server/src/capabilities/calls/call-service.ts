import { randomUUID } from 'node:crypto';
import {
  builtInError,
  ChatError,
  parsePayload,
  toChatError,
  type Call,
  type CallResult,
  type ChatUser,
  type EmptyResult,
  type Room,
  type UserRef,
} from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import { userRef } from '../../core/ids.js';
import { userRoom } from '../../core/ids.js';
import { ChatAction } from '../../core/policy.js';
import { authorizeOrThrow } from '../../kernel/rooms/open-room.js';
import { takeMessage } from '../../kernel/connection/message-rate.js';
import type { CapabilityContext } from '../capability-context.js';
import { callSettings, iceServersFor, type CallOptions, type CallSettings } from './call-options.js';
import { endedLine, postCallLine, startedLine } from './call-lines.js';
import {
  decline,
  dropProcesses,
  end,
  join,
  leave,
  newCall,
  publicCall,
  ringOut,
  type CallParticipant,
  type CallState,
  type CallStep,
} from '../../core/call-state.js';
import { MemoryCallStore, type CallRead, type CallStore } from '../../local/call-store.js';

/** Who sends a socket's call requests (read at each request: a refreshed token may change the user). */
export interface CallCaller {
  user: ChatUser;
  handshake: ChatHandshake;
  socketId: string;
  /** The rooms the socket has joined. */
  rooms: ReadonlySet<string>;
  connected(): boolean;
}

/** A socket of this process in a call. */
interface LocalParticipant {
  callId: string;
  roomId: string;
  userId: string;
}

/** Changes that lost a compare-and-set this many times in a row give up (`INTERNAL`); each retry reads afresh. */
const MAX_ATTEMPTS = 20;

/**
 * Calls: one per room at a time, up to `limits.maxCallParticipants` people, each from one
 * socket. Call state lives in a {@link CallStore} (memory, or Redis with a cluster) and every
 * change is a pure step (`call-state.ts`) written with a compare-and-set, so the process that
 * wins a change is the one that announces it: the `call` event to the room and to the rung users'
 * sockets, and the history line when it ends.
 */
export class CallService {
  readonly #settings: CallSettings | undefined;
  #store: CallStore = new MemoryCallStore();
  /** This process's sockets in calls, by socket id (the socket's disconnect or room leave hangs up). */
  readonly #local = new Map<string, LocalParticipant>();
  /** Ring timeouts of the calls started here, by call id. */
  readonly #ringTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(
    private readonly context: () => CapabilityContext,
    options: CallOptions | undefined,
  ) {
    this.#settings = options && callSettings(options);
  }

  /** Whether the server has the `calls` option. */
  get enabled(): boolean {
    return this.#settings !== undefined;
  }

  /** The store calls live in: the cluster's, once it is ready. */
  useStore(store: CallStore): void {
    this.#store = store;
    store.onOrphans?.((callIds, dead) => {
      for (const id of callIds)
        this.#track(
          this.#change(id, () => undefined, dead),
          'call',
        );
    });
  }

  /** `call:start`: a call in a room the socket joined, ringing the invited members (a direct room's other members by default). */
  async start(caller: CallCaller, payload: unknown): Promise<CallResult> {
    const settings = this.#require();
    const ctx = this.context();
    const { roomId, kind, invite } = parsePayload(ctx.schemas['call:start'], payload);
    const room = await this.#callRoom(caller, roomId);
    // A start writes a line to the history: muted users and frozen rooms are refused as for a message.
    await ctx.guard.write(room, caller.user, 'call');
    await this.#notInOtherCall(caller.socketId);
    const ring = await this.#invitees(room, caller.user, invite);
    // ...and it costs a message of the user's budget, or starts and hang-ups would be free lines.
    const wait = await takeMessage(ctx, caller.user.id);
    if (wait > 0) {
      throw builtInError('RATE_LIMITED', `You are starting calls too often. Try again in ${Math.ceil(wait / 1000)} s.`, {
        retryAfter: wait,
      });
    }
    const iceServers = await iceServersFor(settings, caller.user);
    const state = newCall({ id: randomUUID(), roomId, kind, caller: this.#participant(caller), ring });
    await this.#create(state);
    this.#local.set(caller.socketId, { callId: state.id, roomId, userId: caller.user.id });
    // The line goes first: nobody knows of the call before the event, so "started" always
    // precedes "ended" in the history.
    await postCallLine(ctx, state, startedLine(state));
    this.#emit(state);
    this.#armRing(state, settings.ringTimeoutMs);
    if (!caller.connected()) this.socketGone(caller.socketId);
    return { call: publicCall(state), iceServers };
  }

  /** `call:join`: enter a call of a joined room, or one the user is rung for (from any of their sockets). */
  async join(caller: CallCaller, payload: unknown): Promise<CallResult> {
    const settings = this.#require();
    const ctx = this.context();
    const { callId } = parsePayload(ctx.schemas['call:join'], payload);
    const read = await this.#visible(caller, callId);
    const room = await this.#callRoom(caller, read.state.roomId, read.state.invited.includes(caller.user.id));
    // Muted and frozen mean not heard, in calls too: a muted member (or anyone below moderator
    // in a frozen room) cannot join one.
    await ctx.guard.write(room, caller.user, 'call');
    await this.#notInOtherCall(caller.socketId, callId);
    const iceServers = await iceServersFor(settings, caller.user);
    const participant = this.#participant(caller);
    const state = await this.#change(callId, (s) => join(s, participant, ctx.limits.maxCallParticipants));
    this.#local.set(caller.socketId, { callId, roomId: state.roomId, userId: caller.user.id });
    if (!caller.connected()) this.socketGone(caller.socketId);
    return { call: publicCall(state), iceServers };
  }

  /** `call:decline`: stop ringing (every tab of the user). The last decline of a call with only its caller in it ends it. */
  async decline(caller: CallCaller, payload: unknown): Promise<CallResult> {
    this.#require();
    const { callId } = parsePayload(this.context().schemas['call:decline'], payload);
    await this.#visible(caller, callId);
    return { call: publicCall(await this.#change(callId, (s, now) => decline(s, caller.user.id, now))) };
  }

  /** `call:leave`: hang up (ends a two-person call, leaves a bigger one); from a ringing user, a decline. */
  async leave(caller: CallCaller, payload: unknown): Promise<CallResult> {
    this.#require();
    const { callId } = parsePayload(this.context().schemas['call:leave'], payload);
    await this.#visible(caller, callId);
    const userId = caller.user.id;
    const state = await this.#change(callId, (s, now) =>
      s.participants.some((p) => p.user.id === userId) ? leave(s, userId, now) : decline(s, userId, now),
    );
    return { call: publicCall(state) };
  }

  /**
   * `call:signal`: hands WebRTC data to the one socket `to` is in the call from, on whatever
   * process holds it. Never stored, never sent to anyone else. Both ends must be in the call,
   * the sender from this socket. (The per-user signal budget is taken before this runs.)
   */
  async signal(caller: CallCaller, payload: unknown): Promise<EmptyResult> {
    this.#require();
    const ctx = this.context();
    const { callId, to, data } = parsePayload(ctx.schemas['call:signal'], payload);
    const read = await this.#store.get(callId);
    if (!read) throw callNotFound();
    const live = read.state.participants.filter((p) => !read.dead.has(p.process));
    const self = live.find((p) => p.user.id === caller.user.id);
    if (!self) throw builtInError('FORBIDDEN', 'You are not in this call. Join it before sending it anything.');
    if (self.socketId !== caller.socketId) {
      throw builtInError('FORBIDDEN', 'You are in this call on another tab or device: its signals go from there.');
    }
    if (to === self.user.id) throw builtInError('VALIDATION_FAILED', 'A signal goes to another participant, not to yourself.');
    const target = live.find((p) => p.user.id === to);
    if (!target) throw builtInError('FORBIDDEN', `"${to}" is not in this call: signals go only to its participants.`);
    // Muted since they joined, or the room frozen: their media is not negotiated any further.
    const room = await ctx.rooms.get(read.state.roomId);
    if (room) await ctx.guard.write(room, caller.user, 'call');
    ctx.nsp.to(target.socketId).emit('call:signal', { callId, from: self.user.id, data });
    return {};
  }

  /** The calls going on in a room (for the join ack): at most one. */
  async inRoom(roomId: string): Promise<Call[]> {
    if (!this.#settings) return [];
    const read = await this.#store.ofRoom(roomId);
    if (!read) return [];
    // Participants of a dead process are not shown; the reaper drops them for good shortly.
    const step = dropProcesses(read.state, read.dead, new Date().toISOString());
    if (step?.ended) return [];
    return [publicCall(step?.state ?? read.state)];
  }

  /** A socket went away: if it was in a call, it hangs up. */
  socketGone(socketId: string): void {
    const local = this.#local.get(socketId);
    if (!local) return;
    this.#local.delete(socketId);
    this.#hangUp(local, socketId);
  }

  /** A socket left a room (left, removed, the room ended): if it was in that room's call, it hangs up. */
  leftRoom(socketId: string, roomId: string): void {
    const local = this.#local.get(socketId);
    if (local?.roomId === roomId) this.socketGone(socketId);
  }

  /**
   * The room ended: its call ends now, whoever is in it (a rung user may be in it from a socket
   * outside the room, which the room's end does not reach). Every process may ask; one write wins.
   */
  roomEnded(roomId: string): void {
    if (!this.#settings) return;
    const ending = this.#store.ofRoom(roomId).then((read) => read && this.#change(read.state.id, (s, now) => end(s, now)));
    this.#track(ending, 'call');
  }

  /** Users taken out of a room (removed, kicked, banned): this process's sockets of theirs in its call hang up, in the room or not. */
  usersRemoved(roomId: string, userIds: ReadonlySet<string>): void {
    for (const [socketId, local] of [...this.#local]) {
      if (local.roomId === roomId && userIds.has(local.userId)) this.socketGone(socketId);
    }
  }

  /** Stops the ring timers (the sockets' hang-ups were tracked as work `close()` waits for). */
  close(): void {
    this.#closed = true;
    for (const timer of this.#ringTimers.values()) clearTimeout(timer);
    this.#ringTimers.clear();
  }

  #require(): CallSettings {
    if (!this.#settings) throw builtInError('FORBIDDEN', 'Calls are not enabled on this server.');
    return this.#settings;
  }

  #participant(caller: CallCaller): CallParticipant {
    return { user: userRef(caller.user), socketId: caller.socketId, process: this.#store.process, joinedAt: new Date().toISOString() };
  }

  // The call's room, for a start or a join: joined on this socket (or, for a rung user, any
  // socket of theirs), not ended, and `authorize('call')` says yes.
  async #callRoom(caller: CallCaller, roomId: string, invited = false): Promise<Room> {
    const ctx = this.context();
    const room = await ctx.store.getRoom(roomId);
    if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
    if (room.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended: no call can be made in it.');
    if (!caller.rooms.has(roomId) && !invited) throw builtInError('NOT_IN_ROOM', 'Join this room first.');
    // A rung user need not be in the room: a ban made since (on any process) must still keep them out.
    await ctx.guard.join(room, caller.user);
    await authorizeOrThrow(ctx, ChatAction.CALL, { user: caller.user, roomId, room, handshake: caller.handshake });
    return room;
  }

  // A call the caller may see: one of a room the socket joined, or one the user was rung for.
  async #visible(caller: CallCaller, callId: string): Promise<CallRead> {
    const read = await this.#store.get(callId);
    if (!read) throw callNotFound();
    const { state } = read;
    const userId = caller.user.id;
    const involved = state.invited.includes(userId) || state.participants.some((p) => p.user.id === userId);
    if (!involved && !caller.rooms.has(state.roomId)) throw builtInError('NOT_IN_ROOM', 'Join the room of this call first.');
    return read;
  }

  // One socket, one call: a socket still in another call must hang up first.
  async #notInOtherCall(socketId: string, callId?: string): Promise<void> {
    const local = this.#local.get(socketId);
    if (!local || local.callId === callId) return;
    const read = await this.#store.get(local.callId);
    if (read?.state.participants.some((p) => p.socketId === socketId && !read.dead.has(p.process))) {
      throw builtInError('FORBIDDEN', 'You are in another call. Hang up first.');
    }
    this.#local.delete(socketId); // that call ended elsewhere
  }

  // Whom a new call rings: the ids given (each a member: present in the room, or a stored member
  // of a private or direct room), or in a direct room without a list, its other members.
  async #invitees(room: Room, user: ChatUser, invite: string[] | undefined): Promise<UserRef[]> {
    const ctx = this.context();
    const stored = room.options.private === true || room.options.direct === true;
    if (invite === undefined) {
      if (room.options.direct !== true) return [];
      return (await ctx.store.listMembers(room.id)).filter((m) => m.user.id !== user.id).map((m) => userRef(m.user));
    }
    const asked = [...new Set(invite)].filter((id) => id !== user.id);
    if (asked.length === 0) return [];
    const present = await ctx.presence.lookup(room.id, asked);
    const found = new Map<string, UserRef>([...present].map(([id, m]) => [id, userRef(m)]));
    if (found.size < asked.length && stored) {
      for (const m of await ctx.store.listMembers(room.id)) if (!found.has(m.user.id)) found.set(m.user.id, userRef(m.user));
    }
    const missing = asked.find((id) => !found.has(id));
    if (missing !== undefined) {
      throw builtInError('FORBIDDEN', `You can only call members of this room, and "${missing}" is not here.`);
    }
    return asked.map((id) => found.get(id) as UserRef);
  }

  // A new call, unless the room has one: a room's call whose people all died with their process
  // ends first; a live one is refused (one call per room: join it instead).
  async #create(state: CallState): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const created = await this.#store.create(state);
      if (created.created) return;
      const existing = await this.#store.get(created.existingId);
      if (!existing) continue;
      const step = dropProcesses(existing.state, existing.dead, new Date().toISOString());
      if (!step?.ended) {
        throw builtInError('FORBIDDEN', 'A call is already going on in this room. Join it instead of starting another.');
      }
      await this.#write(existing.state.version, step);
    }
    throw builtInError('INTERNAL', 'The call could not be started: the room changed too often. Try again.');
  }

  // Reads the call, drops participants of dead processes, applies `change`, and writes the
  // result if nobody changed the call meanwhile (else starts over). Returns the call after it.
  async #change(
    callId: string,
    change: (state: CallState, now: string) => CallStep | undefined,
    knownDead?: ReadonlySet<string>,
  ): Promise<CallState> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = await this.#store.get(callId);
      if (!read) throw callNotFound();
      const now = new Date().toISOString();
      const dead = knownDead ? new Set([...read.dead, ...knownDead]) : read.dead;
      const pruned = dropProcesses(read.state, dead, now);
      if (pruned?.ended) {
        await this.#write(read.state.version, pruned);
        throw callNotFound();
      }
      const base = pruned?.state ?? read.state;
      const step = change(base, now) ?? pruned;
      if (!step) return base;
      if (await this.#write(read.state.version, step)) return step.state;
    }
    throw builtInError('INTERNAL', 'The call changed too often to apply this. Try again.');
  }

  // Writes a step; the process whose write wins announces it.
  async #write(expectedVersion: number, step: CallStep): Promise<boolean> {
    if (!(await this.#store.replace(expectedVersion, step.state))) return false;
    const { state } = step;
    for (const [socketId, local] of this.#local) {
      if (local.callId === state.id && (step.ended || !state.participants.some((p) => p.socketId === socketId))) {
        this.#local.delete(socketId);
      }
    }
    this.#emit(state);
    if (step.ended) {
      clearTimeout(this.#ringTimers.get(state.id));
      this.#ringTimers.delete(state.id);
      await postCallLine(this.context(), state, endedLine(state));
    }
    return true;
  }

  // The call's state to the room's sockets and to every socket of the users it rang or holds
  // (a rung user's tabs need not have joined the room; all of them stop ringing together).
  #emit(state: CallState): void {
    const targets = new Set([state.roomId]);
    for (const id of state.invited) targets.add(userRoom(id));
    for (const p of state.participants) targets.add(userRoom(p.user.id));
    this.context()
      .nsp.to([...targets])
      .emit('call', publicCall(state));
  }

  #armRing(state: CallState, ms: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#ringTimers.delete(state.id);
      this.#track(this.#change(state.id, ringOut), 'call');
    }, ms);
    timer.unref?.();
    this.#ringTimers.set(state.id, timer);
  }

  #hangUp(local: LocalParticipant, socketId: string): void {
    this.#track(
      this.#change(local.callId, (s, now) => leave(s, local.userId, now, socketId)),
      'call',
    );
  }

  // Work no request waits for: a call that ended meanwhile is no failure; close() waits for it.
  #track(work: Promise<unknown>, event: string): void {
    const ctx = this.context();
    const tracked = work.catch((error: unknown) => {
      if (error instanceof ChatError && error.code === 'CALL_NOT_FOUND') return;
      ctx.report(toChatError(error), { event });
    });
    ctx.inflight.add(tracked);
    void tracked.then(() => ctx.inflight.delete(tracked));
  }
}

function callNotFound(): ChatError {
  return builtInError('CALL_NOT_FOUND', 'This call is over (or never existed).');
}
