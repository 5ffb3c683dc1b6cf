// The chat server's composition: every part it is made of, made and wired together in order
// (the capabilities checked before anything is attached to the HTTP server).
import type { Server as HttpServer } from 'node:http';
import type { Namespace } from 'socket.io';
import { builtInError, createPayloadSchemas, DEFAULT_LIMITS, toChatError } from '@chat/protocol';
import type { ChatError, ChatLimits, ClientToServerEvents, Message, Room, ServerToClientEvents } from '@chat/protocol';
import { guestAuthenticate } from '../auth/guest-authenticate.js';
// Every user (a custom authenticate's, the server API's) is checked and its name cleaned like a guest's.
import { checkUser } from '../auth/check-user.js';
import { originMiddleware } from '../auth/allowed-origins.js';
import type { Capability } from '../core/capability.js';
import type { ChatStore } from '../core/chat-store.js';
import { SocketSession } from '../kernel/connection/socket-session.js';
import { writeWholeFrames } from '../kernel/connection/whole-frames.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import { RoomSignals } from '../kernel/rooms/room-signals.js';
import { ROOM_CACHE_MS } from '../kernel/rooms/room-cache.js';
import type { ErrorContext } from '../core/server-events.js';
import { UserBudgets } from '../limits/user-budgets.js';
import { LocalPresence } from '../local/local-presence.js';
import { MemoryStore } from '../store/memory-store.js';
import { completeStore, requireParts, storeLacks } from '../core/complete-store.js';
import type { ChatIO, ChatServerOptions } from '../options.js';
import { createUploadRoutes } from '../capabilities/uploads/index.js';
import { StatusSignals } from '../capabilities/conversations/index.js';
import { BotHub, CommandRegistry, postAsServer } from '../capabilities/bots/index.js';
import { resolveWebhooks, Webhooks } from '../plugins/webhooks/index.js';
import { CallService } from '../capabilities/calls/index.js';
import { ModerationApi, ModerationHub } from '../capabilities/moderation/index.js';
import type { EraseParts } from '../capabilities/user-data/index.js';
import { resolveRetention } from '../plugins/retention/index.js';
import { BUILT_IN_JOIN_FIELDS, builtInPlugins, capabilitiesOf } from './capabilities.js';
import { whenReady } from './cluster-parts.js';
import { createContext } from './context.js';
import { filesPort } from './files-port.js';
import { handshakeMiddleware } from './handshake-middleware.js';
import { setHostEventHooks, type HostEvents } from './host-events.js';
import { updateRoom } from './host-rooms.js';
import { checkCapabilities, pluginSet } from './plugins.js';
import type { ShutdownParts } from './shutdown.js';
import { chatIo, connectionHandler } from './socket-server.js';

/** The parts of a chat server its methods use, and what `close()` stops. */
export interface ServerParts extends ShutdownParts {
  io: ChatIO;
  store: ChatStore;
  limits: Readonly<ChatLimits>;
  /** Resolves when the store, the cluster, uploads and the capabilities are ready and the plugins started. */
  ready: Promise<void>;
  signals: RoomSignals;
  moderation: ModerationApi;
  people: EraseParts;
  commands: CommandRegistry;
  capabilities: Capability[];
  bots: BotHub;
}

/** Makes the parts of `server` (its events go to the host), attached to `httpServer` unless `options.io` is given. */
export function composeServer(
  server: HostEvents,
  httpServer: HttpServer | undefined,
  options: ChatServerOptions,
  closed: () => boolean,
): ServerParts {
  // Made last, reached by the parts made before them through getters, which may run sooner: until
  // then they read undefined (checkCapabilities lists the capabilities' events with no context).
  // eslint-disable-next-line prefer-const -- declared first so that an early getter reads undefined, not a TDZ error
  let ctx: CapabilityContext, ready: Promise<void>, signals: RoomSignals, status: StatusSignals;
  const sessions = new Map<string, SocketSession>();
  const commands = new CommandRegistry();
  const onConnection = connectionHandler(() => ctx, sessions);
  const limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
  const schemas = createPayloadSchemas(limits);
  // Checked before anything is attached: a bad webhook URL must not leave a half-made server.
  const webhookTargets = resolveWebhooks(options.webhooks);
  // Its reports keep the name they always had (`event: 'webhook'`); shutdown closes it last.
  const webhooks = webhookTargets.length > 0 ? new Webhooks(webhookTargets, (error) => report(error, { event: 'webhook' })) : undefined;
  const retention = resolveRetention(options.retention ?? {});
  const ownsStore = options.store === undefined;
  const store = completeStore(options.store ?? new MemoryStore());
  requireParts(store, {
    ...(options.push && { push: 'push' }),
    ...(options.retention?.days !== undefined && { retention: 'retention.days' }),
  });
  const cluster = options.cluster;
  const calls = new CallService(() => ctx, options.calls);
  const moderationHub: ModerationHub = new ModerationHub(
    store,
    () => ctx,
    (socketId) => sessions.get(socketId),
    options.roomCacheMs ?? ROOM_CACHE_MS,
    (id, patch, actor) => updateRoom(ready, ctx, signals, id, patch, actor),
  );
  // Every capability, built-in or a host's plugin, is made and checked (one owner per event and
  // REST prefix, the store parts they need) before anything is attached to the HTTP server.
  const files = filesPort(options.uploads);
  const builtIn = builtInPlugins({
    typing: () => ctx.typing,
    schemas,
    search: () => ctx.store,
    retention,
    retentionStore: () => (storeLacks(ctx.store, 'retention') ? undefined : ctx.store),
    files,
    uploads: options.uploads,
    push: options.push,
    pushStore: () => ctx.store,
    collapse: () => ctx.collapse,
    commands,
    postAsServer: (room, draft) => postAsServer(ctx, room, draft),
    webhooks,
  });
  const pluginServer = { limits, clustered: () => cluster !== undefined, ready: () => ready, closed: () => closed() };
  const plugins = pluginSet({ builtIn, host: options.plugins ?? [], joinFields: BUILT_IN_JOIN_FIELDS }, store, () => ctx, pluginServer);
  const people = { files, plugins: plugins.personal };
  const uploads = options.uploads && createUploadRoutes(options.uploads, () => ctx);
  const builtInCapabilities = capabilitiesOf(() => ctx, { ...options, calls, people });
  const capabilities: Capability[] = [
    ...builtInCapabilities,
    ...(uploads ? [{ name: 'uploads', raw: uploads }] : []),
    ...plugins.capabilities,
  ];
  // The server's own names: its capabilities, its uploads' routes and its built-in plugins.
  const own = new Set([...builtInCapabilities.map((c) => c.name), 'uploads', ...builtIn.map((p) => p.definition.name)]);
  checkCapabilities(capabilities, SocketSession.events, own);
  const ownsIo = options.io === undefined;
  const { io, detach } = chatIo(httpServer, options, limits);
  const nsp: Namespace<ClientToServerEvents, ServerToClientEvents> = io.of(options.namespace ?? '/');
  writeWholeFrames(nsp.adapter);
  const presence = new LocalPresence();
  const budgets = new UserBudgets(limits);
  ctx = createContext(
    {
      capabilities,
      nsp,
      store,
      limits,
      schemas,
      presence,
      calls,
      files: people.files,
      moderationHub,
      events: server,
      ctx: () => ctx,
      report: (error, where) => report(error, where),
      track: (work, event) => track(work, event),
      statusChanged: (userId) => status.changed(userId),
      budget: (userId) => budgets.get(userId),
      joinExtras: (user, roomId) => plugins.joinExtras(user, roomId),
      authenticate: (handshake) => ready.then(() => authenticate(handshake)).then(checkUser),
    },
    options,
  );
  plugins.hear(ctx.bus);
  const bots = new BotHub(ctx);
  const moderation = new ModerationApi(ctx, () => ready);
  signals = new RoomSignals(ctx, sessions);
  status = new StatusSignals(ctx, (socketId) => sessions.get(socketId)?.rooms);
  ready = whenReady(
    store,
    {
      ctx,
      io,
      calls,
      signals,
      status,
      bots,
      moderationHub,
      closed: () => closed(),
      track: (work, event) => track(work, event),
      report: (error, where) => report(error, where),
    },
    options,
    uploads,
    capabilities,
  ).then(
    () => (closed() ? plugins.release() : plugins.start()),
    (error: unknown) => {
      plugins.release();
      throw error;
    },
  );
  // Said on chat.on('error') where it failed; a host that never awaits ready() must not get an unhandled rejection.
  ready.catch(() => undefined);

  const authenticate = options.authenticate ?? guestAuthenticate({ maxNameLength: limits.maxNameLength });
  // Before authenticate: a foreign page's cookies must not even reach it.
  if (options.allowedOrigins) nsp.use(originMiddleware(ctx.checkOrigin, () => closed()));
  nsp.use(
    handshakeMiddleware({
      ctx,
      budgets,
      ready,
      authenticate,
      closed: () => closed(),
    }),
  );
  nsp.on('connection', onConnection);
  // What the server itself does with its events, before the host's listeners: bots hear new
  // messages and leave ended rooms; the plugins hear them (webhooks are queued). (Not listeners:
  // `chat.off` cannot remove them.)
  setHostEventHooks(server, {
    emitted: (event, args) => {
      if (event === 'message') bots.heard(args[0] as Message);
      else if (event === 'room:ended') bots.ended((args[0] as Room).id);
      plugins.serverEvent(event, args);
    },
    failed: (event, error) => {
      if (event === 'error') console.error('[chat] an "error" listener threw:', error);
      else report(builtInError('INTERNAL', `A "${event}" listener threw.`, { cause: error }), { event });
    },
  });
  return {
    io,
    store,
    limits,
    ctx,
    ready,
    signals,
    moderation,
    people,
    commands,
    capabilities,
    onConnection,
    cluster,
    bots,
    calls,
    moderationHub,
    ownIo: ownsIo ? { io, detach } : undefined,
    ownStore: ownsStore ? store : undefined,
    uploads,
    budgets,
    webhooks,
  };

  // Work no request waits for: its failure is reported, and close() waits for it.
  function track(work: Promise<unknown>, event: string): void {
    const tracked = work.catch((error: unknown) => report(toChatError(error), { event }));
    ctx.inflight.add(tracked);
    void tracked.then(() => ctx.inflight.delete(tracked));
  }

  function report(error: ChatError, where: ErrorContext): void {
    if (server.listenerCount('error') > 0) server.emit('error', error, where);
    else console.error('[chat] %s', error.message, where, error.cause ?? '');
  }
}
