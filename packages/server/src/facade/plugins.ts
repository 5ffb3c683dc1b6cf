import { builtInError, toChatError, type ChatUser } from '@chat/protocol';
import type { Capability, EventHandler, RestRoute, SessionCaller } from '../core/capability.js';
import type { ChatStore } from '../core/chat-store.js';
import { userRoom } from '../core/ids.js';
import type { ChatPlugin, DefinedPlugin, PersonalSource, PluginHandler, PluginTools } from '../core/plugin.js';
import type { StandardSchemaV1 } from '../core/standard-schema.js';
import type { ServerContext } from '../kernel/context.js';
import { mayRead } from '../kernel/rooms/audience.js';

/** What the server's plugins add: capabilities for the kernel, join extras, personal data, start. */
export interface PluginSet {
  /** One capability per plugin, in the order given. */
  capabilities: Capability[];
  /** What the plugins add to a join answer, by plugin name. */
  joinExtras(user: ChatUser, roomId: string): Promise<Record<string, unknown> | undefined>;
  personal: PersonalSource[];
  /** Runs the plugins' `start` once the server is ready. */
  start(): Promise<void>;
}

type AnyPlugin = ChatPlugin<unknown>;
// An event as the kernel runs it: its types were the plugin author's (PluginEvents), checked there.
type LooseHandler = PluginHandler<unknown, unknown, unknown>;
type LooseEvent = LooseHandler | { payload: StandardSchemaV1; handle: LooseHandler };
type Emitter = { emit(event: string, data: unknown): boolean };

/**
 * The plugins given in `options.plugins`, made into what the kernel serves. Throws, naming the
 * plugin and the part, when the store provides no store part a plugin needs.
 */
export function pluginSet(plugins: readonly DefinedPlugin[], store: ChatStore, ctx: () => ServerContext): PluginSet {
  const made = plugins.map(({ definition: plugin }) => {
    const tools = toolsOf(plugin, partOf(plugin, store), ctx);
    return { plugin, tools, capability: capabilityOf(plugin, tools) };
  });
  const withJoin = made.filter(({ plugin }) => plugin.joinAnswer !== undefined);
  return {
    capabilities: made.map((m) => m.capability),
    joinExtras: async (user, roomId) => {
      if (withJoin.length === 0) return undefined;
      const answers = await Promise.all(
        withJoin.map(async ({ plugin, tools }): Promise<[string, unknown]> => [
          plugin.name,
          await plugin.joinAnswer?.({ user, roomId }, tools),
        ]),
      );
      const present = answers.filter(([, answer]) => answer !== undefined);
      return present.length > 0 ? Object.fromEntries(present) : undefined;
    },
    personal: made.flatMap(({ plugin, tools }) => {
      const data = plugin.personalData;
      return data
        ? [
            {
              name: plugin.name,
              export: (userId: string) => data.export(userId, tools),
              erase: (userId: string) => data.erase(userId, tools),
            },
          ]
        : [];
    }),
    start: async () => {
      for (const { plugin, tools } of made) await plugin.start?.(tools);
    },
  };
}

function partOf(plugin: AnyPlugin, store: ChatStore): unknown {
  const spec = plugin.store;
  if (!spec) return undefined;
  const part = store.part?.(spec);
  if (part === undefined) {
    throw new TypeError(
      `The plugin "${plugin.name}" needs the store part "${spec.name}", which this store does not provide. ` +
        'MemoryStore and PostgresStore provide it when the plugin gives a memory() or postgres() implementation; ' +
        'a store of your own provides it from its part(spec) method (docs/plugins.md).',
    );
  }
  return part;
}

function toolsOf(plugin: AnyPlugin, store: unknown, ctx: () => ServerContext): PluginTools<unknown> {
  // Custom events are not in the namespace's typed maps: the typing is the plugin's (PluginTools).
  const to = (room: string): Emitter => ctx().nsp.to(room);
  return {
    store,
    get limits() {
      return ctx().limits;
    },
    emitToRoom: (roomId, event, data) => void to(roomId).emit(event, data),
    emitToUser: (userId, event, data) => void to(userRoom(userId)).emit(event, data),
    isMember: (userId, roomId) => ctx().store.isMember(roomId, userId),
    mayRead: (user, roomId) => mayRead(ctx(), user, roomId),
    report: (error) => ctx().report(toChatError(error), { event: `plugin:${plugin.name}` }),
  };
}

function capabilityOf(plugin: AnyPlugin, tools: PluginTools<unknown>): Capability {
  const events: Record<string, EventHandler> = {};
  for (const [name, event] of Object.entries(plugin.events ?? {}) as [string, LooseEvent | undefined][]) {
    if (!event) continue;
    const schema = typeof event === 'function' ? undefined : event.payload;
    const handle = typeof event === 'function' ? event : event.handle;
    events[name] = async (caller: SessionCaller, raw: unknown) => {
      const payload = schema ? await checked(schema, raw, name) : raw;
      const roomId = roomIdOf(payload);
      if (roomId !== undefined) await caller.requireRoom(roomId);
      const request = {
        user: caller.user,
        payload,
        socketId: caller.socketId,
        handshake: caller.handshake,
        ...(roomId !== undefined && { roomId }),
      };
      return handle(request, tools);
    };
  }
  const routes: readonly RestRoute[] = typeof plugin.routes === 'function' ? plugin.routes(tools) : (plugin.routes ?? []);
  return { name: plugin.name, events, routes, ...(plugin.close && { close: () => plugin.close?.() }) };
}

function roomIdOf(payload: unknown): string | undefined {
  const roomId = typeof payload === 'object' && payload !== null ? (payload as { roomId?: unknown }).roomId : undefined;
  return typeof roomId === 'string' ? roomId : undefined;
}

/** The payload checked by the plugin's schema, or `VALIDATION_FAILED` naming the field and the event. */
async function checked(schema: StandardSchemaV1, payload: unknown, event: string): Promise<unknown> {
  const result = await schema['~standard'].validate(payload);
  if (!result.issues) return result.value;
  const issue = result.issues[0];
  const path = (issue?.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
  throw builtInError('VALIDATION_FAILED', `"${event}": ${path ? `${path}: ` : ''}${issue?.message ?? 'the payload is not valid.'}`);
}

// The kernel's shared REST resources: routes of several plugins live under them.
const SHARED_PREFIXES = new Set(['rooms', 'me']);

/**
 * Throws, naming both, when two capabilities (built-in or a host's) have one name, handle one
 * event (or one of the kernel's own, `kernelEvents`), or claim one REST prefix other than the
 * kernel's shared `rooms` and `me`.
 */
export function checkCapabilities(capabilities: readonly Capability[], kernelEvents: readonly string[]): void {
  const names = new Set<string>();
  const events = new Map<string, string>(kernelEvents.map((event) => [event, 'the chat server itself']));
  const prefixes = new Map<string, string>();
  for (const capability of capabilities) {
    const who = `"${capability.name}"`;
    if (names.has(capability.name)) throw new TypeError(`Two plugins are named ${who}: a plugin's name must be unique.`);
    names.add(capability.name);
    for (const event of eventsOf(capability)) {
      const owner = events.get(event);
      if (owner) throw new TypeError(`The event "${event}" is handled by both ${owner} and ${who}: an event belongs to one plugin.`);
      events.set(event, who);
    }
    const own = new Set([...(capability.routes ?? []).map((r) => r.prefix), ...(capability.raw ? [capability.raw.prefix] : [])]);
    for (const prefix of own) {
      if (SHARED_PREFIXES.has(prefix)) continue;
      const owner = prefixes.get(prefix);
      if (owner)
        throw new TypeError(`The REST prefix "/${prefix}" is claimed by both ${owner} and ${who}: a prefix belongs to one plugin.`);
      prefixes.set(prefix, who);
    }
  }
}

function eventsOf(capability: Capability): string[] {
  const none = (): never => {
    throw new Error('not called');
  };
  // Per-socket handler tables are made without calling a handler: their keys are the events.
  return [...Object.keys(capability.events ?? {}), ...Object.keys(capability.socketHandlers?.(none) ?? {})];
}
