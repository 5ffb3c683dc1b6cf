import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import {
  builtInError,
  ChatError,
  ClientFeature,
  type Attachment,
  type MessageSearchPayload,
  type MessageSearchResult,
  type CustomServerEvents,
  type PresenceStatus,
  type CustomRequestName,
  type RequestPayloadOf,
  type RequestResultOf,
  type RoomSummary,
  type UserPresence,
  type UserRef,
} from '@chat/protocol';
import { ChatRoom } from './chat-room.js';
import { followInConversations, rejoinRefused, routeRoomEvents } from './room-events.js';
import { ConnectionState, type ChatClientEvents } from './client-events.js';
import { ClientConnection } from './client-connection.js';
import { ClientCredentials } from './client-credentials.js';
import type { ChatClientOptions } from './client-options.js';
import type { Call } from './calls/call.js';
import { CallRouter } from './calls/call-router.js';
import { deferAutoAway, type AwayHandle } from './conversations/auto-away-start.js';
import { deferConversations, type Conversations } from './conversations/conversations-start.js';
import { StatusKeeper, type StatusChoice } from './conversations/user-status.js';
import type { OutboxStore } from './outbox/outbox-store.js';
import {
  ConnectionLostError,
  emitRequest,
  toError,
  type ChatSocket,
  type RequestEvent,
  type RequestPayload,
  type ResponseData,
} from './core/transport.js';
import { socketRoomLink, type RoomLink } from './room-link.js';
import { Subscribable } from './core/subscribable.js';
import { authHeaders, type ChatAuth } from './core/auth.js';
import { restUrl } from './core/rest-url.js';
import type { UploadOptions } from './uploads/upload.js';
import { ChatPush } from './push/chat-push.js';
import { whenConnected } from './core/when-connected.js';
import { chooseTransports } from './core/transports.js';
import { ChatE2ee } from './e2ee/chat-e2ee.js';
import type { E2eeKeyChange } from './e2ee/key-watch.js';

/** The client's own events (ChatClientEvents): a server event of one of these names is never a plugin's. */
const OWN_EVENTS = new Set(['state', 'error', 'conversations', 'status', 'call', 'e2ee:keychange', 'e2ee:removed']);

/**
 * A connection to a chat server: join rooms, and it keeps them in sync across reconnects.
 * @example
 * const client = new ChatClient({ url: 'https://app.example', auth: { name: 'Ana' } });
 * const room = await client.join('lobby');
 * room.on('message', (m) => console.log(m.user.name, m.text));
 * await room.send('hello');
 */
export class ChatClient extends Subscribable<ChatClientEvents & Omit<CustomServerEvents, keyof ChatClientEvents>> {
  /** The underlying socket.io-client socket. */
  readonly socket: ChatSocket;
  readonly #rooms = new Map<string, ChatRoom>();
  /** Joins under way, with the room each one joins (which may be left before it is done). */
  readonly #joining = new Map<string, { room: ChatRoom; joined: Promise<ChatRoom> }>();
  readonly #ackTimeoutMs: number;
  readonly #credentials: ClientCredentials;
  readonly #connection: ClientConnection;
  /** Stops what core/transports.ts waits for (long-polling's chunk, a first WebSocket). */
  readonly #stopTransports: () => void;
  readonly #link: RoomLink;
  readonly #uploadUrl: { path: string; base: string | undefined };
  readonly #outbox: { store: OutboxStore; server: string } | undefined;
  /** The server's URL with the namespace: what is kept in the browser is kept per server. */
  readonly #server: string;
  readonly #conversations: Conversations;
  readonly #status: StatusKeeper;
  readonly #autoAway: AwayHandle | undefined;
  /** Who the server says we are (from the first join's `self`). */
  #selfId: string | undefined;
  /** Who the server last said we are (a join's `self`, or the conversations list's). */
  #user: UserRef | undefined;
  readonly #calls: CallRouter;
  /** Web Push on this device: `client.push.subscribe(registration)`, `client.push.unsubscribe()`. */
  readonly push: ChatPush;
  /** End-to-end encrypted rooms on this device (the `e2ee` option): fingerprints and devices to compare. */
  readonly e2ee: ChatE2ee | undefined;

  constructor(options: ChatClientOptions = {}) {
    super();
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.#credentials = new ClientCredentials(options.auth, options.refreshToken, () => {
      for (const room of this.#rooms.values()) room._credentialsChanged();
    });
    this.#uploadUrl = { path: options.uploadUrl ?? '/chat/uploads', base: options.url };
    this.push = new ChatPush({
      request: (event, payload) => this.#request(event, payload),
      keyUrl: () => restUrl(`${options.pushUrl ?? '/chat/push'}/key`, options.url),
      authHeaders: () => authHeaders(this.#credentials._current),
    });
    const typingThrottleMs = options.typingThrottleMs ?? 2000;
    const opts: Partial<ManagerOptions & SocketOptions> = {
      ...options.socketOptions,
      // Always asks for `messages` batches: a busy room's messages of one turn in one frame.
      auth: (cb) => {
        cb({ ...this.#credentials._forHandshake(), features: [ClientFeature.MESSAGES] });
      },
      ...(options.path !== undefined && { path: options.path }),
    };
    const nsp = options.namespace ?? '/';
    const origin = options.url ?? (typeof location === 'undefined' ? 'http://localhost' : location.origin);
    this.#server = new URL(nsp, origin).href;
    // Kept per server (and user, and room): another server's or user's entries never go here.
    if (options.outbox) this.#outbox = { store: options.outbox, server: this.#server };
    const wire = chooseTransports(opts, typeof location !== 'undefined' && new URL(this.#server).origin !== location.origin);
    const socket: ChatSocket = options.url === undefined ? io(nsp, opts) : io(new URL(nsp, options.url).href, opts);
    this.socket = socket;
    this.#connection = new ClientConnection(socket, {
      _connected: (resync) => this.#connected(resync),
      _lost: () => {
        this.#calls._connectionLost();
        for (const room of this.#rooms.values()) room._connectionLost();
      },
      _credentialsReplaced: () => this.#credentials._replacedSinceHandshake(),
      _freshToken: options.refreshToken && (() => this.#credentials._fresh()),
      _stateChanged: (state) => this.emitter.emit('state', state),
      _error: (error) => this.emitter.emit('error', error),
    });
    this.#stopTransports = wire(socket, { _error: (error) => this.emitter.emit('error', error) });
    const e2eeHost = { socket, request: this.#request.bind(this), report: this.#background.bind(this), server: this.#server };
    const keyChanged = (change: E2eeKeyChange) => this.emitter.emit('e2ee:keychange', change);
    const deviceRemoved = (deviceId: string) => this.emitter.emit('e2ee:removed', { deviceId });
    const newestSeq = (id: string) => this.#rooms.get(id)?.messages.at(-1)?.seq ?? 0;
    this.e2ee = options.e2ee && new ChatE2ee({ ...e2eeHost, keyChanged, deviceRemoved, newestSeq }, options.e2ee);
    const calls = new CallRouter({
      request: (event, payload) => this.#request(event, payload),
      selfId: () => this.#selfId ?? this.rooms.find((room) => room.self)?.self?.id,
      options: options.calls ?? {},
      appeared: (call) => {
        this.#rooms.get(call.roomId)?._callAppeared(call);
        if (call.state === 'ringing') this.emitter.emit('call', call);
      },
      failed: (error) => this.#background(error),
    });
    this.#calls = calls;
    this.#link = socketRoomLink(socket, {
      request: (event, payload) =>
        this.e2ee ? this.e2ee._request(event, payload, (e, p) => this.#request(e, p)) : this.#request(event, payload),
      typingThrottleMs,
      detach: (roomId) => this.#rooms.delete(roomId),
      upload: (file, uploadOptions) => this.upload(file, uploadOptions),
      notificationsSet: (roomId, level) => this.#conversations.notifications(roomId, level),
      calls,
      plugins: {
        request: (event, payload) => this.request(event, payload),
        on: (event, listener) => this.on(event, listener as never),
      },
    });
    this.#conversations = deferConversations({
      fetch: async () => {
        const { conversations, self } = await this.#request('conversations:list', {});
        // Older servers send no `self`.
        if (self) this.#identify(self);
        return conversations;
      },
      joined: (roomId) => this.#rooms.get(roomId)?._conversationView(),
      _joinedIds: () => [...this.#rooms.keys()],
      _readElsewhere: (roomId, seq) => this.#rooms.get(roomId)?._readElsewhere(seq),
      changed: (list) => this.emitter.emit('conversations', list),
      failed: (error) => this.#background(error),
    });
    this.#status = new StatusKeeper({
      send: async ({ status, text }) => {
        await this.#request('presence:status', text === undefined ? { status } : { status, text });
      },
      failed: (error) => this.#background(error),
      changed: (status) => this.emitter.emit('status', status),
    });
    this.#autoAway = deferAutoAway(options.autoAway, {
      inactive: (inactive) => this.#status.inactive(inactive),
      _chosenElsewhere: (status, text) => this.#status.adopt(status, text),
    });
    this.#listen();
  }

  /** The connection state now. */
  get state(): ConnectionState {
    return this.#connection._state;
  }

  /** The rooms joined now. */
  get rooms(): ChatRoom[] {
    return [...this.#rooms.values()];
  }

  /** The calls this client knows: ringing you, going on in your rooms, or with you in them. */
  get calls(): Call[] {
    return this.#calls.calls;
  }

  /**
   * You, as the server knows you: known after the first join or `conversations()` answered
   * (undefined before). Tells your own messages apart in a list of conversations.
   */
  get user(): UserRef | undefined {
    return this.#user;
  }

  /** The joined room with this id, if any. */
  getRoom(roomId: string): ChatRoom | undefined {
    return this.#rooms.get(roomId);
  }

  /** The guest key sent with a guest name; keep it (e.g. in sessionStorage) to stay the same guest after a reload. */
  get guestKey(): string | undefined {
    return this.#credentials._guestKey;
  }

  /**
   * Replaces the credentials, e.g. with a refreshed token. On a live connection a token is
   * sent to the server at once (`auth:refresh`) and the connection stays up; the promise
   * rejects if the server refuses it. A client refused at sign-in connects again with it.
   */
  async setAuth(auth: ChatAuth): Promise<void> {
    if ('token' in auth && this.socket.connected) {
      // Kept only once the server took it: a refused token must not be used to reconnect.
      try {
        await this.#request('auth:refresh', { token: auth.token });
      } catch (error) {
        // Cut off before the answer: not refused, and the reconnect's handshake checks it (the
        // old token may be revoked by then), and it may be another user's.
        if (!(error instanceof ConnectionLostError) || this.socket.connected) throw error;
        this.#credentials._set(auth);
        return;
      }
      // The server took it on this connection: the same user (it refuses another's).
      this.#credentials._current = auth;
      return;
    }
    this.#credentials._set(auth);
    this.#connection._retryRefused();
  }

  /**
   * Joins a room and resolves when its members and latest messages are loaded. Joining a
   * room already joined (or being joined) gives the same ChatRoom. A room left while its join
   * was under way is joined anew once that join is over.
   */
  join(roomId: string): Promise<ChatRoom> {
    const pending = this.#joining.get(roomId);
    if (pending) {
      if (this.#rooms.get(roomId) === pending.room) return pending.joined;
      const again = () => this.join(roomId);
      return pending.joined.then(again, again);
    }
    const existing = this.#rooms.get(roomId);
    if (existing) return Promise.resolve(existing);
    const room = new ChatRoom(this.#link, roomId);
    if (this.#outbox) room._keepOutboxIn(this.#outbox.store, this.#outbox.server);
    this.#rooms.set(roomId, room);
    followInConversations(room, this.#conversations);
    const joined = room._join().then(
      () => {
        if (room.self) this.#identify(room.self);
        this.#conversations._roomChanged(roomId);
        return room;
      },
      (error: unknown) => {
        if (this.#rooms.get(roomId) === room) this.#rooms.delete(roomId);
        throw error;
      },
    );
    this.#joining.set(roomId, { room, joined });
    const done = () => {
      if (this.#joining.get(roomId)?.joined === joined) this.#joining.delete(roomId);
    };
    joined.then(done, done);
    return joined;
  }

  /**
   * Opens the direct room of you and these users (the same room every time for the same
   * people, private to them) and joins it. At most 10 people in all; with only yourself, a room
   * of notes to self. `{ encrypted: true }`: your end-to-end encrypted direct room with them (needs `e2ee`).
   * @example const room = await client.direct('luis', { encrypted: true }); await room.send('just to you');
   */
  async direct(userIds: string | string[], options: { encrypted?: boolean } = {}): Promise<ChatRoom> {
    const ids = typeof userIds === 'string' ? [userIds] : userIds;
    const { room } = await this.#request('room:direct', { userIds: ids, ...(options.encrypted === true && { encrypted: true }) });
    return this.join(room.id);
  }

  /**
   * Your rooms (stored memberships, ended rooms left out), newest activity first, with unread and
   * mention counts the server keeps: the same on every device. From the first call on, the list
   * is kept live and each change is emitted as `conversations`.
   * @example client.on('conversations', render); render(await client.conversations());
   */
  conversations(): Promise<RoomSummary[]> {
    return this.#conversations.load();
  }

  /**
   * Sets the status others see of you, on all your tabs and devices, with an optional text
   * (up to 100 characters). `busy` or `away` chosen here stay until you choose again; auto-away
   * only works over `online`.
   * @example await client.setStatus('busy', 'In a consultation until 3');
   */
  async setStatus(status: PresenceStatus, text?: string): Promise<void> {
    await this.#status.choose(status, text);
    this.#autoAway?.chose(status, text);
  }

  /** The status others see of you now (the chosen one, or `away` while auto-away applies). */
  get status(): StatusChoice {
    return this.#status.shown;
  }

  /**
   * Whether these users are online, their status, and when the others were last seen: for
   * anyone, including users in no room you share. At most 100 ids; answers in the order asked.
   * @example const [ana] = await client.presenceOf(['ana']); ana.online || ana.lastSeenAt;
   */
  async presenceOf(userIds: string[]): Promise<UserPresence[]> {
    return (await this.#request('presence:of', { userIds })).users;
  }

  /**
   * Finds messages in the rooms you may read now (or only `roomId`), newest first, each with its
   * room and a highlight. Words, `"phrases"`, `-word`, `or`; `next` as `before` gives older ones.
   * @example const { results, next } = await client.search('"release notes" -draft');
   */
  search(query: string, options: Omit<MessageSearchPayload, 'query'> = {}): Promise<MessageSearchResult> {
    return this.#request('message:search', { ...options, query });
  }

  /**
   * Uploads a file to the server's `uploads` (see `createChatServer({ uploads })`) with this
   * client's credentials, and resolves with the `Attachment` to send in a message. Progress is
   * reported in browsers only (Node's fetch has none: `onProgress` is called once, at the end).
   * @example const attachment = await client.upload(input.files[0], { onProgress: ({ loaded, total }) => show(loaded / total) });
   */
  upload(file: Blob, options: UploadOptions = {}): Promise<Attachment> {
    const url = restUrl(this.#uploadUrl.path, this.#uploadUrl.base);
    if (url === undefined)
      return Promise.reject(builtInError('VALIDATION_FAILED', 'Give the client a url (or an absolute uploadUrl) to upload files.'));
    const endpoint = { url, auth: this.#credentials._current };
    // Fetched by the first upload: a page that never uploads does not load the upload code.
    const upload = (body: Blob, sent: UploadOptions) =>
      import('./uploads/upload.js').then(({ uploadFile }) => uploadFile(endpoint, body, sent));
    // An encrypted room's file is encrypted first: the server gets ciphertext, named `file`.
    return this.e2ee ? this.e2ee._upload(file, options, upload) : upload(file, options);
  }

  /**
   * Sends a server plugin's request (its events are typed by `CustomClientEvents`) once connected,
   * and for a room of this client once it is joined;
   * resolves with its ack's data, or rejects with the server's `ChatError`. Listen to a plugin's
   * server events with `client.on(event, handler)` (typed by `CustomServerEvents`).
   * @example const { raised } = await client.request('hand:raise', { roomId: 'standup', raised: true })
   */
  async request<E extends CustomRequestName>(event: E, payload: RequestPayloadOf<E>): Promise<RequestResultOf<E>> {
    // About a room of this client: after its join (or its re-join after a reconnect), as the room's
    // own requests are; sent before, the server would answer NOT_IN_ROOM.
    const room = this.#rooms.get(String((payload as { roomId?: unknown } | null)?.roomId));
    while (room?.state === 'joining' || room?.state === 'syncing') await new Promise<void>((resolve) => room.once('updated', resolve));
    // Plugins' events are not in the built-in map #request is typed by: their types are the caller's.
    const send = this.#request.bind(this) as (event: string, payload: unknown) => Promise<unknown>;
    return (await send(event, payload)) as RequestResultOf<E>;
  }

  /** Disconnects for good; pending sends fail. */
  close(): void {
    this.#autoAway?.stop();
    this.#calls.close();
    this.e2ee?._close();
    for (const room of this.#rooms.values()) room._dispose();
    this.#rooms.clear();
    this.#stopTransports();
    this.#connection._close();
  }

  // After the state is `connected`: a reconnect re-joins the rooms and reloads the conversations.
  #connected(resync: boolean): void {
    this.#status.connected();
    if (!resync) return;
    this.#conversations.reconnected();
    for (const room of this.#rooms.values()) {
      if (this.#joining.has(room.id)) continue;
      room._join().catch((error: unknown) => this.#rejoinFailed(room, error));
    }
  }

  #listen(): void {
    const socket = this.socket;
    this.#connection._listen();
    routeRoomEvents(socket, this.#rooms, this.e2ee);
    // A plugin's server events (CustomServerEvents) reach `client.on`; a name of the client's own
    // events never does. A listener that throws is an `error`, not the end of the packet's handling.
    socket.onAny((event: string, data: unknown) => {
      try {
        if (OWN_EVENTS.has(event)) return;
        // A plugin's state of a room (`pins:updated`): `<plugin>:updated { roomId, ...state }`, keys of its join answer's shape.
        if (event.endsWith(':updated'))
          this.#rooms.get((data as { roomId?: string } | null)?.roomId ?? '')?._pluginState(event.slice(0, -8), data);
        this.emitter.emit(event as 'status', data as never);
      } catch (error) {
        this.emitter.emit('error', toError(error));
      }
    });
    socket.on('room:activity', (event) => this.#conversations.activity(event));
    socket.on('auth:expiring', () => {
      if (!this.#credentials._refreshable) return;
      // setAuth keeps the token only once the server took it (or the connection dropped first).
      this.#credentials
        ._ask()
        .then((token) => this.setAuth({ token }))
        .catch((error: unknown) => this.emitter.emit('error', toError(error)));
    });
    socket.on('chat:error', (event) => this.emitter.emit('error', ChatError.fromData(event.error)));
    socket.on('call', (call) => this.#calls.receive(call));
    socket.on('call:signal', (event) => this.#calls.signal(event));
  }

  async #request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>> {
    // Re-check right before emitting, with no await in between: a packet emitted while
    // disconnected sits in socket.io's buffer and goes out on reconnect before the re-join.
    while (!this.socket.connected) await this.#whenConnected();
    return emitRequest(this.socket, this.#ackTimeoutMs, event, payload);
  }

  #whenConnected(): Promise<void> {
    return whenConnected({
      socket: this.socket,
      closed: () => this.#connection._state === ConnectionState.DISCONNECTED,
      onClosed: (listener) => this.on('state', (state) => state === ConnectionState.DISCONNECTED && listener()),
      refusal: () => this.#connection._refused ?? builtInError('INTERNAL', 'The chat client is closed.'),
    });
  }

  // The user is known: auto-away agrees with the user's other tabs from now on.
  #identify(user: UserRef): void {
    this.#user = { id: user.id, name: user.name, ...(user.avatarUrl !== undefined && { avatarUrl: user.avatarUrl }) };
    if (this.#selfId !== undefined) return;
    this.#selfId = user.id;
    this.#autoAway?.identify(this.#server, user.id);
  }

  // Work the client does by itself failed: said through `error`, unless the connection went (the reconnect does it again).
  #background(error: unknown): void {
    if (error instanceof ConnectionLostError || this.#connection._state === ConnectionState.DISCONNECTED) return;
    this.emitter.emit('error', toError(error));
  }

  #rejoinFailed(room: ChatRoom, error: unknown): void {
    if (error instanceof ConnectionLostError) return; // the next connect tries again
    const chatError = toError(error);
    rejoinRefused(room, chatError);
    this.emitter.emit('error', chatError);
  }
}
