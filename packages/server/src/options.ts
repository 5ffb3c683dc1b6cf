import type { ServerOptions, Server } from 'socket.io';
import type {
  Attachment,
  ChatLimits,
  ChatUser,
  ClientToServerEvents,
  MemberRole,
  Message,
  Room,
  ServerToClientEvents,
} from '@chat/protocol';
import type { Authenticate, ChatHandshake } from './auth/handshake.js';
import type { ChatStore } from './store/chat-store.js';
import type { ChatCluster } from './cluster/chat-cluster.js';
import type { ChatUploads } from './uploads/chat-uploads.js';
import type { DiskUploads } from './uploads/disk-uploads.js';
import type { Notify } from './conversations/notify.js';
import type { WebhookOptions } from './webhooks/webhook-options.js';
import type { CallOptions } from './calls/call-options.js';

/**
 * Actions `authorize` is asked about. Without an `authorize` option the default policy
 * applies: private rooms are for the room's creator and stored members, `room:end` for its
 * creator, deleting others' messages for the room's owners and moderators, the rest is allowed.
 * Moderation actions (kick, ban, mute, roles, freeze) are decided by roles, not by `authorize`. Direct rooms admit only their members, whatever `authorize` says.
 */
export const ChatAction = {
  ROOM_JOIN: 'room:join',
  MESSAGE_SEND: 'message:send',
  MESSAGE_HISTORY: 'message:history',
  TYPING: 'typing',
  /** REST `POST /rooms`. */
  ROOM_CREATE: 'room:create',
  /** REST `GET /rooms` (asked once with `roomId: ''`, then `room:read` per room listed). */
  ROOM_LIST: 'room:list',
  /** REST `GET /rooms/:id`. */
  ROOM_READ: 'room:read',
  /** REST `POST /rooms/:id/end`. */
  ROOM_END: 'room:end',
  /** `message:edit`, REST `PATCH /rooms/:id/messages/:messageId`. Default: the author only. */
  MESSAGE_EDIT: 'message:edit',
  /** `message:delete`, REST `DELETE /rooms/:id/messages/:messageId`. Default: the author, and the room's owners and moderators (`ctx.role`). */
  MESSAGE_DELETE: 'message:delete',
  /** `reaction:add` and `reaction:remove`. Default: every member. */
  REACTION: 'reaction',
  /** REST `POST /uploads` (`roomId` is the room the file is for, '' when none was named). Default: allowed, but in a private room only for its creator. */
  UPLOAD: 'upload',
  /** `room:direct`: opening the direct room of the caller and others (`roomId` is its id; `room` is there once it exists). Default: allowed. */
  ROOM_DIRECT: 'room:direct',
  /** `presence:of`: asking who of some users is online, and when the others were last seen (`roomId` is ''). Default: allowed. */
  PRESENCE_OF: 'presence:of',
  /** `command:run`: running a slash command (`chat.command`) in a room the socket joined. Default: allowed. */
  COMMAND_RUN: 'command:run',
  /** `call:start` and `call:join` (`room` is the call's room). Default: every member of the room. */
  CALL: 'call',
} as const;
export type ChatAction = (typeof ChatAction)[keyof typeof ChatAction];

/** What `authorize` and `beforeMessage` know about a request. */
export interface ChatContext {
  user: ChatUser;
  /** The room acted on ('' for `room:list`). */
  roomId: string;
  /** The room acted on, when it exists. */
  room?: Room;
  /** With `message:edit`, `message:delete` and `reaction`: the message acted on, as stored before the change. */
  message?: Message;
  /** The socket's handshake; absent for server-side senders. */
  handshake?: ChatHandshake;
  /** True when `user` is a bot of the server (`chat.bot()`); never for a socket or REST caller. */
  bot?: boolean;
  /**
   * With `message:delete` of someone else's message: the user's role in the room (admins count as
   * `owner`). The default policy lets owners and moderators delete any message.
   */
  role?: MemberRole;
}

/** Decides whether `ctx.user` may do `action`; false means `FORBIDDEN`. */
export type Authorize = (action: ChatAction, ctx: ChatContext) => boolean | Promise<boolean>;

/** The part of a message `beforeMessage` may change. */
export interface MessageInput {
  text: string;
  attachments: Attachment[];
  replyTo?: string;
  /** User ids mentioned; the server keeps only those of users in the room. */
  mentions?: string[];
}

/** Rewrites or refuses (throw a `ChatError`) a message before it is stored. */
export type BeforeMessage = (draft: MessageInput, ctx: ChatContext) => MessageInput | Promise<MessageInput>;

/**
 * Which unknown rooms a join (or `chat.sendMessage`) creates: all (`true`), none (`false`),
 * ids matching a RegExp, or those a function allows. Other unknown rooms are `ROOM_NOT_FOUND`.
 * @example createRoomsOnJoin: /^lobby-/ // cita-* rooms exist only once the host created them
 */
export type CreateRoomsOnJoin = boolean | RegExp | ((roomId: string, user: ChatUser) => boolean | Promise<boolean>);

/** The Socket.IO server type the chat server uses. */
export type ChatIO = Server<ClientToServerEvents, ServerToClientEvents>;

/** Options of `createChatServer`. */
export interface ChatServerOptions {
  /** Where rooms and messages live. @default new MemoryStore() */
  store?: ChatStore;
  /** Who a connection is. @default guestAuthenticate() */
  authenticate?: Authenticate;
  /** May refuse any action with `FORBIDDEN`; replaces the default policy (see `ChatAction`). */
  authorize?: Authorize;
  /** Filters or enriches a message before it is stored; throw a `ChatError` to refuse it. */
  beforeMessage?: BeforeMessage;
  /**
   * Which rooms are created on their first join; joining any other unknown room gives
   * `ROOM_NOT_FOUND`. Limit it when the host creates rooms itself, so no one can take an id first.
   * @default true
   */
  createRoomsOnJoin?: CreateRoomsOnJoin;
  /** Socket.IO CORS options, for pages on another origin. */
  cors?: ServerOptions['cors'];
  /**
   * Browser origins (`https://app.example`, `http://localhost:5173`) allowed to connect, over
   * every transport and REST; any other Origin, `null` included, is refused with `FORBIDDEN`.
   * Requests without an Origin header (non-browser clients) pass. Unset: every origin passes.
   */
  allowedOrigins?: string[];
  /** Socket.IO path. @default '/socket.io' */
  path?: string;
  /** Reuse a Socket.IO server the app already has (then `cors`, `path` and `maxHttpBufferSize` are its own). */
  io?: ChatIO | Server;
  /** Namespace the chat runs on; use one of its own when sharing `io`. @default '/' */
  namespace?: string;
  limits?: Partial<ChatLimits>;
  /** Run as one of several processes: `redisCluster({ url })` from `@chat/server/redis`. */
  cluster?: ChatCluster;
  /** Window over which presence changes are coalesced into one event, in ms. @default 50 */
  presenceCoalesceMs?: number;
  /**
   * Members from which a room is large: its joins get the exact count and a first page of
   * members, not the whole list, and its presence deltas carry the count and a few members'
   * changes, at most once a second (see docs/protocol.md, "Large rooms"). @default 200
   */
  largeRoomThreshold?: number;
  /** A typing entry expires this long after its last signal, in ms. @default 5000 */
  typingTimeoutMs?: number;
  /** Sends reuse a room read this long ago (other processes' room changes show within it), in ms; 0 turns it off. @default 1000 */
  roomCacheMs?: number;
  /** A request the server has not answered in this time gets `INTERNAL`, in ms. @default 10000 */
  requestTimeoutMs?: number;
  /**
   * Files users attach: `diskUploads({ dir })` keeps them on this server (served by
   * `chat.httpHandler()`), or your own `{ sign }` sends them to an object store. Unset: no uploads.
   * @example uploads: diskUploads({ dir: './uploads', maxBytes: 5_000_000 })
   */
  uploads?: DiskUploads | ChatUploads;
  /**
   * Called for a direct message or a mention to a user with no connected socket (on any
   * process) who has not turned the room's notifications off, once per recipient, on the process
   * that stored the message: send an email or a push notification from here. Errors are
   * reported through `chat.on('error')` and never fail the send.
   * @example notify: (user, { kind, message }) => mailer.send(user.id, `${message.user.name}: ${message.text}`)
   */
  notify?: Notify;
  /**
   * Endpoints that get signed JSON POSTs of chat events (`X-Chat-Signature: sha256=<hex HMAC>`),
   * retried with backoff from a bounded queue, never holding up chat. URLs must be http(s).
   * See docs/bots.md.
   * @example webhooks: [{ url: 'https://bots.example/chat', events: ['message'], secret: process.env.WEBHOOK_SECRET! }]
   */
  webhooks?: WebhookOptions[];
  /**
   * Audio and video calls between members of a room: the chat connection carries the WebRTC
   * signalling, media flows peer to peer (up to `limits.maxCallParticipants` people). Unset: every
   * call event answers `FORBIDDEN`. See docs/calls.md.
   * @example calls: { iceServers: [{ urls: 'stun:stun.example.com:3478' }] }
   */
  calls?: CallOptions;
}
