// The public shape of a feature: a host's plugin and a built-in one are written the same way
// (docs/plugins.md). The facade turns each into what the kernel serves (facade/plugins.ts).
import type {
  ChatLimits,
  ChatUser,
  LinkPreview,
  Message,
  Poll,
  Question,
  Room,
  CustomClientEvents,
  CustomServerEvents,
  RequestName,
  RequestPayloadOf,
  RequestResultOf,
  ServerEventData,
} from '@chat/protocol';
import type { RawRoutes, RestRoute } from './capability.js';
import type { ChatHandshake } from './handshake.js';
import type { AwayReason } from './notify.js';
import type { ChatServerEventName, ChatServerEvents } from './server-events.js';
import type { ChatAction } from './policy.js';
import type { StandardSchemaV1 } from './standard-schema.js';
import type { StorePart } from './store-part.js';

/** What a plugin's event handler is asked: who, in which room, with what. */
export interface PluginRequest<Payload = unknown> {
  user: ChatUser;
  /**
   * The payload's `roomId`, when it names one. The kernel has checked that the socket is in that
   * room (else `NOT_IN_ROOM`): joined with `room:join`, and not removed, kicked or banned since.
   */
  roomId?: string;
  payload: Payload;
  /** The socket that sent it (Socket.IO's id). */
  socketId: string;
  handshake: ChatHandshake;
}

/** A plugin event's handler: answers the ack's data, or throws a `ChatError` the client receives. */
export type PluginHandler<Payload, Result, Part> = (request: PluginRequest<Payload>, tools: PluginTools<Part>) => Result | Promise<Result>;

/**
 * One client event of a plugin. With `payload` (a valibot, zod or any Standard Schema), the
 * payload is checked first (`VALIDATION_FAILED` naming the field) and typed; a bare handler gets
 * it unchecked, as `unknown`.
 */
export type PluginEvent<E extends RequestName, Part> =
  | PluginHandler<unknown, RequestResultOf<E>, Part>
  | {
      payload: StandardSchemaV1<unknown, RequestPayloadOf<E>>;
      handle: PluginHandler<RequestPayloadOf<E>, RequestResultOf<E>, Part>;
      /**
       * False: the payload's `roomId` need not be a room the socket joined (a search of a room the
       * user may read): the handler checks what the user may do there itself
       * (`tools.readableRoom`, `tools.checkAllowed`). It is still checked as a room id, and
       * `request.roomId` (a room the socket is in) is left out.
       * @default true
       */
      requireJoined?: boolean;
    };

/** A plugin's client events, by name: the names and types a host declares in `CustomClientEvents`. */
export type PluginEvents<Part> = { [E in Extract<keyof CustomClientEvents, string>]?: PluginEvent<E, Part> };

/** A plugin's server events: the names a host declares in `CustomServerEvents`. */
export type PluginServerEvent = Extract<keyof CustomServerEvents, string>;

/** What a plugin may do: emit, ask who may read a room, reach its own store part. */
export interface PluginTools<Part = undefined> {
  /** The plugin's store part (`store` in its definition), on the server's store. */
  readonly store: Part;
  /** The limits in force. */
  readonly limits: Readonly<ChatLimits>;
  /** Sends one of the plugin's events (`CustomServerEvents`) to every socket in a room, on every process of a cluster. */
  emitToRoom<E extends PluginServerEvent>(roomId: string, event: E, data: ServerEventData<E>): void;
  /**
   * Sends one of the plugin's events to this process's sockets in a room only: for what the plugin
   * gathered from every process itself (with `peers`), so that each socket gets it once.
   */
  emitToLocalRoom<E extends PluginServerEvent>(roomId: string, event: E, data: ServerEventData<E>): void;
  /** The same plugin on the cluster's other processes (no one without a cluster). */
  readonly peers: PluginPeers;
  /** Sends one of the plugin's events (`CustomServerEvents`) to every socket of a user, on every process of a cluster. */
  emitToUser<E extends PluginServerEvent>(userId: string, event: E, data: ServerEventData<E>): void;
  /** Whether the user is a stored member of the room (joined it once, or was added; not removed since). */
  isMember(userId: string, roomId: string): Promise<boolean>;
  /**
   * The audience rule: whether `user` may read the room now (it exists and has not ended, the user
   * is not banned from it, and `authorize` allows `message:history`). Ask it before anything of a
   * room's content leaves the server on a path other than the room's own sockets. Pass the
   * request's `handshake` when there is one: `authorize` may read it (cookies, headers).
   */
  mayRead(user: ChatUser, roomId: string, handshake?: ChatHandshake): Promise<boolean>;
  /**
   * The room, if `user` may read it now by the audience rule (`mayRead`), else what the server
   * answers its own reads with: `ROOM_NOT_FOUND`, `ROOM_ENDED`, `BANNED`, `FORBIDDEN`.
   */
  readableRoom(user: ChatUser, roomId: string, handshake?: ChatHandshake): Promise<Room>;
  /**
   * The rooms `user` may read now among those they belong to (joined once, or added; not removed
   * since): not ended, not banned from, `authorize` allowing `message:history`; those among the
   * 500 with the latest activity, latest first. Public rooms the user never joined are not among them. Needs the
   * store's `SearchStore` part (`memberRooms`).
   */
  readableRooms(user: ChatUser, handshake?: ChatHandshake): Promise<string[]>;
  /** What a user may still cost the server now (over all of their sockets and REST calls on this process). */
  budget(userId: string): PluginBudget;
  /**
   * Whether `user` may do `action` in the room now, as the server decides it for its own actions:
   * the host's `authorize` when there is one, else the default policy (`'pin'`: the room's owners
   * and moderators). `authorize` sees the room, the user's role in it (admins as `owner`),
   * `message` and `handshake` when given. False for a room that does not exist or has ended.
   */
  authorize(action: ChatAction, request: PluginAuthorizeRequest): Promise<boolean>;
  /**
   * As `authorize`, but throws what the server answers its own actions with: `FORBIDDEN` (with the
   * sentence the host's `authorize` threw, when it threw one), `ROOM_NOT_FOUND` (a direct room
   * hides itself from a stranger so), `ROOM_ENDED`.
   */
  checkAllowed(action: ChatAction, request: PluginAuthorizeRequest): Promise<void>;
  /** Reports an error through `chat.on('error')` (work no request waits for). */
  report(error: unknown): void;
  /**
   * Hears the messages of stored rooms this process stores (`stored`), whose text is edited here
   * (`edited`) or which are deleted here (`deleted`, the placeholder), once they reached the room:
   * after the sender's answer, never delaying it. Set it in `start`; returns the function that stops hearing.
   * `chat.close()` waits for what the listener started; what it throws or rejects with is reported.
   */
  onMessage(listener: (event: PluginMessageEvent) => void | Promise<void>): () => void;
  /**
   * Hears who comes into a room's presence (`joined`: their first socket joined it, a bot joined)
   * and who goes (`left`: their last socket left it, a bot left, or a process that died held it),
   * on the process where that happened, once across a cluster (on a Redis Cluster a `left` may
   * come twice, after a failover or a process that stalled past `staleAfterMs` and came back: keep
   * what the listener does idempotent). Set it in `start` (what came before
   * the plugins started is told then); returns the function that stops hearing. `chat.close()`
   * waits for what the listener started; what it throws or rejects with is reported.
   * @example tools.onPresence(({ kind, roomId, userId }) => { if (kind === 'left') lowerHand(roomId, userId); })
   */
  onPresence(listener: (event: PluginPresenceEvent) => void | Promise<void>): () => void;
  /**
   * Hears one of the chat server's events, as `chat.on` does (`message`, `messageUpdated`, `join`,
   * `leave`, `room:ended`, `report`, `moderation`; another name throws), with the same arguments, on
   * the process where it happened, just before the host's listeners. Set it in `start`: what came
   * while the plugins were starting (a plugin's own post) is told once they all started, after the
   * host's listeners had it. Returns the function that stops hearing. `chat.close()` waits for what
   * the listener started before the plugins close; what it throws or rejects with is reported.
   * @example start: (tools) => void tools.onServerEvent('report', (report) => alertModerators(report))
   */
  onServerEvent<E extends ChatServerEventName>(
    event: E,
    listener: (...args: Parameters<ChatServerEvents[E]>) => void | Promise<void>,
  ): () => void;
  /**
   * Runs `run` once the server is ready (every plugin started; never when it failed to be), then
   * again `everyMs` (a whole number of ms, 1 to 2,147,483,647) after each run ends, on one process
   * of a cluster at a time (the store's lock named after the plugin: PostgreSQL's advisory lock; a
   * store no other process shares runs it here). `closing()` turns true as soon as `chat.close()`
   * is called: stop between two steps; `chat.close()` waits for a run under way. What a run throws
   * or rejects with is reported, and the next run tries again. Call it once, in `start` or later
   * (before `start` it throws): a plugin repeats one task.
   * @example start: (tools) => tools.repeat(3_600_000, async (closing) => { while (!closing() && (await sweepSome()) > 0); })
   */
  repeat(everyMs: number, run: (closing: () => boolean) => Promise<void>): void;
  /**
   * Who to tell of a stored message while they are away, and why (`direct`, `mention`, `thread`,
   * `message` for a member who follows the room at level `all`, in a room of up to the member
   * directory's small size): the room's stored members with no socket connected on any process,
   * never its sender, nor anyone at level `none` there, banned or removed. An ephemeral room has
   * no one to tell. The answer is the one of the message's first lookup, kept as long as the
   * message object (`onMessage`'s) is: push and the `notify` hook of a server with `push` share it.
   * Before telling someone later (a summary after a while), ask `online` again.
   * @example tools.onMessage(async ({ kind, room, message }) => { if (kind === 'stored') await email(await tools.awayRecipients(room, message)); })
   */
  awayRecipients(room: Room, message: Message): Promise<ReadonlyMap<string, AwayReason>>;
  /** Which of these users have a socket connected now, on any process. */
  online(userIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** A message of a room as stored now; null when there is none. */
  getMessage(roomId: string, messageId: string): Promise<Message | null>;
  /**
   * Sets a message's link previews (`[]`: removed), only while its text is still `text` and it is
   * not deleted; the room gets `message:updated` and a reconnecting reader catches up. Answers the
   * message as it is after.
   */
  setPreviews(roomId: string, messageId: string, previews: LinkPreview[], text: string): Promise<Message>;
  /**
   * Throws what a member writing in the room gets (`BANNED`, `MUTED`, `FORBIDDEN` in a frozen room;
   * slow mode's `RATE_LIMITED` for `'send'`): ask it before a user's vote or reaction-like change
   * (`'react'`), a signal such as typing (`'typing'`), or what a user starts that may post for them
   * (`'command'`: a slash command).
   */
  checkWrite(user: ChatUser, roomId: string, kind: 'send' | 'react' | 'typing' | 'command'): Promise<void>;
  /** A room as the server knows it now (its options say whether it is encrypted or ephemeral); null when there is none. */
  getRoom(roomId: string): Promise<Room | null>;
  /**
   * Posts a message as `user` on the path of every message: the room (not created here), `authorize`
   * asked `action`, bans, mutes, a frozen room and slow mode, the user's message rate,
   * `beforeMessage`, the store, then the room (not `exceptSocketId`, which gets it in its ack).
   * With `poll` or `question`, the message carries it from the start. A resend with the same `clientId` answers
   * the message stored.
   */
  postMessage(roomId: string, input: PluginMessageInput): Promise<Message>;
  /**
   * Sets a message's poll (its counts, its closing) unless it is deleted; the room gets
   * `message:updated` when it changed and a reconnecting reader catches up. Answers the message as
   * it is after.
   */
  setPoll(roomId: string, messageId: string, poll: Poll): Promise<Message>;
  /**
   * Sets a message's question (its upvotes, answered, hidden) unless it is deleted; the room gets
   * `message:updated` when it changed and a reconnecting reader catches up. Answers the message as
   * it is after.
   */
  setQuestion(roomId: string, messageId: string, question: Question): Promise<Message>;
}

/** A user's budget ({@link PluginTools.budget}): what a costly request takes beyond its one event. */
export interface PluginBudget {
  /**
   * Takes `events` (a whole number up to `limits.eventBurst`) more from the user's event budget
   * (every request took one already): 0 when taken, else how many ms to wait, and nothing is taken
   * (answer `RATE_LIMITED` with `retryAfter`).
   */
  takeEvents(events: number): number;
  /** Throws `RATE_LIMITED` while the user has been sent more history than the budget allows. */
  checkRead(): void;
  /** Counts messages sent to the user against the history budget (as join and history pages are). */
  chargeRead(messages: readonly Message[]): void;
}

/** What a plugin posts as a user ({@link PluginTools.postMessage}). */
export interface PluginMessageInput {
  user: ChatUser;
  /** The request's handshake, when there is one: `authorize` may read it. */
  handshake?: ChatHandshake;
  /** The sender's idempotency key. */
  clientId: string;
  text: string;
  /** What `authorize` is asked about, instead of `message:send`. */
  action: ChatAction;
  /** The socket that asked (`PluginRequest.socketId`): it gets the message in its ack, not as `message:new`. */
  exceptSocketId?: string;
  /** A poll the message carries (the `polls()` plugin). */
  poll?: Poll;
  /** A question the message carries (the `questions()` plugin). */
  question?: Question;
  /** Post it as a reply in the thread of this message of the room (as `message:send`'s `threadOf`). */
  threadOf?: string;
  /**
   * What `user` asked earlier and a moderator approved now (a question that waited): slow mode was
   * taken when they asked and is not taken again, nor their message rate (a moderator posts it
   * now); a ban, a mute and a frozen room still refuse.
   */
  reviewed?: boolean;
}

/** What a plugin asks `PluginTools.authorize` about: who, in which room, and the message acted on, if any. */
export interface PluginAuthorizeRequest {
  user: ChatUser;
  roomId: string;
  /** The request's handshake, when there is one: `authorize` may read it (cookies, headers). */
  handshake?: ChatHandshake;
  /** The message acted on, as stored now. */
  message?: Message;
}

/** A message a plugin hears of (`PluginTools.onMessage`): stored, its text edited, or deleted. */
export interface PluginMessageEvent {
  kind: 'stored' | 'edited' | 'deleted';
  /** The room, as the server knows it (its options say whether it is encrypted). */
  room: Room;
  message: Message;
  /** The message as it was before the edit or the deletion (none for `stored`). */
  previous?: Message;
}

/** Someone came into a room's presence or went ({@link PluginTools.onPresence}). */
export interface PluginPresenceEvent {
  /** `joined`: the user's first socket (or a bot) came into the room; `left`: the last one went. */
  kind: 'joined' | 'left';
  /** The room they came into or left. */
  roomId: string;
  /** The user's id (a bot's, for a bot). */
  userId: string;
}

/** The same plugin on the cluster's other processes: what one `send`s, the others' `on` handlers get. */
export interface PluginPeers {
  /** Sends JSON data to this plugin on every other process (nothing happens without a cluster). */
  send(data: unknown): void;
  /** Hears what this plugin on another process sent; set it in `start`. */
  on(handler: (data: unknown) => void): void;
}

/** What a plugin keeps about a person, for `chat.exportUser` and `chat.eraseUser`. */
export interface PersonalData<Part> {
  /** Everything the plugin keeps about the user, as JSON (it appears under `plugins.<name>` in the export). */
  export(userId: string, tools: PluginTools<Part>): Promise<unknown>;
  /** Removes it; run again after an erase cut short, so it must be idempotent. */
  erase(userId: string, tools: PluginTools<Part>): Promise<void>;
}

/** A plugin's part of a person's data, as `exportUser` and `eraseUser` walk it (the plugin's tools bound). */
export interface PersonalSource {
  readonly name: string;
  export(userId: string): Promise<unknown>;
  erase(userId: string): Promise<void>;
}

/** What every plugin may have; see {@link ChatPlugin}. */
export interface PluginBase<Part> {
  /** Unique among the server's plugins; names the plugin in errors, the join answer and exports. */
  readonly name: string;
  /** Client events with an ack. Two plugins naming one event make `createChatServer` throw. */
  readonly events?: PluginEvents<Part>;
  /**
   * REST routes under `chat.httpHandler()`, keyed by their first path segment (`prefix`). A prefix
   * is the plugin's own (another plugin naming it makes `createChatServer` throw), except the
   * kernel's shared `rooms` and `me`.
   */
  readonly routes?: readonly RestRoute[] | ((tools: PluginTools<Part>) => readonly RestRoute[]);
  /**
   * Routes that answer the request themselves, under one first path segment the plugin owns (a
   * file's bytes, a stream): with no sign-in unless they call `http.signIn()`.
   */
  readonly raw?: RawRoutes | ((tools: PluginTools<Part>) => RawRoutes);
  /** Added to every `room:join` answer as `plugins[name]` (undefined adds nothing): the room's state, caught up on every re-join. */
  joinAnswer?(request: { user: ChatUser; roomId: string }, tools: PluginTools<Part>): unknown;
  /** Called once when the server is ready (the store's `init()` done): start timers, subscribe. */
  start?(tools: PluginTools<Part>): void | Promise<void>;
  /** Ends the plugin's own work when the server closes, before the store closes. */
  close?(tools: PluginTools<Part>): void | Promise<void>;
}

/**
 * A feature of the chat server: its events, routes, store part, join answer and personal data.
 * A plugin with a store part says what it keeps about a person (`personalData`), or `'none'`.
 */
export type ChatPlugin<Part = undefined> = PluginBase<Part> &
  (
    | { readonly store?: undefined; readonly personalData?: PersonalData<Part> }
    | {
        /** What the plugin keeps, on every store (see {@link StorePart}). */
        readonly store: StorePart<Part>;
        /** What the plugin keeps about a person, for `chat.exportUser` and `chat.eraseUser`; `'none'` when it keeps nothing about anyone. */
        readonly personalData: PersonalData<Part> | 'none';
      }
  );

/** A plugin as `definePlugin` returns it, for the `plugins` option (its store part's type no longer shows). */
export interface DefinedPlugin {
  readonly name: string;
  /** The definition, as given. */
  readonly definition: ChatPlugin<unknown>;
}

/**
 * Defines a plugin for `createChatServer(http, { plugins: [...] })`. Its handlers, routes and
 * hooks are typed by its events (`CustomClientEvents`) and its store part.
 * @example const hands = definePlugin({ name: 'hands', events: { 'hand:raise': { payload: schema, handle: (req, tools) => ... } } })
 */
export function definePlugin<Part = undefined>(plugin: ChatPlugin<Part>): DefinedPlugin {
  // Erased to `unknown`: the server only hands each plugin the part its own `store` made.
  return Object.freeze({ name: plugin.name, definition: plugin as unknown as ChatPlugin<unknown> });
}
