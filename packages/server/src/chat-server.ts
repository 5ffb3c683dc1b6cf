import type { Server as HttpServer } from 'node:http';
import { builtInError, parsePayload } from '@chat/protocol';
import type { AuditEntry, ChatLimits, MemberRole, Message, Room } from '@chat/protocol';
import type { E2eeDeviceRemoveResult, RoomSummary, UserPresence, UserRef } from '@chat/protocol';
import { endRoom, updateRoom } from './facade/host-rooms.js';
import { routesOf } from './facade/capabilities.js';
import { composeServer, type ServerParts } from './facade/compose.js';
import { shutdown } from './facade/shutdown.js';
import { HostEvents } from './facade/host-events.js';
import { deleteMessage, editMessage, sendMessage, type ServerMessageInput } from './facade/host-messages.js';
import { addMembers, conversations, openDirectRoom, presenceOf, removeDevice, removeMembers } from './facade/host-people.js';

export type { ServerMessageInput } from './facade/host-messages.js';
import type { ChatHandshake } from './core/handshake.js';
import type { ChatIO, ChatServerOptions } from './options.js';
import { createRoom, type CreateRoomOptions } from './kernel/rooms/create-room.js';
import type { ChatStore, CreateRoomInput, RoomPatch, RoomQuery } from './core/chat-store.js';
import type { AuditPage, ReportPage } from './core/moderation-records.js';
import { createRestHandler, type RestHandler, type RestHandlerOptions } from './kernel/http/rest-handler.js';
import { createServiceWorkerHandler, createWidgetHandler } from './kernel/http/widget-files.js';
import type { ServiceWorkerHandlerOptions, WidgetHandlerOptions } from './kernel/http/widget-files.js';
import { ChatBot, type BotOptions } from './capabilities/bots/index.js';
import type { CommandOptions } from './capabilities/bots/index.js';
import { SERVER_ACTOR } from './capabilities/moderation/index.js';
import { ModerationVerb, type ModerationOptions } from './capabilities/moderation/index.js';
import type { LogPageOptions } from './capabilities/moderation/index.js';
import { eraseUser, exportUserChunks } from './capabilities/user-data/index.js';

/**
 * Chat on Socket.IO, added to an existing HTTP server. Create it with {@link createChatServer}.
 */
export class ChatServer extends HostEvents {
  /** The Socket.IO server (the one passed as `io`, or the one created). */
  readonly io: ChatIO;
  /** The store rooms and messages live in: for one without some built-in parts, a view whose missing parts' methods refuse, naming the part. */
  readonly store: ChatStore;
  /** The limits in force (defaults merged with `options.limits`). */
  readonly limits: Readonly<ChatLimits>;

  readonly #parts: ServerParts;
  #closed = false;

  constructor(httpServer: HttpServer | undefined, options: ChatServerOptions = {}) {
    super();
    this.#parts = composeServer(this, httpServer, options, () => this.#closed);
    this.io = this.#parts.io;
    this.store = this.#parts.store;
    this.limits = this.#parts.limits;
  }

  /**
   * Resolves when the store is ready (its `init()` done), `web-push` is loaded (with `push`) and the
   * plugins' `start` ran; rejects if one of them failed.
   */
  ready(): Promise<void> {
    return this.#parts.ready;
  }

  /**
   * Sends a message as `input.user` from the server (a bot, a system notice); the room is
   * created if missing and `createRoomsOnJoin` allows it. Resolves with the stored message.
   * @example await chat.sendMessage('lobby', { user: { id: 'bot', name: 'Bot' }, text: 'Welcome!' })
   */
  sendMessage(roomId: string, input: ServerMessageInput): Promise<Message> {
    return sendMessage(this.#parts.ready, this.#parts.ctx, roomId, input);
  }

  /**
   * Changes a message's text as the host (moderation, a bot's own message): no author check, no
   * `authorize`, no `beforeMessage`; the limits apply. `options.mentions` replace the old ones
   * (only users present in the room are kept). Members get `message:updated`.
   * @example await chat.editMessage('lobby', message.id, 'Meeting moved to 3 pm')
   */
  editMessage(roomId: string, messageId: string, text: string, options: { mentions?: string[] } = {}): Promise<Message> {
    return editMessage(this.#parts.ready, this.#parts.ctx, roomId, messageId, text, options);
  }

  /**
   * Deletes a message as the host: its text and attachments are gone from the store, a
   * placeholder (id, seq, `deletedAt`) stays. No author check, no `authorize`. Deleting a
   * deleted message returns it unchanged. The audit log names `options.by` (default: the server).
   */
  deleteMessage(roomId: string, messageId: string, options: { by?: UserRef } = {}): Promise<Message> {
    return deleteMessage(this.#parts.ready, this.#parts.ctx, roomId, messageId, options);
  }

  /**
   * Creates a room. A taken id is `ROOM_EXISTS` (someone may have joined it first), unless
   * `{ ifExists: 'return' }` asks for the existing room.
   * @example await chat.createRoom({ id: 'cita-42', title: 'Dr. Ruiz', options: { private: true }, createdBy: 'dr-ruiz' })
   */
  async createRoom(input: CreateRoomInput = {}, options: CreateRoomOptions = {}): Promise<Room> {
    await this.#parts.ready;
    return createRoom(this.#parts.ctx, input, options);
  }

  /** The room with this id, or null. */
  async getRoom(id: string): Promise<Room | null> {
    await this.#parts.ready;
    return this.store.getRoom(parsePayload(this.#parts.ctx.schemas.roomId, id));
  }

  /** Rooms, newest first; active ones unless `includeEnded`. */
  async listRooms(query: RoomQuery = {}): Promise<Room[]> {
    await this.#parts.ready;
    return this.store.listRooms(query);
  }

  /** Changes a room's title, metadata or options; `ROOM_NOT_FOUND` if there is none. */
  updateRoom(id: string, patch: Omit<RoomPatch, 'endedAt'>): Promise<Room> {
    return this.#updateRoom(id, patch, SERVER_ACTOR);
  }

  // `actor`: who the audit log names when freeze or slow mode change (a moderator's `moderation:room`).
  #updateRoom(id: string, patch: Omit<RoomPatch, 'endedAt'>, actor: UserRef): Promise<Room> {
    return updateRoom(this.#parts.ready, this.#parts.ctx, this.#parts.signals, id, patch, actor);
  }

  /**
   * Ends a room: members get `room:ended` and are taken out of it; later joins and sends get
   * `ROOM_ENDED`. History stays readable. Ending an ended room returns it unchanged.
   */
  endRoom(id: string): Promise<Room> {
    return endRoom(this.#parts.ready, this.#parts.ctx, this.#parts.signals, id, (room) => this.emit('room:ended', room));
  }

  /**
   * The one direct room of exactly these users (the same room every time; private to them),
   * created the first time. Give ids of users the server has seen, or `{ id, name }` for users
   * it has not seen yet; at most `limits.maxDirectMembers`. `{ encrypted: true }`: their end-to-end
   * encrypted direct room (`dm:e:...`), a room apart from the plain one.
   * @example const room = await chat.openDirectRoom(['dr-ruiz', { id: 'p-7731', name: 'Ana' }], { encrypted: true })
   */
  openDirectRoom(users: Array<string | UserRef>, options: { encrypted?: boolean } = {}): Promise<Room> {
    return openDirectRoom(this.#parts.ready, this.#parts.ctx, users, options);
  }

  /** Makes users stored members of a room: it is in their conversations, and they may join it if it is private. */
  addMembers(roomId: string, users: Array<string | UserRef>): Promise<void> {
    return addMembers(this.#parts.ready, this.#parts.ctx, roomId, users);
  }

  /** Ends users' membership of a room; resolves once their sockets left it (`room:removed`, reason `removed`) on every process, which push and `notify` no longer reach them. */
  removeMembers(roomId: string, userIds: string[]): Promise<void> {
    return removeMembers(this.#parts.ready, this.#parts.ctx, this.#parts.signals, roomId, userIds);
  }

  /**
   * Removes one device of a user from every encrypted room (an admin's `e2ee:device:remove`, e.g.
   * for a lost phone): refused from then on, its sockets cut, and each room's members asked to
   * commit its removal. `FORBIDDEN` when the server knows no such device of the user.
   */
  removeDevice(userId: string, deviceId: string): Promise<E2eeDeviceRemoveResult> {
    return removeDevice(this.#parts.ready, this.#parts.ctx, userId, deviceId);
  }

  /** Whether users are online (on any process), their status, and when the others were last seen. */
  presenceOf(userIds: string[]): Promise<UserPresence[]> {
    return presenceOf(this.#parts.ready, this.#parts.ctx, userIds);
  }

  /** A user's rooms, newest activity first, with exact unread and mention counts (at most 500). */
  conversations(userId: string): Promise<RoomSummary[]> {
    return conversations(this.#parts.ready, this.#parts.ctx, userId);
  }

  /**
   * A bot: a member your code runs, shown with `bot: true`, that joins rooms, hears their
   * messages (stored by any process), sends, replies, edits its own messages and types. Ids are
   * unique per process. See docs/bots.md.
   * @example const bot = chat.bot({ id: 'helper', name: 'Helper' }); await bot.join('lobby');
   */
  bot(options: BotOptions): ChatBot {
    if (this.#closed) throw builtInError('VALIDATION_FAILED', 'This chat server is closed.');
    return new ChatBot({ ctx: this.#parts.ctx, hub: this.#parts.bots, ready: () => this.#parts.ready }, options);
  }

  /**
   * A slash command members run with `command:run` (`room.runCommand('/name args')`), listed in
   * every join ack; `/help` is built in unless you define it. Returns a function that removes it.
   * Register the same commands on every process of a cluster.
   * @example chat.command({ name: 'ping', description: 'Answers pong.', handler: (ctx) => ctx.reply('pong') })
   */
  command(options: CommandOptions): () => void {
    return this.#parts.commands.add(options);
  }

  /**
   * Takes a user's sockets out of a room now, on every process (`room:removed`, reason `kicked`,
   * with `reason` as its message); they may join again. Kept in the audit log, as every action is.
   * @example await chat.kick('town-hall', 'u-troll', { reason: 'Off topic' })
   */
  kick(roomId: string, userId: string, options: Omit<ModerationOptions, 'until'> = {}): Promise<AuditEntry> {
    return this.#parts.moderation.act(ModerationVerb.KICK, roomId, userId, options);
  }

  /**
   * Bans a user from a room until `options.until` (or until `unban`): their sockets leave it now
   * (`room:removed`, reason `banned`), joins answer `BANNED` with `until`, REST refuses them too.
   * @example await chat.ban('town-hall', 'u-troll', { until: new Date(Date.now() + 86_400_000), reason: 'Spam' })
   */
  ban(roomId: string, userId: string, options: ModerationOptions = {}): Promise<AuditEntry> {
    return this.#parts.moderation.act(ModerationVerb.BAN, roomId, userId, options);
  }

  /** Lifts a user's ban from a room. */
  unban(roomId: string, userId: string, options: Omit<ModerationOptions, 'until'> = {}): Promise<AuditEntry> {
    return this.#parts.moderation.act(ModerationVerb.UNBAN, roomId, userId, options);
  }

  /** Mutes a user in a room until `options.until` (or until `unmute`): they read, but sends, edits, reactions and typing answer `MUTED`. */
  mute(roomId: string, userId: string, options: ModerationOptions = {}): Promise<AuditEntry> {
    return this.#parts.moderation.act(ModerationVerb.MUTE, roomId, userId, options);
  }

  /** Lifts a user's mute in a room. */
  unmute(roomId: string, userId: string, options: Omit<ModerationOptions, 'until'> = {}): Promise<AuditEntry> {
    return this.#parts.moderation.act(ModerationVerb.UNMUTE, roomId, userId, options);
  }

  /** Sets a user's role in a room (`owner`, `moderator`, `member`); shown to the room on `Member.role`. */
  setRole(roomId: string, userId: string, role: MemberRole, options: { by?: UserRef } = {}): Promise<AuditEntry> {
    return this.#parts.moderation.setRole(roomId, userId, role, options);
  }

  /** A room's audit log, newest first: `{ entries, hasMore }`; pass the last entry's id as `before` for the next page. */
  auditLog(roomId: string, options: LogPageOptions = {}): Promise<AuditPage> {
    return this.#parts.moderation.auditLog(roomId, options);
  }

  /** A room's reported messages, newest first: `{ reports, hasMore }`, paged like `auditLog`. */
  reports(roomId: string, options: LogPageOptions = {}): Promise<ReportPage> {
    return this.#parts.moderation.reports(roomId, options);
  }

  /**
   * Everything stored about a user (GDPR articles 15, 20) as one JSON document in text chunks (see docs/security.md).
   * @example for await (const chunk of chat.exportUser('u-42')) file.write(chunk)
   */
  async *exportUser(userId: string): AsyncGenerator<string, void, undefined> {
    await this.#parts.ready;
    yield* exportUserChunks(this.#parts.ctx, this.#parts.people, userId);
  }

  /**
   * Erases a user (GDPR article 17) on every process: messages become deleted placeholders; the rest
   * goes; audit entries keep the action without the person. Run it again to finish a run cut short.
   */
  async eraseUser(userId: string): Promise<void> {
    await this.#parts.ready;
    await eraseUser(this.#parts.ctx, this.#parts.people, userId);
  }

  /**
   * REST for rooms and history as `(req, res, next)` middleware, with the same `authenticate`
   * and `authorize` as sockets.
   * @example app.use('/chat', chat.httpHandler())
   */
  httpHandler(options: RestHandlerOptions = {}): RestHandler {
    const authenticate = (handshake: ChatHandshake) => this.#parts.ctx.authenticate(handshake);
    return createRestHandler({ server: this, ctx: this.#parts.ctx, authenticate, ...routesOf(this.#parts.capabilities) }, options);
  }

  /**
   * The widget's browser files (`chat-room.min.js` and those it fetches next to it on first use)
   * as `(req, res, next)` middleware, with CORS headers for pages on other origins and revalidated
   * caching. Needs `@chat/widget` installed (or `dir`). See docs/getting-started.md.
   * @example app.use('/widget', chat.widgetHandler()) // <script src="https://app.example/widget/chat-room.min.js">
   */
  widgetHandler(options: WidgetHandlerOptions = {}): RestHandler {
    return createWidgetHandler(options);
  }

  /**
   * The push notifications' service worker (`@chat/widget/chat-sw.js`) as `(req, res, next)`
   * middleware, to mount on your own site (`Service-Worker-Allowed: /`). See docs/server.md.
   * @example app.get('/chat-sw.js', chat.serviceWorkerHandler()) // <chat-room push-worker="/chat-sw.js">
   */
  serviceWorkerHandler(options: ServiceWorkerHandlerOptions = {}): RestHandler {
    return createServiceWorkerHandler(options);
  }

  /**
   * Disconnects the chat's sockets and stops its timers. Closes the Socket.IO server and the
   * store only if it created them; the host's HTTP server stays open.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await shutdown(this.#parts);
  }
}

/**
 * Adds chat to an existing HTTP server (Express: the server `app.listen` returns).
 * @example const chat = createChatServer(httpServer, { cors: { origin: 'https://app.example' } });
 */
export function createChatServer(httpServer: HttpServer | undefined, options: ChatServerOptions = {}): ChatServer {
  return new ChatServer(httpServer, options);
}
