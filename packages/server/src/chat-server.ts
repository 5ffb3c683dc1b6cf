import type { Server as HttpServer } from 'node:http';
import type { Namespace } from 'socket.io';
import { builtInError, ChatError, DEFAULT_LIMITS, parsePayload, toChatError } from '@chat/protocol';
import type { AuditEntry, ChatLimits, ClientToServerEvents, MemberRole, Message, Room } from '@chat/protocol';
import type { E2eeDeviceRemoveResult, RoomSummary, ServerToClientEvents, UserPresence, UserRef } from '@chat/protocol';
import { handshakeMiddleware } from './facade/handshake-middleware.js';
import { endRoom, updateRoom } from './facade/host-rooms.js';
import { whenReady } from './facade/cluster-parts.js';
import { capabilitiesOf, routesOf } from './facade/capabilities.js';
import { checkCapabilities, pluginSet, type PluginSet } from './facade/plugins.js';
import { filesPort } from './facade/files-port.js';
import { closeContext, createContext } from './facade/context.js';
import { chatIo, connectionHandler } from './facade/socket-server.js';
import { HostEvents, setHostEventHooks } from './facade/host-events.js';
import { deleteMessage, editMessage, sendMessage, type ServerMessageInput } from './facade/host-messages.js';
import { addMembers, conversations, openDirectRoom, presenceOf, removeDevice, removeMembers } from './facade/host-people.js';

export type { ServerMessageInput } from './facade/host-messages.js';
import { guestAuthenticate } from './auth/guest-authenticate.js';
import type { Authenticate, ChatHandshake } from './core/handshake.js';
import { SocketSession } from './kernel/connection/socket-session.js';
import { writeWholeFrames } from './kernel/connection/whole-frames.js';
import { UserBudgets } from './limits/user-budgets.js';
import type { ChatIO, ChatServerOptions } from './options.js';
import { LocalPresence } from './local/local-presence.js';
import type { ChatCluster } from './cluster/chat-cluster.js';
import type { Capability } from './core/capability.js';
// Every user (a custom authenticate's, the server API's) is checked and its name cleaned like a guest's.
import { checkUser } from './auth/check-user.js';
import { createRoom, type CreateRoomOptions } from './kernel/rooms/create-room.js';
import { RoomSignals } from './kernel/rooms/room-signals.js';
import { ROOM_CACHE_MS } from './kernel/rooms/room-cache.js';
import { originMiddleware } from './auth/allowed-origins.js';
import type { ServerContext } from './kernel/context.js';
import type { ErrorContext } from './kernel/server-events.js';
import { MemoryStore } from './store/memory-store.js';
import type { AuditPage, ChatStore, CreateRoomInput, ReportPage, RoomPatch, RoomQuery } from './core/chat-store.js';
import { createRestHandler, type RestHandler, type RestHandlerOptions } from './kernel/http/rest-handler.js';
import { createServiceWorkerHandler, createWidgetHandler } from './kernel/http/widget-files.js';
import type { ServiceWorkerHandlerOptions, WidgetHandlerOptions } from './kernel/http/widget-files.js';
import { createUploadRoutes, type UploadRoutes } from './capabilities/uploads/index.js';
import { StatusSignals } from './capabilities/conversations/index.js';
import { BotHub } from './capabilities/bots/index.js';
import { ChatBot, type BotOptions } from './capabilities/bots/index.js';
import { CommandRegistry, type CommandOptions } from './capabilities/bots/index.js';
import { Webhooks } from './capabilities/webhooks/index.js';
import { resolveWebhooks } from './capabilities/webhooks/index.js';
import { CallService } from './capabilities/calls/index.js';
import { ModerationHub } from './capabilities/moderation/index.js';
import { SERVER_ACTOR } from './capabilities/moderation/index.js';
import { ModerationApi, ModerationVerb, type ModerationOptions } from './capabilities/moderation/index.js';
import type { LogPageOptions } from './capabilities/moderation/index.js';
import { eraseUser, exportUserChunks, type EraseParts } from './capabilities/user-data/index.js';
import { resolveRetention } from './capabilities/retention/index.js';

/**
 * Chat on Socket.IO, added to an existing HTTP server. Create it with {@link createChatServer}.
 */
export class ChatServer extends HostEvents {
  /** The Socket.IO server (the one passed as `io`, or the one created). */
  readonly io: ChatIO;
  /** The store rooms and messages live in. */
  readonly store: ChatStore;
  /** The limits in force (defaults merged with `options.limits`). */
  readonly limits: Readonly<ChatLimits>;

  readonly #ctx: ServerContext;
  readonly #budgets: UserBudgets;
  readonly #sessions = new Map<string, SocketSession>();
  readonly #signals: RoomSignals;
  readonly #status: StatusSignals;
  readonly #authenticate: Authenticate;
  readonly #ownsIo: boolean;
  readonly #ownsStore: boolean;
  readonly #detach: (() => void) | undefined;
  readonly #ready: Promise<void>;
  readonly #cluster: ChatCluster | undefined;
  readonly #uploads: UploadRoutes | undefined;
  readonly #bots: BotHub;
  readonly #webhooks: Webhooks | undefined;
  readonly #moderation: ModerationApi;
  readonly #moderationHub: ModerationHub;
  readonly #calls: CallService;
  readonly #commands = new CommandRegistry();
  readonly #capabilities: Capability[];
  readonly #plugins: PluginSet;
  readonly #people: EraseParts;
  #closed = false;

  constructor(httpServer: HttpServer | undefined, options: ChatServerOptions = {}) {
    super();
    setHostEventHooks(this, {
      emitted: (event, args) => this.#emitted(event, args),
      failed: (event, error) => this.#listenerFailed(event, error),
    });
    this.limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
    // Checked before anything is attached: a bad webhook URL must not leave a half-made server.
    const webhooks = resolveWebhooks(options.webhooks);
    const retention = resolveRetention(options.retention ?? {});
    this.#ownsStore = options.store === undefined;
    this.store = options.store ?? new MemoryStore();
    this.#cluster = options.cluster;
    this.#calls = new CallService(() => this.#ctx, options.calls);
    this.#moderationHub = new ModerationHub(
      this.store,
      () => this.#ctx,
      (socketId) => this.#sessions.get(socketId),
      () => this.#cluster !== undefined,
      options.roomCacheMs ?? ROOM_CACHE_MS,
      (id, patch, actor) => this.#updateRoom(id, patch, actor),
    );
    // Every capability, built-in or a host's plugin, is made and checked (one owner per event and
    // REST prefix, the store parts they need) before anything is attached to the HTTP server.
    this.#plugins = pluginSet(
      options.plugins ?? [],
      this.store,
      () => this.#ctx,
      this.limits,
      () => this.#cluster !== undefined,
    );
    this.#people = { files: filesPort(options.uploads), clustered: () => this.#cluster !== undefined, plugins: this.#plugins.personal };
    this.#uploads = options.uploads && createUploadRoutes(options.uploads, () => this.#ctx);
    this.#capabilities = [
      ...capabilitiesOf(() => this.#ctx, {
        ...options,
        retention,
        calls: this.#calls,
        commands: this.#commands,
        people: this.#people,
        ready: () => this.#ready,
      }),
      ...(this.#uploads ? [{ name: 'uploads', raw: this.#uploads }] : []),
      ...this.#plugins.capabilities,
    ];
    checkCapabilities(this.#capabilities, SocketSession.events);
    this.#ownsIo = options.io === undefined;
    const { io, detach } = chatIo(httpServer, options, this.limits);
    this.io = io;
    this.#detach = detach;
    const nsp: Namespace<ClientToServerEvents, ServerToClientEvents> = this.io.of(options.namespace ?? '/');
    writeWholeFrames(nsp.adapter);
    const presence = new LocalPresence();
    this.#budgets = new UserBudgets(this.limits);
    this.#ctx = createContext(
      {
        capabilities: this.#capabilities,
        nsp,
        store: this.store,
        limits: this.limits,
        presence,
        calls: this.#calls,
        files: this.#people.files,
        moderationHub: this.#moderationHub,
        commands: this.#commands,
        events: this,
        ctx: () => this.#ctx,
        report: (error, where) => this.#report(error, where),
        track: (work, event) => this.#track(work, event),
        statusChanged: (userId) => this.#status.changed(userId),
        budget: (userId) => this.#budgets.get(userId),
        joinExtras: (user, roomId) => this.#plugins.joinExtras(user, roomId),
        authenticate: (handshake) => this.#ready.then(() => this.#authenticate(handshake)).then(checkUser),
      },
      options,
    );
    this.#bots = new BotHub(this.#ctx);
    this.#moderation = new ModerationApi(this.#ctx, () => this.#ready);
    this.#webhooks = webhooks.length > 0 ? new Webhooks(webhooks, (error) => this.#report(error, { event: 'webhook' })) : undefined;
    this.#signals = new RoomSignals(this.#ctx, this.#sessions, () => this.#cluster !== undefined);
    this.#status = new StatusSignals(
      this.#ctx,
      (socketId) => this.#sessions.get(socketId)?.rooms,
      () => this.#cluster !== undefined,
    );
    this.#ready = whenReady(
      this.store,
      {
        ctx: this.#ctx,
        io: this.io,
        calls: this.#calls,
        signals: this.#signals,
        status: this.#status,
        bots: this.#bots,
        moderationHub: this.#moderationHub,
        closed: () => this.#closed,
        track: (work, event) => this.#track(work, event),
        report: (error, where) => this.#report(error, where),
      },
      options,
      this.#uploads,
      this.#capabilities,
    ).then(() => (this.#closed ? undefined : this.#plugins.start()));

    const authenticate = options.authenticate ?? guestAuthenticate({ maxNameLength: this.limits.maxNameLength });
    this.#authenticate = authenticate;
    // Before authenticate: a foreign page's cookies must not even reach it.
    if (options.allowedOrigins) nsp.use(originMiddleware(this.#ctx.checkOrigin, () => this.#closed));
    nsp.use(
      handshakeMiddleware({
        ctx: this.#ctx,
        budgets: this.#budgets,
        ready: this.#ready,
        authenticate,
        closed: () => this.#closed,
      }),
    );
    nsp.on('connection', this.#onConnection);
  }

  /**
   * Resolves when the store is ready (its `init()` done), `web-push` is loaded (with `push`) and the
   * plugins' `start` ran; rejects if one of them failed.
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Sends a message as `input.user` from the server (a bot, a system notice); the room is
   * created if missing and `createRoomsOnJoin` allows it. Resolves with the stored message.
   * @example await chat.sendMessage('lobby', { user: { id: 'bot', name: 'Bot' }, text: 'Welcome!' })
   */
  sendMessage(roomId: string, input: ServerMessageInput): Promise<Message> {
    return sendMessage(this.#ready, this.#ctx, roomId, input);
  }

  /**
   * Changes a message's text as the host (moderation, a bot's own message): no author check, no
   * `authorize`, no `beforeMessage`; the limits apply. `options.mentions` replace the old ones
   * (only users present in the room are kept). Members get `message:updated`.
   * @example await chat.editMessage('lobby', message.id, 'Meeting moved to 3 pm')
   */
  editMessage(roomId: string, messageId: string, text: string, options: { mentions?: string[] } = {}): Promise<Message> {
    return editMessage(this.#ready, this.#ctx, roomId, messageId, text, options);
  }

  /**
   * Deletes a message as the host: its text and attachments are gone from the store, a
   * placeholder (id, seq, `deletedAt`) stays. No author check, no `authorize`. Deleting a
   * deleted message returns it unchanged. The audit log names `options.by` (default: the server).
   */
  deleteMessage(roomId: string, messageId: string, options: { by?: UserRef } = {}): Promise<Message> {
    return deleteMessage(this.#ready, this.#ctx, roomId, messageId, options);
  }

  /**
   * Creates a room. A taken id is `ROOM_EXISTS` (someone may have joined it first), unless
   * `{ ifExists: 'return' }` asks for the existing room.
   * @example await chat.createRoom({ id: 'cita-42', title: 'Dr. Ruiz', options: { private: true }, createdBy: 'dr-ruiz' })
   */
  async createRoom(input: CreateRoomInput = {}, options: CreateRoomOptions = {}): Promise<Room> {
    await this.#ready;
    return createRoom(this.#ctx, input, options);
  }

  /** The room with this id, or null. */
  async getRoom(id: string): Promise<Room | null> {
    await this.#ready;
    return this.store.getRoom(parsePayload(this.#ctx.schemas.roomId, id));
  }

  /** Rooms, newest first; active ones unless `includeEnded`. */
  async listRooms(query: RoomQuery = {}): Promise<Room[]> {
    await this.#ready;
    return this.store.listRooms(query);
  }

  /** Changes a room's title, metadata or options; `ROOM_NOT_FOUND` if there is none. */
  updateRoom(id: string, patch: Omit<RoomPatch, 'endedAt'>): Promise<Room> {
    return this.#updateRoom(id, patch, SERVER_ACTOR);
  }

  // `actor`: who the audit log names when freeze or slow mode change (a moderator's `moderation:room`).
  #updateRoom(id: string, patch: Omit<RoomPatch, 'endedAt'>, actor: UserRef): Promise<Room> {
    return updateRoom(this.#ready, this.#ctx, this.#signals, id, patch, actor);
  }

  /**
   * Ends a room: members get `room:ended` and are taken out of it; later joins and sends get
   * `ROOM_ENDED`. History stays readable. Ending an ended room returns it unchanged.
   */
  endRoom(id: string): Promise<Room> {
    return endRoom(this.#ready, this.#ctx, this.#signals, id, (room) => this.emit('room:ended', room));
  }

  /**
   * The one direct room of exactly these users (the same room every time; private to them),
   * created the first time. Give ids of users the server has seen, or `{ id, name }` for users
   * it has not seen yet; at most `limits.maxDirectMembers`. `{ encrypted: true }`: their end-to-end
   * encrypted direct room (`dm:e:...`), a room apart from the plain one.
   * @example const room = await chat.openDirectRoom(['dr-ruiz', { id: 'p-7731', name: 'Ana' }], { encrypted: true })
   */
  openDirectRoom(users: Array<string | UserRef>, options: { encrypted?: boolean } = {}): Promise<Room> {
    return openDirectRoom(this.#ready, this.#ctx, users, options);
  }

  /** Makes users stored members of a room: it is in their conversations, and they may join it if it is private. */
  addMembers(roomId: string, users: Array<string | UserRef>): Promise<void> {
    return addMembers(this.#ready, this.#ctx, roomId, users);
  }

  /** Ends users' membership of a room; resolves once their sockets left it (`room:removed`, reason `removed`) on every process, which push and `notify` no longer reach them. */
  removeMembers(roomId: string, userIds: string[]): Promise<void> {
    return removeMembers(this.#ready, this.#ctx, this.#signals, roomId, userIds);
  }

  /**
   * Removes one device of a user from every encrypted room (an admin's `e2ee:device:remove`, e.g.
   * for a lost phone): refused from then on, its sockets cut, and each room's members asked to
   * commit its removal. `FORBIDDEN` when the server knows no such device of the user.
   */
  removeDevice(userId: string, deviceId: string): Promise<E2eeDeviceRemoveResult> {
    return removeDevice(this.#ready, this.#ctx, userId, deviceId);
  }

  /** Whether users are online (on any process), their status, and when the others were last seen. */
  presenceOf(userIds: string[]): Promise<UserPresence[]> {
    return presenceOf(this.#ready, this.#ctx, userIds);
  }

  /** A user's rooms, newest activity first, with exact unread and mention counts (at most 500). */
  conversations(userId: string): Promise<RoomSummary[]> {
    return conversations(this.#ready, this.#ctx, userId);
  }

  /**
   * A bot: a member your code runs, shown with `bot: true`, that joins rooms, hears their
   * messages (stored by any process), sends, replies, edits its own messages and types. Ids are
   * unique per process. See docs/bots.md.
   * @example const bot = chat.bot({ id: 'helper', name: 'Helper' }); await bot.join('lobby');
   */
  bot(options: BotOptions): ChatBot {
    if (this.#closed) throw builtInError('VALIDATION_FAILED', 'This chat server is closed.');
    return new ChatBot({ ctx: this.#ctx, hub: this.#bots, ready: () => this.#ready }, options);
  }

  /**
   * A slash command members run with `command:run` (`room.runCommand('/name args')`), listed in
   * every join ack; `/help` is built in unless you define it. Returns a function that removes it.
   * Register the same commands on every process of a cluster.
   * @example chat.command({ name: 'ping', description: 'Answers pong.', handler: (ctx) => ctx.reply('pong') })
   */
  command(options: CommandOptions): () => void {
    return this.#commands.add(options);
  }

  /**
   * Takes a user's sockets out of a room now, on every process (`room:removed`, reason `kicked`,
   * with `reason` as its message); they may join again. Kept in the audit log, as every action is.
   * @example await chat.kick('town-hall', 'u-troll', { reason: 'Off topic' })
   */
  kick(roomId: string, userId: string, options: Omit<ModerationOptions, 'until'> = {}): Promise<AuditEntry> {
    return this.#moderation.act(ModerationVerb.KICK, roomId, userId, options);
  }

  /**
   * Bans a user from a room until `options.until` (or until `unban`): their sockets leave it now
   * (`room:removed`, reason `banned`), joins answer `BANNED` with `until`, REST refuses them too.
   * @example await chat.ban('town-hall', 'u-troll', { until: new Date(Date.now() + 86_400_000), reason: 'Spam' })
   */
  ban(roomId: string, userId: string, options: ModerationOptions = {}): Promise<AuditEntry> {
    return this.#moderation.act(ModerationVerb.BAN, roomId, userId, options);
  }

  /** Lifts a user's ban from a room. */
  unban(roomId: string, userId: string, options: Omit<ModerationOptions, 'until'> = {}): Promise<AuditEntry> {
    return this.#moderation.act(ModerationVerb.UNBAN, roomId, userId, options);
  }

  /** Mutes a user in a room until `options.until` (or until `unmute`): they read, but sends, edits, reactions and typing answer `MUTED`. */
  mute(roomId: string, userId: string, options: ModerationOptions = {}): Promise<AuditEntry> {
    return this.#moderation.act(ModerationVerb.MUTE, roomId, userId, options);
  }

  /** Lifts a user's mute in a room. */
  unmute(roomId: string, userId: string, options: Omit<ModerationOptions, 'until'> = {}): Promise<AuditEntry> {
    return this.#moderation.act(ModerationVerb.UNMUTE, roomId, userId, options);
  }

  /** Sets a user's role in a room (`owner`, `moderator`, `member`); shown to the room on `Member.role`. */
  setRole(roomId: string, userId: string, role: MemberRole, options: { by?: UserRef } = {}): Promise<AuditEntry> {
    return this.#moderation.setRole(roomId, userId, role, options);
  }

  /** A room's audit log, newest first: `{ entries, hasMore }`; pass the last entry's id as `before` for the next page. */
  auditLog(roomId: string, options: LogPageOptions = {}): Promise<AuditPage> {
    return this.#moderation.auditLog(roomId, options);
  }

  /** A room's reported messages, newest first: `{ reports, hasMore }`, paged like `auditLog`. */
  reports(roomId: string, options: LogPageOptions = {}): Promise<ReportPage> {
    return this.#moderation.reports(roomId, options);
  }

  /**
   * Everything stored about a user (GDPR articles 15, 20) as one JSON document in text chunks (see docs/security.md).
   * @example for await (const chunk of chat.exportUser('u-42')) file.write(chunk)
   */
  async *exportUser(userId: string): AsyncGenerator<string, void, undefined> {
    await this.#ready;
    yield* exportUserChunks(this.#ctx, this.#people, userId);
  }

  /**
   * Erases a user (GDPR article 17) on every process: messages become deleted placeholders; the rest
   * goes; audit entries keep the action without the person. Run it again to finish a run cut short.
   */
  async eraseUser(userId: string): Promise<void> {
    await this.#ready;
    await eraseUser(this.#ctx, this.#people, userId);
  }

  /**
   * REST for rooms and history as `(req, res, next)` middleware, with the same `authenticate`
   * and `authorize` as sockets.
   * @example app.use('/chat', chat.httpHandler())
   */
  httpHandler(options: RestHandlerOptions = {}): RestHandler {
    const authenticate = (handshake: ChatHandshake) => this.#ctx.authenticate(handshake);
    return createRestHandler({ server: this, ctx: this.#ctx, authenticate, ...routesOf(this.#capabilities) }, options);
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
    const nsp = this.#ctx.nsp;
    nsp.off('connection', this.#onConnection);
    // local: with a cluster adapter, the plain form would disconnect every process's sockets.
    nsp.local.disconnectSockets(true);
    // No more clearing of dead processes here: what it clears must still be announced.
    await this.#cluster?.stopping?.();
    await this.#bots.close();
    // Let the removals of those sockets finish and their `left` deltas go out (other
    // processes' clients would otherwise keep them as members).
    await closeContext(this.#ctx, { clustered: this.#cluster !== undefined, calls: this.#calls, moderationHub: this.#moderationHub });
    if (this.#ownsIo) {
      this.io.engine?.close();
      this.#detach?.();
    }
    if (this.#ownsStore) await this.store.close();
    await this.#cluster?.close();
    await this.#uploads?.close();
    this.#budgets.close();
    this.#webhooks?.close();
  }

  #onConnection = connectionHandler(() => this.#ctx, this.#sessions);

  // What the server itself does with its events, before the host's listeners: bots hear new
  // messages and leave ended rooms; webhooks are queued. (Not listeners: `chat.off` cannot remove them.)
  #emitted(event: string, args: readonly unknown[]): void {
    if (event === 'message') this.#bots?.heard(args[0] as Message);
    else if (event === 'room:ended') this.#bots?.ended((args[0] as Room).id);
    this.#webhooks?.emitted(event, args);
  }

  #listenerFailed(event: string, error: unknown): void {
    if (event === 'error') console.error('[chat] an "error" listener threw:', error);
    else this.#report(builtInError('INTERNAL', `A "${event}" listener threw.`, { cause: error }), { event });
  }

  // Work no request waits for: its failure is reported, and close() waits for it.
  #track(work: Promise<unknown>, event: string): void {
    const tracked = work.catch((error: unknown) => this.#report(toChatError(error), { event }));
    this.#ctx.inflight.add(tracked);
    void tracked.then(() => this.#ctx.inflight.delete(tracked));
  }

  #report(error: ChatError, where: ErrorContext): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, where);
    else console.error('[chat] %s', error.message, where, error.cause ?? '');
  }
}

/**
 * Adds chat to an existing HTTP server (Express: the server `app.listen` returns).
 * @example const chat = createChatServer(httpServer, { cors: { origin: 'https://app.example' } });
 */
export function createChatServer(httpServer: HttpServer | undefined, options: ChatServerOptions = {}): ChatServer {
  return new ChatServer(httpServer, options);
}
