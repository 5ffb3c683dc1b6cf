import type { ServerOptions, Server } from 'socket.io';
import type { ChatLimits, ClientToServerEvents, ServerToClientEvents } from '@chat/protocol';
import type { Authenticate } from './core/handshake.js';
import type { ChatStoreCore } from './core/chat-store.js';
import type { ChatCluster } from './cluster/chat-cluster.js';
import type { ChatUploads } from './capabilities/uploads/index.js';
import type { DiskUploads } from './capabilities/uploads/index.js';
import type { Notify } from './core/notify.js';
import type { WebPush } from './plugins/push/index.js';
import type { WebhookOptions } from './plugins/webhooks/index.js';
import type { CallOptions } from './capabilities/calls/index.js';
import type { RetentionOptions } from './plugins/retention/index.js';
import type { DefinedPlugin } from './core/plugin.js';

import type { Authorize, BeforeMessage, CreateRoomsOnJoin } from './core/policy.js';

export { ChatAction } from './core/policy.js';
export type { ChatContext, MessageInput } from './core/policy.js';

/** The Socket.IO server type the chat server uses. */
export type ChatIO = Server<ClientToServerEvents, ServerToClientEvents>;

/** Options of `createChatServer`. */
export interface ChatServerOptions {
  /**
   * Where rooms and messages live: a store with the core (`ChatStoreCore`) and the parts it
   * provides; `MemoryStore` and `PostgresStore` provide every one (docs/storage.md). @default new MemoryStore()
   */
  store?: ChatStoreCore;
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
  /**
   * Whether a room created by a join makes the user who joined first its creator, and so its
   * `owner` (who may delete others' messages, kick, ban, mute, freeze and end the room). Off by
   * default: in a public lobby the first guest to arrive must not moderate it. Rooms the host
   * creates (`chat.createRoom`, REST `POST /rooms`) keep their creator either way; give
   * moderators roles with `chat.setRole` or `authenticate`'s `roles: ['admin']`.
   * @default false
   */
  ownerOnJoin?: boolean;
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
  /**
   * How long a process reuses its copy of a room and of its bans, mutes and roles, in ms; 0 turns
   * the copies off. A change made through any chat server of the cluster reaches every process at
   * once (it is answered after each one forgot its copy), so this bounds only a process that missed
   * that signal, or a change written to the store directly. @default 10000
   */
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
   * Web Push notifications to users who are away, on every device they subscribed
   * (`client.push.subscribe`): direct messages, mentions, and rooms at level `all`. Unset: the push
   * events and routes answer `FORBIDDEN`. See docs/server.md, "Push notifications".
   * @example push: webPush({ publicKey: process.env.VAPID_PUBLIC!, privateKey: process.env.VAPID_PRIVATE!, subject: 'mailto:ops@example.com' })
   */
  push?: WebPush;
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
  /**
   * How long messages are kept: older ones are deleted (with their reactions and files) in small
   * batches, hourly, on one process of a cluster at a time. A room's `options.retentionDays`
   * overrides `days`. Unset: messages are kept, except in rooms with their own. See docs/storage.md.
   * @example retention: { days: 90 }
   */
  retention?: RetentionOptions;
  /**
   * Features of your own, in the shape the built-in ones have (`definePlugin`): client events with
   * acks, REST routes, a store part, what they add to a join, a person's data. See docs/plugins.md.
   * @example plugins: [raiseHand]
   */
  plugins?: readonly DefinedPlugin[];
}
