import {
  ChatError,
  ClientEvent,
  parsePayload,
  toChatError,
  type AckResponse,
  type ChatUser,
  type ClientToServerEvents,
  type EmptyResult,
  type MessageHistoryResult,
  type MessageSendResult,
  type RoomJoinResult,
  type ServerToClientEvents,
} from '@chat/protocol';
import type { Socket } from 'socket.io';
import type { ChatHandshake } from '../auth/handshake.js';
import { TokenBucket } from '../limits/token-bucket.js';
import { postMessage } from '../messages/post-message.js';
import { ChatAction } from '../options.js';
import { authorizeOrThrow, openRoom } from '../rooms/open-room.js';
import type { ServerContext } from '../server-context.js';

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Handler = (payload: unknown) => Promise<unknown>;

const KNOWN_EVENTS = new Set<string>(Object.values(ClientEvent));

/** One connected socket: its user, its rooms, and the handlers of every client event. */
export class SocketSession {
  readonly #rooms = new Set<string>();
  /** Rooms with a join under way (counted against the limit, not yet joined). */
  readonly #joining = new Set<string>();
  readonly #events: TokenBucket;
  readonly #handshake: ChatHandshake;

  constructor(
    private readonly ctx: ServerContext,
    private readonly socket: ChatSocket,
    private readonly user: ChatUser,
  ) {
    this.#events = new TokenBucket(ctx.limits.eventBurst, ctx.limits.eventsPerSecond);
    const { auth, headers, address } = socket.handshake;
    this.#handshake = { auth: auth as Record<string, unknown>, headers, address };

    this.#on(ClientEvent.ROOM_JOIN, (p) => this.#join(p));
    this.#on(ClientEvent.ROOM_LEAVE, (p) => this.#leave(p));
    this.#on(ClientEvent.MESSAGE_SEND, (p) => this.#send(p));
    this.#on(ClientEvent.MESSAGE_HISTORY, (p) => this.#history(p));
    this.#on(ClientEvent.TYPING, (p) => this.#typing(p));
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
      const name = String(event);
      this.#answer(name, lastFunction(args), errorResponse(new ChatError('VALIDATION_FAILED', `Unknown event "${name}".`)));
    });
    socket.on('disconnect', () => this.#disconnected());
  }

  // Every event: ack required, rate limit, schema (inside the handler), an answer within the timeout.
  #on(event: string, handler: Handler): void {
    (this.socket as unknown as { on(e: string, l: (...args: unknown[]) => void): void }).on(event, (...args) => {
      const ack = lastFunction(args);
      if (!ack) {
        this.#answer(
          event,
          undefined,
          errorResponse(new ChatError('VALIDATION_FAILED', `"${event}" must be sent with an acknowledgement callback.`)),
        );
        return;
      }
      const wait = event === ClientEvent.MESSAGE_SEND ? 0 : this.#events.take();
      if (wait > 0) {
        ack(errorResponse(new ChatError('RATE_LIMITED', 'You are doing that too often. Please slow down.', { retryAfter: wait })));
        return;
      }
      let answered = false;
      const timer = setTimeout(() => {
        answered = true;
        this.ctx.report(new ChatError('INTERNAL', `"${event}" was not answered within ${this.ctx.requestTimeoutMs} ms.`), {
          event,
          socketId: this.socket.id,
        });
        ack(errorResponse(new ChatError('INTERNAL', 'The server took too long to answer. Please try again.')));
      }, this.ctx.requestTimeoutMs);
      handler(args[0])
        .then(
          (data) => ({ ok: true as const, data }),
          (error: unknown) => {
            const chatError = toChatError(error);
            if (chatError.code === 'INTERNAL') this.ctx.report(chatError, { event, socketId: this.socket.id });
            return errorResponse(chatError);
          },
        )
        .then((response) => {
          clearTimeout(timer);
          if (!answered) ack(response);
        });
    });
  }

  #answer(event: string, ack: ((response: unknown) => void) | undefined, response: AckResponse<never>): void {
    if (ack) ack(response);
    else if (!response.ok) this.socket.emit('chat:error', { event, error: response.error });
  }

  async #join(payload: unknown): Promise<RoomJoinResult> {
    const { roomId, since } = parsePayload(this.ctx.schemas['room:join'], payload);
    if (this.#rooms.has(roomId) || this.#joining.has(roomId)) throw new ChatError('ALREADY_IN_ROOM', 'You are already in this room.');
    if (this.#rooms.size + this.#joining.size >= this.ctx.limits.maxRoomsPerSocket) {
      throw new ChatError('FORBIDDEN', `You can be in at most ${this.ctx.limits.maxRoomsPerSocket} rooms at once. Leave one first.`);
    }
    this.#joining.add(roomId);
    try {
      const { room } = await openRoom(this.ctx, ChatAction.ROOM_JOIN, roomId, this.user, this.#handshake, this.ctx.createRoomsOnJoin);
      const { member, joined } = await this.ctx.presence.add(roomId, this.socket.id, this.user);
      if (!this.socket.connected) {
        // Gone while we waited: undo, or the user would stay as a ghost.
        await this.ctx.presence.remove(roomId, this.socket.id, this.user.id);
        throw new ChatError('NOT_IN_ROOM', 'The connection closed while joining.');
      }
      this.#rooms.add(roomId);
      if (joined) {
        this.ctx.presenceDeltas.changed(roomId, this.user.id);
        this.ctx.events.emit('join', { roomId, member });
      }
      try {
        // Join the broadcast first, read history second: a message stored in between arrives
        // live and in the page (the client dedupes by id), never in neither.
        await this.socket.join(roomId);
        const limit = this.ctx.limits.defaultHistoryPage;
        const query = since === undefined ? { limit } : { after: since, limit: this.ctx.limits.maxHistoryPage };
        const [page, members] = await Promise.all([this.ctx.store.listMessages(roomId, query), this.ctx.presence.members(roomId)]);
        if (!this.#rooms.has(roomId)) throw new ChatError('NOT_IN_ROOM', 'You left the room while joining it.');
        return { room, self: member, members, messages: page.messages, hasMore: page.hasMore };
      } catch (error) {
        if (this.#rooms.has(roomId)) this.#removeFrom(roomId);
        throw error;
      }
    } finally {
      this.#joining.delete(roomId);
    }
  }

  async #leave(payload: unknown): Promise<EmptyResult> {
    const { roomId } = parsePayload(this.ctx.schemas['room:leave'], payload);
    await this.#requireRoom(roomId);
    this.#removeFrom(roomId);
    return {};
  }

  async #send(payload: unknown): Promise<MessageSendResult> {
    const { roomId, clientId, text, attachments, replyTo } = parsePayload(this.ctx.schemas['message:send'], payload);
    await this.#requireRoom(roomId);
    const wait = this.ctx.messageBucket(this.user.id).take();
    if (wait > 0) {
      throw new ChatError('RATE_LIMITED', `You are sending messages too fast. Try again in ${Math.ceil(wait / 1000)} s.`, {
        retryAfter: wait,
      });
    }
    const { chatContext } = await openRoom(this.ctx, ChatAction.MESSAGE_SEND, roomId, this.user, this.#handshake, false);
    const input = { text, attachments: attachments ?? [], ...(replyTo !== undefined && { replyTo }) };
    return { message: await postMessage(this.ctx, chatContext, clientId, input, this.socket.id) };
  }

  async #history(payload: unknown): Promise<MessageHistoryResult> {
    const { roomId, before, after, limit } = parsePayload(this.ctx.schemas['message:history'], payload);
    await this.#requireRoom(roomId);
    await authorizeOrThrow(this.ctx, ChatAction.MESSAGE_HISTORY, { user: this.user, roomId, handshake: this.#handshake });
    const query = {
      limit: limit ?? this.ctx.limits.defaultHistoryPage,
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
    };
    return this.ctx.store.listMessages(roomId, query);
  }

  async #typing(payload: unknown): Promise<EmptyResult> {
    const { roomId, typing } = parsePayload(this.ctx.schemas.typing, payload);
    await this.#requireRoom(roomId);
    if (typing) await authorizeOrThrow(this.ctx, ChatAction.TYPING, { user: this.user, roomId, handshake: this.#handshake });
    this.ctx.typing.set(roomId, this.user, typing);
    return {};
  }

  async #requireRoom(roomId: string): Promise<void> {
    if (this.#rooms.has(roomId)) return;
    // Only on the error path: tell "the room ended under you" apart from "you never joined".
    const room = await this.ctx.store.getRoom(roomId);
    if (room?.endedAt) throw new ChatError('ROOM_ENDED', 'This room has ended.');
    throw new ChatError('NOT_IN_ROOM', 'Join this room first.');
  }

  /** The room was ended: the socket leaves it (members already got `room:ended`). */
  roomEnded(roomId: string): void {
    if (this.#rooms.has(roomId)) this.#removeFrom(roomId);
  }

  #removeFrom(roomId: string): void {
    this.#rooms.delete(roomId);
    void this.socket.leave(roomId);
    const removal = this.ctx.presence.remove(roomId, this.socket.id, this.user.id).then(
      (left) => {
        if (!left) return;
        this.ctx.presenceDeltas.changed(roomId, this.user.id);
        this.ctx.typing.clear(roomId, this.user.id);
        this.ctx.events.emit('leave', { roomId, user: { id: left.id, name: left.name } });
      },
      (error: unknown) => this.ctx.report(toChatError(error), { event: 'room:leave', socketId: this.socket.id }),
    );
    this.ctx.inflight.add(removal);
    void removal.then(() => this.ctx.inflight.delete(removal));
  }

  #disconnected(): void {
    for (const roomId of [...this.#rooms]) this.#removeFrom(roomId);
  }
}

function lastFunction(args: unknown[]): ((response: unknown) => void) | undefined {
  const last = args.at(-1);
  return typeof last === 'function' ? (last as (response: unknown) => void) : undefined;
}

function errorResponse(error: ChatError): { ok: false; error: ReturnType<ChatError['toJSON']> } {
  return { ok: false, error: error.toJSON() };
}
