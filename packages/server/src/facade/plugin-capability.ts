import { builtInError, ChatError, parsePayload, type ChatLimits, type Message, type Room } from '@chat/protocol';
import { messageInput } from '../core/message-input.js';
import { takeMessage } from '../kernel/connection/message-rate.js';
import type { Capability, EventHandler, RestRoute, SessionCaller } from '../core/capability.js';
import { userRoom } from '../core/ids.js';
import type { ChatPlugin, PluginAuthorizeRequest, PluginBudget, PluginHandler, PluginMessageInput, PluginTools } from '../core/plugin.js';
import type { ChatAction, ChatContext } from '../core/policy.js';
import type { StandardSchemaV1 } from '../core/standard-schema.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import { mayRead, readableRoom } from '../kernel/rooms/audience.js';
import { messagesCost, type UserBudget } from '../limits/user-budget.js';
import { readableRooms } from './readable-rooms.js';
import { noRoom, roomEnded } from '../kernel/rooms/membership.js';
import { authorizeOrThrow, openRoom } from '../kernel/rooms/open-room.js';
import { PeriodicTask } from '../kernel/periodic-task.js';
import { pluginFailure } from './plugin-failure.js';
import type { PresenceFeed } from './presence-feed.js';
import { isServerEventName, SERVER_EVENT_NAMES, type ServerEventFeed } from './server-event-feed.js';

// One plugin as the kernel serves it: its tools, and its events and routes as a Capability's.

type AnyPlugin = ChatPlugin<unknown>;
// An event as the kernel runs it: its types were the plugin author's (PluginEvents), checked there.
type LooseHandler = PluginHandler<unknown, unknown, unknown>;
type LooseEvent = LooseHandler | { payload: StandardSchemaV1; handle: LooseHandler; requireJoined?: boolean };
type Emitter = { emit(event: string, data: unknown): boolean };
/** The namespace's messages between processes (Socket.IO's `serverSideEmit`), untyped as plugins' data is. */
type Signals = { serverSideEmit(event: string, data: unknown): boolean; on(event: string, handler: (data: unknown) => void): void };
// A REST prefix is one path segment: a route under an empty prefix, or one with a `/`, never matches.
const PREFIX = /^[^/\s]+$/u;
// What `checkAllowed` refuses with: a "no" for `PluginTools.authorize` (a direct room hides itself as not found).
const REFUSALS = new Set(['FORBIDDEN', 'ROOM_NOT_FOUND', 'ROOM_ENDED']);

/** A plugin's tools, and what ends their own work when the server closes (the task it repeats). */
export interface BoundTools {
  tools: PluginTools<unknown>;
  /** The plugin's `start` is about to run: from now on it may `repeat`. */
  begin: () => void;
  close: () => Promise<void>;
}

/** What a plugin's tools know of their server beyond its context. */
export interface ToolsEnv {
  limits: Readonly<ChatLimits>;
  clustered: () => boolean;
  presence: PresenceFeed;
  serverEvents: ServerEventFeed;
  /** Resolves when the server is ready and every plugin started (rejects when one failed). */
  ready: () => Promise<void>;
  /** One of the server's built-ins: its reports name it bare. */
  builtIn: boolean;
  /** Whether `chat.close()` was called. */
  closed: () => boolean;
}

// setTimeout's longest delay: a longer one (or NaN, 0, a negative) fires at once, again and again.
const MAX_DELAY_MS = 2_147_483_647;

/**
 * What a plugin may do (`PluginTools`), bound to this server; `limits` are known before the context
 * is. What it reports names it as `plugin:<name>`, or as `<name>` for a built-in (`builtIn`), as
 * the server's own capabilities always named themselves (`event: 'retention'`).
 */
export function toolsOf(plugin: AnyPlugin, store: unknown, ctx: () => CapabilityContext, env: ToolsEnv): BoundTools {
  const { limits, clustered, presence, serverEvents, builtIn } = env;
  // Custom events are not in the namespace's typed maps: the typing is the plugin's (PluginTools).
  const to = (room: string): Emitter => ctx().nsp.to(room);
  const signals = () => ctx().nsp as unknown as Signals;
  const signal = `plugin:${plugin.name}`;
  const where = { event: builtIn ? plugin.name : `plugin:${plugin.name}` };
  const report = (error: unknown) => ctx().report(pluginFailure(plugin.name, 'failed', error), where);
  // What a listener does is tracked (close waits for it) and what it throws or rejects with
  // reported: the message, join or leave it hears of goes on.
  const heard = (listen: () => void | Promise<void>): void => {
    let work: void | Promise<void>;
    try {
      work = listen();
    } catch (error) {
      return report(error);
    }
    // Only work the listener left running is waited for (a sync listener adds nothing to close's wait).
    if (!(work instanceof Promise)) return;
    const { inflight } = ctx();
    const tracked = work.catch(report);
    inflight.add(tracked);
    void tracked.then(() => inflight.delete(tracked));
  };
  // Made now, so that the server's close stops it whenever `repeat` comes (a start ending after the close starts nothing).
  const task = new PeriodicTask(() => ctx().store, plugin.name, report, env.closed);
  let begun = false;
  let repeating = false;
  const tools: PluginTools<unknown> = {
    store,
    limits,
    emitToRoom: (roomId, event, data) => void to(roomId).emit(event, data),
    emitToLocalRoom: (roomId, event, data) => void (ctx().nsp.local.to(roomId) as Emitter).emit(event, data),
    peers: {
      send: (data) => void (clustered() && signals().serverSideEmit(signal, data)),
      on: (handler) => void signals().on(signal, handler),
    },
    emitToUser: (userId, event, data) => void to(userRoom(userId)).emit(event, data),
    isMember: (userId, roomId) => ctx().store.isMember(roomId, userId),
    mayRead: async (user, roomId, handshake) => {
      // Not a room id at all (too long, `#`...): no room anyone may read.
      if (!isRoomId(ctx(), roomId)) return false;
      return mayRead(ctx(), user, roomId, handshake);
    },
    readableRoom: async (user, roomId, handshake) => {
      if (!isRoomId(ctx(), roomId)) throw noRoom(roomId);
      return readableRoom(ctx(), roomId, user, handshake);
    },
    readableRooms: (user, handshake) => readableRooms(ctx(), user, handshake),
    budget: (userId) => budgetOf(ctx().budget(userId), limits.eventBurst),
    authorize: (action, request) => authorizeFor(ctx(), action, request),
    checkAllowed: (action, request) => checkAllowed(ctx(), action, request),
    report,
    onMessage: (listener) => {
      const bus = ctx().bus;
      const stored = (room: Room, message: Message) => heard(() => listener({ kind: 'stored', room, message }));
      const edited = (room: Room, message: Message, previous: Message) =>
        heard(() => listener({ kind: 'edited', room, message, previous }));
      const deleted = (room: Room, message: Message, previous: Message) =>
        heard(() => listener({ kind: 'deleted', room, message, previous }));
      bus.on('message:stored', stored);
      bus.on('message:edited', edited);
      bus.on('message:deleted', deleted);
      return () => {
        bus.off('message:stored', stored);
        bus.off('message:edited', edited);
        bus.off('message:deleted', deleted);
      };
    },
    onPresence: (listener) => presence.add((event) => heard(() => listener(event))),
    onServerEvent: (event, listener) => {
      if (!isServerEventName(event)) {
        throw new TypeError(
          `The plugin "${plugin.name}" called tools.onServerEvent("${String(event)}"): it hears one of ${SERVER_EVENT_NAMES}.`,
        );
      }
      // The arguments are the ones `chat.on` gets for this event (the feed is told what the server emits).
      const hear = listener as (...args: readonly unknown[]) => void | Promise<void>;
      return serverEvents.add(event, (args) => heard(() => hear(...args)));
    },
    awayRecipients: async (room, message) => new Map(await ctx().away.of(room, message, true)),
    online: async (userIds) => new Set((await ctx().presence.online([...userIds])).keys()),
    getMessage: (roomId, messageId) => ctx().store.getMessage(roomId, messageId),
    setPreviews: (roomId, messageId, previews, text) => ctx().messages.change(roomId, messageId, { type: 'previews', previews, text }, {}),
    checkWrite: async (user, roomId, kind) => {
      const room = isRoomId(ctx(), roomId) ? await ctx().rooms.get(roomId) : null;
      if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
      await ctx().guard.write(room, user, kind);
    },
    getRoom: async (roomId) => (isRoomId(ctx(), roomId) ? ctx().rooms.get(roomId) : null),
    postMessage: (roomId, input) => postAs(ctx(), roomId, input),
    setPoll: (roomId, messageId, poll) => ctx().messages.change(roomId, messageId, { type: 'poll', poll }, {}),
    setQuestion: (roomId, messageId, question) => ctx().messages.change(roomId, messageId, { type: 'question', question }, {}),
    repeat: (everyMs, run) => {
      const who = `The plugin "${plugin.name}"`;
      if (!begun) throw new TypeError(`${who} called tools.repeat before its start: call it in start(tools).`);
      if (repeating) throw new TypeError(`${who} called tools.repeat twice: a plugin repeats one task.`);
      if (!Number.isInteger(everyMs) || everyMs < 1 || everyMs > MAX_DELAY_MS)
        throw new TypeError(`${who} called tools.repeat(${everyMs}, ...): everyMs is a whole number of ms from 1 to ${MAX_DELAY_MS}.`);
      repeating = true;
      // The first run once the server is ready (every plugin started): none when it failed to be.
      task.start(everyMs, run, env.ready());
    },
  };
  return {
    tools,
    begin: () => void (begun = true),
    close: () => task.close(),
  };
}

/** `PluginTools.budget`: the user's budget, as much of it as a plugin may spend. */
function budgetOf(budget: UserBudget, burst: number): PluginBudget {
  return {
    takeEvents: (events) => {
      // More than the burst could never be taken: the client would be told to wait for ever.
      if (!Number.isInteger(events) || events < 0 || events > burst)
        throw new TypeError(`budget(...).takeEvents(${events}): a whole number of events from 0 to limits.eventBurst (${burst}).`);
      return budget.events.take(events);
    },
    checkRead: () => budget.checkRead(),
    chargeRead: (messages) => budget.readBytes.charge(messagesCost(messages)),
  };
}

/** `PluginTools.postMessage`: the checks of a socket's `message:send`, with the plugin's action. */
async function postAs(ctx: CapabilityContext, roomId: string, input: PluginMessageInput): Promise<Message> {
  const { user, handshake, clientId, text, action, exceptSocketId, poll, question, threadOf, reviewed = false } = input;
  const wait = reviewed ? 0 : await takeMessage(ctx, user.id);
  if (wait > 0) {
    throw builtInError('RATE_LIMITED', `You are sending messages too fast. Try again in ${Math.ceil(wait / 1000)} s.`, {
      retryAfter: wait,
    });
  }
  const { room, chatContext } = await openRoom(ctx, action, roomId, user, handshake, false);
  // 'typing': a ban, a mute and a frozen room as for a message, but no slow mode (taken when it was asked).
  await ctx.guard.write(room, user, reviewed ? 'typing' : 'send');
  const checked = parsePayload(ctx.schemas['message:send'], { roomId, clientId, text, ...(threadOf !== undefined && { threadOf }) });
  const carried = { ...(poll && { poll }), ...(question && { question }) };
  return ctx.messages.post(chatContext, clientId, { ...messageInput(checked), ...carried }, exceptSocketId);
}

/** Whether `roomId` is a room id at all (too long, `#`...: no room). */
function isRoomId(ctx: CapabilityContext, roomId: string): boolean {
  try {
    parsePayload(ctx.schemas.roomId, roomId);
    return true;
  } catch {
    return false;
  }
}

/**
 * `PluginTools.checkAllowed`: the room as it is, the user's role in it (moderation's port), then
 * `authorize` or the default policy, which throw their refusal.
 */
async function checkAllowed(ctx: CapabilityContext, action: ChatAction, request: PluginAuthorizeRequest): Promise<void> {
  const { user, roomId, handshake, message } = request;
  const room = isRoomId(ctx, roomId) ? await ctx.rooms.get(roomId) : null;
  if (!room) throw noRoom(roomId);
  if (room.endedAt) throw roomEnded();
  const chatContext: ChatContext = { user, roomId, room, role: await ctx.guard.roleIn(room, user) };
  if (handshake) chatContext.handshake = handshake;
  if (message) chatContext.message = message;
  await authorizeOrThrow(ctx, action, chatContext);
}

/** `PluginTools.authorize`: `checkAllowed`, a refusal answered as false (a store failure is thrown). */
async function authorizeFor(ctx: CapabilityContext, action: ChatAction, request: PluginAuthorizeRequest): Promise<boolean> {
  try {
    await checkAllowed(ctx, action, request);
    return true;
  } catch (error) {
    if (error instanceof ChatError && REFUSALS.has(error.code)) return false;
    throw error;
  }
}

/** The plugin's events and routes as the kernel serves a capability's. */
export function capabilityOf(plugin: AnyPlugin, { tools, close }: BoundTools, ctx: () => CapabilityContext): Capability {
  const events: Record<string, EventHandler> = {};
  for (const [name, event] of Object.entries(plugin.events ?? {}) as [string, LooseEvent | undefined][]) {
    if (!event) continue;
    const schema = typeof event === 'function' ? undefined : event.payload;
    const handle = typeof event === 'function' ? event : event.handle;
    const joined = typeof event === 'function' || event.requireJoined !== false;
    events[name] = async (caller: SessionCaller, raw: unknown) => {
      const payload = schema ? await checked(schema, raw, name) : raw;
      const roomId = roomIdOf(ctx(), payload, name);
      if (roomId !== undefined && joined) await caller.requireJoined(roomId);
      // `request.roomId` is a room the socket is in: an event that does not ask for one reads the payload's.
      const request = {
        user: caller.user,
        payload,
        socketId: caller.socketId,
        handshake: caller.handshake,
        ...(roomId !== undefined && joined && { roomId }),
      };
      return handle(request, tools);
    };
  }
  const routes: readonly RestRoute[] = typeof plugin.routes === 'function' ? plugin.routes(tools) : (plugin.routes ?? []);
  for (const { prefix } of routes) {
    if (!PREFIX.test(prefix))
      throw new TypeError(`The plugin "${plugin.name}" has a REST route with the prefix "${prefix}": a prefix is one path segment.`);
  }
  const raw = typeof plugin.raw === 'function' ? plugin.raw(tools) : plugin.raw;
  if (raw && !PREFIX.test(raw.prefix))
    throw new TypeError(`The plugin "${plugin.name}" has raw routes with the prefix "${raw.prefix}": a prefix is one path segment.`);
  // The task it repeats stops first (a run under way ends), then the plugin's own close.
  const closeAll = async () => {
    await close();
    await plugin.close?.(tools);
  };
  return { name: plugin.name, events, routes, ...(raw && { raw }), close: closeAll };
}

/**
 * The payload's `roomId`, checked as every room id is: a payload that names a room with anything
 * but a room id (a number, an array, `#...`) is `VALIDATION_FAILED`, never a request about no room.
 */
function roomIdOf(ctx: CapabilityContext, payload: unknown, event: string): string | undefined {
  // A `roomId` key whose value is undefined (a parser other than JSON may carry one) names no room.
  if (typeof payload !== 'object' || payload === null || !('roomId' in payload) || payload.roomId === undefined) return undefined;
  try {
    return parsePayload(ctx.schemas.roomId, payload.roomId);
  } catch (error) {
    throw builtInError('VALIDATION_FAILED', `"${event}": roomId: ${error instanceof ChatError ? error.message : 'not a room id.'}`);
  }
}

/** The payload checked by the plugin's schema, or `VALIDATION_FAILED` naming the field and the event. */
async function checked(schema: StandardSchemaV1, payload: unknown, event: string): Promise<unknown> {
  const result = await schema['~standard'].validate(payload);
  if (!result.issues) return result.value;
  const issue = result.issues[0];
  const path = (issue?.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
  throw builtInError('VALIDATION_FAILED', `"${event}": ${path ? `${path}: ` : ''}${issue?.message ?? 'the payload is not valid.'}`);
}
