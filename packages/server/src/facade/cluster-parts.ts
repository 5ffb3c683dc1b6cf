import { toChatError, type ChatError } from '@chat/protocol';
import type { BotHub } from '../capabilities/bots/index.js';
import type { CallService } from '../capabilities/calls/index.js';
import type { ChatCluster } from '../cluster/chat-cluster.js';
import { writeWholeFrames } from '../kernel/connection/whole-frames.js';
import { wentOffline } from '../capabilities/conversations/index.js';
import type { StatusSignals } from '../capabilities/conversations/index.js';
import type { PresenceRegistry } from '../core/presence-registry.js';
import type { TypingStore } from '../local/typing-store.js';
import type { ModerationHub } from '../capabilities/moderation/index.js';
import type { Capability } from '../core/capability.js';
import type { ChatStore } from '../core/chat-store.js';
import type { UploadRoutes } from '../capabilities/uploads/index.js';
import type { ChatIO, ChatServerOptions } from '../options.js';
import { largeRoomThreshold } from '../kernel/presence/occupancy.js';
import { PresenceCoalescer } from '../kernel/presence/presence-coalescer.js';
import type { RoomSignals } from '../kernel/rooms/room-signals.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import type { ErrorContext } from '../core/server-events.js';
import { TypingTracker } from '../kernel/presence/typing-tracker.js';

/** The parts of the chat server that the cluster's start rewires. */
export interface ClusterHost {
  ctx: CapabilityContext;
  io: ChatIO;
  calls: CallService;
  signals: RoomSignals;
  status: StatusSignals;
  bots: BotHub;
  moderationHub: ModerationHub;
  closed(): boolean;
  /** Work no request waits for: its failure is reported, and close() waits for it. */
  track(work: Promise<unknown>, event: string): void;
  report: (error: ChatError, where: ErrorContext) => void;
}

// Swaps in the cluster's presence, typing and ephemeral parts and its adapter, before any
// connection is accepted (the auth middleware waits for the server to be ready).
async function initCluster(host: ClusterHost, options: ChatServerOptions): Promise<void> {
  const cluster: ChatCluster | undefined = options.cluster;
  if (!cluster) return;
  const { ctx } = host;
  const parts = await cluster.init({
    nsp: ctx.nsp,
    presenceChanged: (roomId, userIds) => {
      for (const id of userIds) ctx.presenceDeltas.changed(roomId, id);
    },
    usersOffline: (users) => {
      if (!host.closed()) host.track(wentOffline(ctx, users), 'disconnect');
    },
    usersGone: (roomId, userIds) => {
      for (const id of userIds) {
        ctx.presenceDeltas.changed(roomId, id);
        ctx.typing.forget(roomId, id);
        ctx.bus.emit('presence:left', roomId, id);
      }
    },
    report: (error, event) => host.report(toChatError(error), { event }),
    resync: () => {
      host.bots.resync();
      // Signals sent meanwhile may be lost: cached standings are read again (rooms: recheckAll).
      host.moderationHub.standings.clear();
      host.signals.recheckAll().catch((error: unknown) => host.report(toChatError(error), { event: 'resync' }));
    },
  });
  ctx.presenceDeltas.close();
  ctx.typing.close();
  ctx.presence = parts.presence;
  if (parts.calls) host.calls.useStore(parts.calls);
  Object.assign(
    ctx,
    liveParts(() => ctx, ctx.nsp, parts.presence, parts.typing, options, host.report),
  );
  ctx.ephemeral = parts.ephemeral;
  if (parts.rates) ctx.rates = parts.rates;
  if (parts.collapse) ctx.collapse = parts.collapse;
  host.io.adapter(cluster.adapter() as Parameters<ChatIO['adapter']>[0]);
  writeWholeFrames(ctx.nsp.adapter);
  // Rooms ended or changed on another process: our sockets are told too.
  host.signals.listen();
  host.status.listen();
  host.bots.listen();
  host.moderationHub.listen();
}

// The presence coalescer and typing tracker over a registry and a typing store: built once
// for this process, again over the cluster's parts when there is a cluster. `ctx` is read when
// a delta goes out (its moderation), so it may be the context still being built.
export function liveParts(
  ctx: () => CapabilityContext,
  nsp: CapabilityContext['nsp'],
  presence: PresenceRegistry,
  typingStore: TypingStore,
  options: ChatServerOptions,
  report: (error: ChatError, where: ErrorContext) => void,
): Pick<CapabilityContext, 'presenceDeltas' | 'typing'> {
  const reportAs = (event: string) => (error: unknown) => report(toChatError(error), { event });
  return {
    presenceDeltas: new PresenceCoalescer(
      presence,
      // With each member's role and mute in the room (read from the moderation standings).
      (delta) => ctx().moderation.publishPresence(delta, (shown) => nsp.to(shown.roomId).emit('presence', shown)),
      options.presenceCoalesceMs ?? 50,
      reportAs('presence'),
      largeRoomThreshold(options.largeRoomThreshold),
    ),
    typing: new TypingTracker(
      typingStore,
      (event) => nsp.to(event.roomId).emit('typing', event),
      options.typingTimeoutMs ?? 5000,
      reportAs('typing'),
    ),
  };
}

/**
 * The server's readiness: the store's `init()`, the cluster's start (initCluster), the uploads'
 * `init()` and the capabilities'. A failure is reported and rejects it
 * (handled here too: unawaited, it is no unhandled rejection).
 */
export function whenReady(
  store: ChatStore,
  host: ClusterHost,
  options: ChatServerOptions,
  uploads: UploadRoutes | undefined,
  capabilities: readonly Capability[],
): Promise<void> {
  const ready = Promise.all([store.init?.(), initCluster(host, options), uploads?.init(), ...capabilities.map((c) => c.init?.())])
    .then(() => undefined)
    .catch((error: unknown) => {
      host.report(toChatError(error), {});
      throw error;
    });
  ready.catch(() => undefined);
  return ready;
}
