import {
  builtInError,
  ChatError,
  ClientEvent,
  parsePayload,
  toChatError,
  type AckResponse,
  type AuthRefreshResult,
  type ChatUser,
  type ClientToServerEvents,
  type EmptyResult,
  type MessageHistoryResult,
  type Room,
  type RoomJoinResult,
  type RoomRemovedEvent,
  type ServerToClientEvents,
} from '@chat/protocol';
import type { Socket } from 'socket.io';
import type { ChatHandshake } from '../../core/handshake.js';
import { messagesCost, type UserBudget } from '../../limits/user-budget.js';
import { ChatAction, type ChatContext } from '../../core/policy.js';
import { authorizeOrThrow, openRoom } from '../rooms/open-room.js';
import type { ServerContext } from '../context.js';
import type { SessionCaller } from '../../core/capability.js';
import { SessionExpiry } from './session-expiry.js';
import { admit, errorResponse, lastFunction, refused } from './request-admission.js';
import { joinAnswer } from './join-answer.js';
import { historyPage } from './history-page.js';
import { threadParent } from '../../core/thread-parent.js';
import { writeBacklogBytes } from './write-backlog.js';
import { receivesBatches } from './client-features.js';
import { fanoutRoom } from '../../cluster/room-fanout.js';
import { joinAsMember, leaveAsMember, roomEnded } from '../rooms/membership.js';
import { userRoom } from '../../core/ids.js';
import { roomMembers } from '../presence/member-pages.js';
import { chatErrorOf, isReported } from '../../core/storage-unreachable.js';

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Handler = (payload: unknown) => Promise<unknown>;
/** A handler of the session's own, shared by every socket. */
type OwnHandler = (session: SocketSession, payload: unknown) => Promise<unknown>;

/** The events of the conversation, moderation and call handlers, per server (their handlers are made per socket on first use). */
const extraEvents = new WeakMap<ServerContext, ReadonlySet<string>>();

/** One connected socket: its user, its rooms, and the handlers of every client event. */
export class SocketSession implements SessionCaller {
  /**
   * The session's own events, one table for every socket: a listener and a closure per event per
   * socket cost about 4 KB of heap per member (issue 15: a room of 10,000), more than the member.
   * Any event neither here nor in the extra handlers is answered `VALIDATION_FAILED`.
   */
  static readonly #own: ReadonlyMap<string, OwnHandler> = new Map<string, OwnHandler>([
    [ClientEvent.ROOM_JOIN, (s, p) => s.#join(p)],
    [ClientEvent.ROOM_LEAVE, (s, p) => s.#leave(p)],
    [ClientEvent.MESSAGE_HISTORY, (s, p) => s.#history(p)],
    [ClientEvent.AUTH_REFRESH, (s, p) => s.#refresh(p)],
    [ClientEvent.ROOM_MEMBERS, (s, p) => roomMembers(s.ctx, s.#rooms, p)],
  ]);
  /** The events the session handles itself: no capability or plugin may handle them. */
  static readonly events: readonly string[] = [...SocketSession.#own.keys()];
  readonly #rooms = new Set<string>();
  /** Conversation, moderation and call handlers, made on this socket's first such event. */
  #extra: Record<string, Handler> | undefined;
  /** Joins under way (counted against the limit, not yet joined), by room. */
  // Joins under way, made with the first one and dropped with the last (an empty Map is ~180 bytes a socket).
  #joining: Map<string, Promise<RoomJoinResult>> | undefined;
  readonly #handshake: ChatHandshake;
  readonly #expiry: SessionExpiry;
  /** Asked in the handshake for `messages` batches (`auth.features`). */
  readonly #batches: boolean;
  #user: ChatUser;

  constructor(
    private readonly ctx: ServerContext,
    private readonly socket: ChatSocket,
    user: ChatUser,
  ) {
    this.#user = user;
    const { auth, headers, address } = socket.handshake;
    this.#handshake = { auth, headers, address };
    this.#batches = receivesBatches(this.#handshake.auth);
    this.#expiry = new SessionExpiry(socket);
    this.#expiry.arm(user.expiresAt);

    // What is sent to the user rather than to a room (room:activity) reaches every socket of theirs.
    void socket.join(userRoom(user.id));
    // One listener for every event (not one per event): see #own.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      const handler = typeof event === 'string' ? this.#handler(event) : undefined;
      if (handler) return this.#run(event as string, handler, args);
      const name = String(event).slice(0, 100);
      if (refused(this.ctx, this.#user.id, lastFunction(args))) return;
      this.#answer(name, lastFunction(args), errorResponse(builtInError('VALIDATION_FAILED', `Unknown event "${name}".`)));
    });
    socket.on('disconnect', () => this.#disconnected());
  }

  /** The rooms this socket has joined. */
  get rooms(): ReadonlySet<string> {
    return this.#rooms;
  }

  /** Who the socket is now (a refreshed token may have changed roles or expiry). */
  get user(): ChatUser {
    return this.#user;
  }

  /** What the socket sent in its handshake (`auth` carries a refreshed token). */
  get handshake(): ChatHandshake {
    return this.#handshake;
  }

  get socketId(): string {
    return this.socket.id;
  }

  connected(): boolean {
    return this.socket.connected;
  }

  #handler(event: string): Handler | undefined {
    const own = SocketSession.#own.get(event) ?? this.ctx.handlers.get(event);
    if (own) return (payload) => own(this, payload);
    if (!this.#extraEvents().has(event)) return undefined;
    this.#extra ??= this.#makeExtra();
    return this.#extra[event];
  }

  #extraEvents(): ReadonlySet<string> {
    let events = extraEvents.get(this.ctx);
    if (!events) {
      const none = (): never => {
        throw new Error('not called');
      };
      events = new Set(this.ctx.socketHandlers.flatMap((handlers) => Object.keys(handlers(none))));
      extraEvents.set(this.ctx, events);
    }
    return events;
  }

  #makeExtra(): Record<string, Handler> {
    const caller = (): SessionCaller => this;
    return Object.assign({}, ...this.ctx.socketHandlers.map((handlers) => handlers(caller))) as Record<string, Handler>;
  }

  // Every event: ack required, signed in, the user's budget (rate, work in flight), schema
  // (inside the handler), an answer within the timeout.
  #run(event: string, handler: Handler, args: unknown[]): void {
    const ack = lastFunction(args);
    if (!ack) {
      if (refused(this.ctx, this.#user.id, undefined)) return;
      this.#answer(
        event,
        undefined,
        errorResponse(builtInError('VALIDATION_FAILED', `"${event}" must be sent with an acknowledgement callback.`)),
      );
      return;
    }
    // A refresh is the way out of an expiring session, so it is the one request allowed then.
    if (event !== ClientEvent.AUTH_REFRESH && this.#expiry.signedOut()) return;
    let done: () => void;
    try {
      done = admit(this.ctx, this.#user.id, this.#rooms, event, args[0]);
    } catch (error) {
      ack(errorResponse(toChatError(error)));
      return;
    }
    let answered = false;
    const answeredInTime = this.ctx.deadlines.arm(() => {
      answered = true;
      this.ctx.report(builtInError('INTERNAL', `"${event}" was not answered within ${this.ctx.requestTimeoutMs} ms.`), {
        event,
        socketId: this.socket.id,
      });
      // The work goes on and may still succeed: say so, and that a resend with the same
      // clientId is safe (it is stored once), rather than that it failed.
      ack(
        errorResponse(builtInError('TIMEOUT', 'The server took too long to answer; this may still go through. Sending it again is safe.')),
      );
      // Work that never ends (a hung hook or store) must not hold the user's slot for ever:
      // it counts as in flight for two more timeouts, then the slot is free again.
      setTimeout(done, 2 * this.ctx.requestTimeoutMs).unref?.();
    });
    handler(args[0])
      .then(
        (data) => ({ ok: true as const, data }),
        (error: unknown) => {
          const chatError = chatErrorOf(error);
          if (isReported(chatError)) this.ctx.report(chatError, { event, socketId: this.socket.id });
          return errorResponse(chatError);
        },
      )
      .then((response) => {
        done();
        answeredInTime();
        if (!answered) ack(response);
      })
      // Only answering can fail here: reported as INTERNAL, not an unhandled rejection that ends the process.
      .catch((error: unknown) => this.ctx.report(toChatError(error), { event, socketId: this.socket.id }));
  }

  #answer(event: string, ack: ((response: unknown) => void) | undefined, response: AckResponse<never>): void {
    if (ack) ack(response);
    else if (!response.ok) this.socket.emit('chat:error', { event, error: response.error });
  }

  // A join is idempotent: a client whose first try timed out (TIMEOUT: the outcome is unknown)
  // asks again and gets the answer of the join still under way, or of the join that finished.
  async #join(payload: unknown): Promise<RoomJoinResult> {
    const { roomId, since, epoch } = parsePayload(this.ctx.schemas['room:join'], payload);
    const underWay = this.#joining?.get(roomId);
    if (underWay) return underWay;
    if (this.#rooms.has(roomId)) return this.#joinedAgain(roomId, since, epoch);
    if (this.#rooms.size + (this.#joining?.size ?? 0) >= this.ctx.limits.maxRoomsPerSocket) {
      throw builtInError('FORBIDDEN', `You can be in at most ${this.ctx.limits.maxRoomsPerSocket} rooms at once. Leave one first.`);
    }
    const budget = this.#readBudget();
    const joining = this.#joinNew(roomId, since, epoch, budget);
    const underWayNow = (this.#joining ??= new Map());
    underWayNow.set(roomId, joining);
    try {
      return await joining;
    } finally {
      underWayNow.delete(roomId);
      if (underWayNow.size === 0 && this.#joining === underWayNow) this.#joining = undefined;
    }
  }

  async #joinNew(roomId: string, since: number | undefined, epoch: string | undefined, budget: UserBudget): Promise<RoomJoinResult> {
    const user = this.#user;
    const { room } = await openRoom(this.ctx, ChatAction.ROOM_JOIN, roomId, user, this.#handshake, this.ctx.createRoomsOnJoin);
    // Nobody may look like the server's own messages or one of its bots.
    this.ctx.reservedNames.check(user);
    // A banned user is refused (BANNED with until), whichever process or name they come back with.
    await this.ctx.bans.join(room, user);
    // Every join of a stored room makes the user a stored member: the room is one of their conversations.
    await joinAsMember(this.ctx, room, user);
    const { member, joined } = await this.ctx.presence.add(roomId, this.socket.id, this.#user);
    if (member.bot === true) {
      // The user id is a bot's (chat.bot()) in this room: a connection must not become it.
      await this.ctx.presence.remove(roomId, this.socket.id, this.#user.id);
      throw builtInError('FORBIDDEN', 'Your user id is the id of a bot in this room, so you cannot join it.');
    }
    if (!this.socket.connected) {
      // Gone while we waited: undo, or the user would stay as a ghost.
      await this.ctx.presence.remove(roomId, this.socket.id, this.#user.id);
      throw builtInError('NOT_IN_ROOM', 'The connection closed while joining.');
    }
    this.#rooms.add(roomId);
    if (joined) {
      this.ctx.presenceDeltas.changed(roomId, this.#user.id);
      this.ctx.bus.emit('presence:joined', roomId, this.#user.id);
      this.ctx.events.emit('join', { roomId, member });
    }
    try {
      // Join the broadcast first, read history second: a message stored in between arrives
      // live and in the page (the client dedupes by id), never in neither.
      await this.socket.join([roomId, fanoutRoom(roomId, this.#batches)]);
      const current = await this.#recheck(roomId, room, user);
      return await joinAnswer(this.ctx, this.#rooms, this.#user, current, member, since, epoch, budget);
    } catch (error) {
      if (this.#rooms.has(roomId)) this.#removeFrom(roomId);
      throw error;
    }
  }

  // The answer to a join of a room this socket is in already (its first answer was lost).
  async #joinedAgain(roomId: string, since: number | undefined, epoch: string | undefined): Promise<RoomJoinResult> {
    const budget = this.#readBudget();
    const [room, found] = await Promise.all([this.ctx.rooms.get(roomId), this.ctx.presence.lookup(roomId, [this.#user.id])]);
    const member = found.get(this.#user.id);
    if (!room || !member || !this.#rooms.has(roomId)) throw builtInError('NOT_IN_ROOM', 'You left the room while joining it.');
    return joinAnswer(this.ctx, this.#rooms, this.#user, room, member, since, epoch, budget);
  }

  // A change to the room while the join was being authorized (made private, ended) found no
  // socket of ours to check. The socket is in the room's broadcast now, so a later change will
  // find it; read the room once more to see an earlier one, and ask again if it changed.
  async #recheck(roomId: string, seen: Room, seenAs: ChatUser): Promise<Room> {
    const room = await this.ctx.store.getRoom(roomId);
    if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
    if (room.endedAt) throw roomEnded();
    // Asked again when the room changed, or when the user did (a token refreshed meanwhile may
    // have dropped the role that let them in).
    if (this.#user !== seenAs || JSON.stringify(room) !== JSON.stringify(seen)) {
      await authorizeOrThrow(this.ctx, ChatAction.ROOM_JOIN, { user: this.#user, roomId, room, handshake: this.#handshake });
    }
    return room;
  }

  async #leave(payload: unknown): Promise<EmptyResult> {
    const { roomId } = parsePayload(this.ctx.schemas['room:leave'], payload);
    // Out at once, before any await: a second leave in the same read is not "in the room" (free).
    if (this.#rooms.has(roomId)) {
      this.#removeFrom(roomId);
      return {};
    }
    await this.requireRoom(roomId);
    return {};
  }

  async #history(payload: unknown): Promise<MessageHistoryResult> {
    const request = parsePayload(this.ctx.schemas['message:history'], payload);
    const { roomId } = request;
    await this.requireRoom(roomId);
    const budget = this.#readBudget();
    const { room, threadOf } = await this.#authorize(ChatAction.MESSAGE_HISTORY, roomId, request.threadOf);
    // A reply's id pages that reply's thread.
    const page = await historyPage(this.ctx, room, { ...request, ...(threadOf !== undefined && { threadOf }) });
    budget.readBytes.charge(messagesCost(page.messages));
    return page;
  }

  // A fresh token on a live connection: the same user, new expiry (and roles).
  async #refresh(payload: unknown): Promise<AuthRefreshResult> {
    const { token } = parsePayload(this.ctx.schemas['auth:refresh'], payload);
    const user = await this.ctx.authenticate({ ...this.#handshake, auth: { ...this.#handshake.auth, token } });
    if (user.id !== this.#user.id) {
      throw builtInError('UNAUTHENTICATED', 'This token is for another user. Sign in again to change users.');
    }
    // The name stays: members and messages already show it (a new name needs a new connection).
    this.#user = { ...user, name: this.#user.name };
    this.#handshake.auth = { ...this.#handshake.auth, token };
    this.#expiry.arm(user.expiresAt);
    // New roles may close rooms the old ones opened: ask again for each room, as when a room
    // changes, and leave those now refused (`room:removed`) before answering.
    await Promise.all(
      [...this.#rooms].map(async (roomId) => {
        const room = await this.ctx.rooms.get(roomId);
        if (room) await this.roomChanged(room);
      }),
    );
    return user.expiresAt === undefined ? {} : { expiresAt: user.expiresAt };
  }

  // Before work that sends history: the user's byte budget, and this connection's backlog (a
  // client that does not read what it asked for gets no more until it has).
  #readBudget(): UserBudget {
    const budget = this.ctx.budget(this.#user.id);
    budget.checkRead();
    if (writeBacklogBytes(this.socket.conn) > this.ctx.limits.readBytesBurst) {
      throw builtInError('RATE_LIMITED', 'Your connection has not taken what it was sent yet. Try again in a moment.', {
        retryAfter: 1000,
      });
    }
    return budget;
  }

  /**
   * The room as it is now, once `authorize` allows `action` there. Every check is against the
   * room as it is now (a room made private later must stop serving members the new options refuse).
   */
  async authorizeIn(action: ChatAction, roomId: string): Promise<Room> {
    return (await this.#authorize(action, roomId)).room;
  }

  /** `authorizeIn`, with the thread asked about (resolved to its top-level message) for `authorize` to see. */
  async #authorize(action: ChatAction, roomId: string, asked?: string): Promise<{ room: Room; threadOf?: string }> {
    const room = await this.ctx.rooms.get(roomId);
    if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
    const threadOf = asked === undefined ? undefined : await threadParent(this.ctx.store, room, asked);
    const chatContext: ChatContext = { user: this.#user, roomId, room, handshake: this.#handshake };
    if (threadOf !== undefined) chatContext.threadOf = threadOf;
    await authorizeOrThrow(this.ctx, action, chatContext);
    return threadOf === undefined ? { room } : { room, threadOf };
  }

  /** `NOT_IN_ROOM` unless the socket has joined the room (`ROOM_ENDED` for one that ended under it). */
  async requireRoom(roomId: string): Promise<void> {
    if (this.#rooms.has(roomId)) return;
    // Only on the error path: tell "the room ended under you" apart from "you never joined".
    const room = await this.ctx.rooms.get(roomId);
    if (room?.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended.');
    throw builtInError('NOT_IN_ROOM', 'Join this room first.');
  }

  /** As `requireRoom`, after a join of the room under way on this socket (a re-join sent just before, after a reconnect). */
  async requireJoined(roomId: string): Promise<void> {
    const joining = this.#joining?.get(roomId);
    if (joining) await joining.catch(() => undefined);
    await this.requireRoom(roomId);
  }

  /** The room was ended: the socket leaves it (members already got `room:ended`). */
  roomEnded(roomId: string): void {
    if (this.#rooms.has(roomId)) this.#removeFrom(roomId);
  }

  /**
   * The room's options changed: asks `authorize` again whether this user may stay, and takes
   * the socket out (`room:removed`) if not.
   */
  async roomChanged(room: Room): Promise<void> {
    if (!this.#rooms.has(room.id)) return;
    let allowed = true;
    try {
      await authorizeOrThrow(this.ctx, ChatAction.ROOM_JOIN, { user: this.#user, roomId: room.id, room, handshake: this.#handshake });
    } catch (error) {
      if (!(error instanceof ChatError)) this.ctx.report(toChatError(error), { event: 'room:changed', socketId: this.socket.id });
      allowed = false;
    }
    if (allowed || !this.#rooms.has(room.id)) return;
    this.#removeFrom(room.id);
    this.socket.emit('room:removed', { roomId: room.id, reason: 'forbidden' });
    // Refused means removed: no more activity, conversations row or notify for this room.
    await leaveAsMember(this.ctx, room, this.#user.id).catch((error: unknown) =>
      this.ctx.report(toChatError(error), { event: 'room:changed', socketId: this.socket.id }),
    );
  }

  /** The host removed the user from the room's stored members, or a moderator kicked or banned them (`event`): the socket leaves it now. */
  removedFrom(roomId: string, event: Omit<RoomRemovedEvent, 'roomId'> = { reason: 'removed' }): void {
    if (!this.#rooms.has(roomId)) return;
    this.#removeFrom(roomId);
    this.socket.emit('room:removed', { roomId, ...event });
  }

  #removeFrom(roomId: string): void {
    this.#rooms.delete(roomId);
    this.ctx.bus.emit('socket:left', this.socket.id, roomId);
    void this.socket.leave(roomId);
    void this.socket.leave(fanoutRoom(roomId, this.#batches));
    const userId = this.#user.id;
    // Nothing here may reject: no one awaits it, and an unhandled rejection ends the process.
    const removal = this.ctx.presence
      .remove(roomId, this.socket.id, userId)
      .then((left) => {
        if (!left) return;
        this.ctx.presenceDeltas.changed(roomId, userId);
        this.ctx.bus.emit('presence:left', roomId, userId);
        this.ctx.events.emit('leave', { roomId, user: { id: left.id, name: left.name } });
      })
      .catch((error: unknown) => this.ctx.report(toChatError(error), { event: 'room:leave', socketId: this.socket.id }));
    this.ctx.inflight.add(removal);
    void removal.then(() => this.ctx.inflight.delete(removal));
  }

  #disconnected(): void {
    this.#expiry.disarm();
    for (const roomId of [...this.#rooms]) this.#removeFrom(roomId);
    this.ctx.bus.emit('socket:gone', this.socket.id);
  }
}
