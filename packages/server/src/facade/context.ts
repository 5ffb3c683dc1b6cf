import { toChatError, type ChatError, type ChatLimits, type ChatUser, type PayloadSchemas, type RoomJoinResult } from '@chat/protocol';
import { createOriginCheck } from '../auth/allowed-origins.js';
import type { CallService } from '../capabilities/calls/index.js';
import type { Capability } from '../core/capability.js';
import type { FilesPort } from '../core/ports.js';
import { messagePort } from '../capabilities/messages/index.js';
import { writeGuard } from '../capabilities/moderation/index.js';
import { createServerBus } from '../kernel/bus.js';
import { RequestDeadlines } from '../kernel/connection/request-deadlines.js';
import { CLUSTER_MEMBERS_MS, LONE_MEMBERS_MS, MemberDirectory } from '../kernel/rooms/member-directory.js';
import { AwayRecipients } from '../kernel/rooms/away-recipients.js';
import { ReservedNames } from '../kernel/rooms/reserved-names.js';
import { ReadCoalescer } from '../capabilities/conversations/index.js';
import { publishRead } from '../capabilities/conversations/index.js';
import type { ChatStore } from '../core/chat-store.js';
import type { UserBudget } from '../limits/user-budget.js';
import type { LocalPresence } from '../local/local-presence.js';
import { LocalTypingStore } from '../local/typing-store.js';
import { ReactionCoalescer } from '../capabilities/messages/index.js';
import type { ModerationHub } from '../capabilities/moderation/index.js';
import type { ChatServerOptions } from '../options.js';
import { ROOM_CACHE_MS, RoomCache } from '../kernel/rooms/room-cache.js';
import { LocalEphemeralLog } from '../store/ephemeral-log.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import type { ChatServerEventEmitter, ErrorContext } from '../core/server-events.js';
import { liveParts } from './cluster-parts.js';

/** Reaction updates of one message go out at most once per this window, per process. */
const REACTION_COALESCE_MS = 100;
/** Read receipts of one reader in one room go out at most once per this window, per process. */
const READ_COALESCE_MS = 1000;

/** What the context is made of that the chat server holds, and what it calls back into. */
export interface ContextHost {
  nsp: CapabilityContext['nsp'];
  store: ChatStore;
  limits: Readonly<ChatLimits>;
  /** The payloads' schemas under those limits. */
  schemas: PayloadSchemas;
  presence: LocalPresence;
  calls: CallService;
  /** The uploads' storage (facade/files-port.ts). */
  files: FilesPort;
  moderationHub: ModerationHub;
  events: ChatServerEventEmitter;
  /** The context made here, once it is (the parts made with it reach it later). */
  ctx: () => CapabilityContext;
  report: (error: ChatError, where: ErrorContext) => void;
  /** Work no request waits for: its failure is reported, and close() waits for it. */
  track: (work: Promise<unknown>, event: string) => void;
  statusChanged: (userId: string) => void;
  budget: (userId: string) => UserBudget;
  authenticate: CapabilityContext['authenticate'];
  /** What the plugins add to a join answer: `RoomJoinResult.plugins`, by plugin name, and the fields built-ins answer (`commands`). */
  joinExtras(user: ChatUser, roomId: string): Promise<Partial<RoomJoinResult>>;
  /** The capabilities (facade/capabilities.ts): their events go into the context, their listeners onto its bus. */
  capabilities: readonly Capability[];
}

/** The context every part of the server works with: the store, this process's parts, the options' policies. */
export function createContext(host: ContextHost, options: ChatServerOptions): CapabilityContext {
  const nsp = host.nsp;
  const { capabilities } = host;
  const joining = capabilities.filter((c) => c.joinAnswer !== undefined);
  const guard = writeGuard(host.ctx);
  const ctx: CapabilityContext = {
    nsp,
    store: host.store,
    rooms: new RoomCache(host.store, options.roomCacheMs ?? ROOM_CACHE_MS),
    limits: host.limits,
    schemas: host.schemas,
    presence: host.presence,
    ...liveParts(host.ctx, nsp, host.presence, new LocalTypingStore(), options, host.report),
    ephemeral: new LocalEphemeralLog(),
    reactions: new ReactionCoalescer(
      (message, except) => (except ? nsp.to(message.roomId).except(except) : nsp.to(message.roomId)).emit('message:updated', message),
      (roomId, id, ephemeral) => (ephemeral ? host.ctx().ephemeral.get(roomId, id) : host.store.getMessage(roomId, id)),
      REACTION_COALESCE_MS,
      (error) => host.report(toChatError(error), { event: 'message:updated' }),
    ),
    reads: new ReadCoalescer((roomId, userId, seq) => host.track(publishRead(host.ctx(), roomId, userId, seq), 'read'), READ_COALESCE_MS),
    // A server alone makes every membership change itself (and forgets the room then): it keeps them longer.
    members: new MemberDirectory(host.store, options.cluster ? CLUSTER_MEMBERS_MS : LONE_MEMBERS_MS),
    // Push tells members at level `all` of every message; `notify` only of direct messages and mentions.
    away: new AwayRecipients(host.ctx, options.push !== undefined),
    reservedNames: new ReservedNames(),
    notify: options.notify,
    calls: host.calls,
    files: host.files,
    userStatusChanged: host.statusChanged,
    authorize: options.authorize,
    beforeMessage: options.beforeMessage,
    createRoomsOnJoin: options.createRoomsOnJoin ?? true,
    ownerOnJoin: options.ownerOnJoin ?? false,
    checkOrigin: createOriginCheck(options.allowedOrigins),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    deadlines: new RequestDeadlines(options.requestTimeoutMs ?? 10_000),
    events: host.events,
    budget: host.budget,
    authenticate: host.authenticate,
    inflight: new Set(),
    report: host.report,
    handlers: new Map(capabilities.flatMap((c) => Object.entries(c.events ?? {}))),
    socketHandlers: capabilities.flatMap((c) => (c.socketHandlers ? [c.socketHandlers] : [])),
    joinParts: async (user, room) => {
      const [extras, ...parts] = await Promise.all([
        host.joinExtras(user, room.id),
        ...joining.map(async (c) => c.joinAnswer?.(user, room)),
      ]);
      return Object.assign({}, ...parts, extras) as Partial<RoomJoinResult>;
    },
    messages: messagePort(host.ctx),
    guard,
    bans: guard,
    memberView: (room, members) => host.moderationHub.decorate(room, members),
    bus: createServerBus(),
    clustered: () => options.cluster !== undefined,
    moderation: host.moderationHub,
  };
  for (const capability of capabilities) capability.listen?.(ctx.bus);
  closers.set(ctx, capabilities);
  return ctx;
}

// The capabilities of each context, for closeContext (the context itself does not list them).
const closers = new WeakMap<CapabilityContext, readonly Capability[]>();

/** What closing stops besides the context (the same call service and moderation hub as in it). */
export interface ClosingParts {
  calls: CallService;
  moderationHub: ModerationHub;
}

/**
 * Stops the context's parts, once the sockets are gone: waits for the work under way (the
 * removals of those sockets, whose `left` deltas must go out: other processes' clients would
 * otherwise keep them as members), then closes the coalescers, trackers and presence.
 */
export async function closeContext(ctx: CapabilityContext, parts: ClosingParts): Promise<void> {
  // Work that begins meanwhile is waited for too, in up to 5 rounds (a request under way at close
  // stored its message, whose announcements then began). A request still running after the last
  // round is not waited for: what it starts then may find the cluster closed, and is reported.
  for (let round = 0; round < 5 && ctx.inflight.size > 0; round++) await Promise.allSettled([...ctx.inflight]);
  await Promise.allSettled((closers.get(ctx) ?? []).map(async (c) => c.close?.()));
  // With a cluster, the last presence deltas are flushed to it.
  if (ctx.clustered()) await ctx.presenceDeltas.flush();
  ctx.presenceDeltas.close();
  ctx.typing.close();
  ctx.reactions.close();
  parts.calls.close();
  ctx.reads.close();
  ctx.members.clear();
  parts.moderationHub.close();
  await ctx.presence.close();
}
