import type { Namespace } from 'socket.io';
import type {
  ChatError,
  ChatLimits,
  ChatUser,
  ClientToServerEvents,
  Member,
  PayloadSchemas,
  Room,
  RoomJoinResult,
  ServerToClientEvents,
} from '@chat/protocol';
import type { Authorize, BeforeMessage, CreateRoomsOnJoin } from '../core/policy.js';
import type { OriginCheck } from '../auth/allowed-origins.js';
import type { PresenceRegistry } from '../core/presence-registry.js';
import type { PresenceCoalescer } from './presence/presence-coalescer.js';
import type { ChatStore } from '../core/chat-store.js';
import type { RoomCache } from './rooms/room-cache.js';
import type { ChatServerEventEmitter } from '../core/server-events.js';
import type { UserBudget } from '../limits/user-budget.js';
import type { ChatHandshake } from '../core/handshake.js';
import type { EphemeralLog } from '../store/ephemeral-log.js';
import type { MemberDirectory } from './rooms/member-directory.js';
import type { ReservedNames } from './rooms/reserved-names.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { BanCheck, SocketHandlers } from '../core/ports.js';
import type { RequestDeadlines } from './connection/request-deadlines.js';
import type { EventHandler } from '../core/capability.js';
import type { ServerBus } from '../core/bus.js';

/**
 * What the parts of one chat server share; built once by `ChatServer`. It names no capability:
 * what the kernel needs of them comes through the bus (a socket left, a room ended), the
 * capabilities' `joinAnswer`, and the audience rule's bans; the capabilities' own ports are in
 * their context (`capabilities/capability-context.ts`).
 */
export interface ServerContext {
  nsp: Namespace<ClientToServerEvents, ServerToClientEvents>;
  store: ChatStore;
  /** Rooms as sends see them (short-lived cache over the store). */
  rooms: RoomCache;
  limits: Readonly<ChatLimits>;
  schemas: PayloadSchemas;
  presence: PresenceRegistry;
  presenceDeltas: PresenceCoalescer;
  ephemeral: EphemeralLog;
  /** Who the stored members of busy rooms are (briefly cached), for activity, receipts and notifications. */
  members: MemberDirectory;
  /** Names no person may take (`Server`, this process's bots'): a join with one is `NAME_TAKEN`. */
  reservedNames: ReservedNames;
  authorize: Authorize | undefined;
  beforeMessage: BeforeMessage | undefined;
  createRoomsOnJoin: CreateRoomsOnJoin;
  /** A room a join creates makes the joining user its creator and owner (`ownerOnJoin`). */
  ownerOnJoin: boolean;
  /** Refuses a foreign Origin (`allowedOrigins`) with `FORBIDDEN`; passes all without the option. */
  checkOrigin: OriginCheck;
  requestTimeoutMs: number;
  /** When each socket request in flight must be answered by (`requestTimeoutMs`): one timer for all. */
  deadlines: RequestDeadlines;
  events: ChatServerEventEmitter;
  /** What a user may still cost the server (shared by the user's sockets and REST calls). */
  budget(userId: string): UserBudget;
  /** The server's `authenticate`, once ready, with its result checked (for token refreshes). */
  authenticate(handshake: ChatHandshake): Promise<ChatUser>;
  /** Work still running for sockets that went away (presence removals); `close()` waits for it. */
  inflight: Set<Promise<unknown>>;
  /** The capabilities' handlers of client events beyond the session's own, one table for every socket (messages, typing, commands). */
  handlers: ReadonlyMap<string, EventHandler>;
  /** The capabilities' handlers of client events made per socket (conversations, moderation, calls). */
  socketHandlers: readonly SocketHandlers[];
  /** What the capabilities and plugins add to a join's answer (a room's calls, the commands, `plugins`). */
  joinParts(user: ChatUser, room: Room): Promise<Partial<RoomJoinResult>>;
  /** The bans of the audience rule, asked by joins and by requests about a room from outside it. */
  bans: BanCheck;
  /** Members as everyone sees them in a room (with their roles there and mutes in force). */
  memberView(room: Room, members: readonly Member[]): Promise<Member[]>;
  /** The server's internal events: a capability announces, others listen. */
  bus: ServerBus;
  /** Other processes share this server's rooms (the `cluster` option): what each must do is signalled to all. */
  clustered(): boolean;
  /** Rate limits shared by the cluster's processes (in Redis); absent without a cluster (each process counts alone). */
  rates?: RateLimiter;
  /** Reports an unexpected error through `chat.on('error')`. */
  report(error: ChatError, where: { event?: string; socketId?: string }): void;
}
