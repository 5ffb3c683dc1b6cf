import type { ChatLimits, ChatUser, RoomJoinResult } from '@chat/protocol';
import type { Capability } from '../core/capability.js';
import type { ChatStore } from '../core/chat-store.js';
import type { ChatPlugin, DefinedPlugin, PersonalSource } from '../core/plugin.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import type { ServerBus } from '../core/bus.js';
import { capabilityOf, toolsOf } from './plugin-capability.js';
import { pluginFailure } from './plugin-failure.js';
import { PresenceFeed } from './presence-feed.js';
import { ServerEventFeed } from './server-event-feed.js';

/** What the server's plugins add: capabilities for the kernel, join extras, personal data, start. */
export interface PluginSet {
  /** One capability per plugin, in the order given. */
  capabilities: Capability[];
  /**
   * What the plugins add to a join answer: `plugins`, by plugin name (absent when none adds
   * anything), and the fields of the join answer itself that built-ins answer (`joinFields`).
   */
  joinExtras(user: ChatUser, roomId: string): Promise<Partial<RoomJoinResult>>;
  personal: PersonalSource[];
  /** Hears the server's bus for the plugins' `onPresence` (once, when the context is made). */
  hear(bus: ServerBus): void;
  /** The chat server emitted one of its events (`chat.on`'s), for the plugins' `onServerEvent`. */
  serverEvent(event: string, args: readonly unknown[]): void;
  /**
   * Runs the plugins' `start` once the server is ready (a failure is reported, and rejects), then
   * tells them the presence held meanwhile; none starts once the server is closing.
   */
  start(): Promise<void>;
  /** The plugins will not start (the server closed first, or failed to be ready): nothing more is held for them. */
  release(): void;
}

type AnyPlugin = ChatPlugin<unknown>;

/**
 * The built-in plugins and those given in `options.plugins`, made into what the kernel serves (the
 * built-ins first: their reports name them bare, see plugin-capability.ts). Throws a sentence
 * naming the plugin when one is malformed (no name, a store part without `personalData`, a REST
 * prefix that is no path segment, see plugin-capability.ts), when two share a store part's name, and when the store
 * provides no store part a plugin needs.
 */
export function pluginSet(
  plugins: {
    builtIn: readonly DefinedPlugin[];
    host: readonly DefinedPlugin[];
    /** Built-ins whose join answer is a field of the join answer itself (older than `plugins`), by plugin name. */
    joinFields?: Readonly<Record<string, keyof RoomJoinResult>>;
  },
  store: ChatStore,
  ctx: () => CapabilityContext,
  server: { limits: Readonly<ChatLimits>; clustered: () => boolean; ready: () => Promise<void>; closed: () => boolean },
): PluginSet {
  const parts = new Map<string, string>();
  const presence = new PresenceFeed();
  // Held until the plugins started, which is before any socket connects (the handshake waits for it).
  const serverEvents = new ServerEventFeed();
  const builtIn = new Set(plugins.builtIn);
  const made = [...plugins.builtIn, ...plugins.host].map((defined) => {
    const plugin = defined.definition;
    checkPlugin(plugin, parts);
    const bound = toolsOf(plugin, partOf(plugin, store), ctx, { ...server, presence, serverEvents, builtIn: builtIn.has(defined) });
    const field = builtIn.has(defined) ? plugins.joinFields?.[plugin.name] : undefined;
    return { plugin, tools: bound.tools, begin: bound.begin, capability: capabilityOf(plugin, bound, ctx), field };
  });
  const withJoin = made.filter(({ plugin }) => plugin.joinAnswer !== undefined);
  // What was held goes to the plugins that started (and is held no longer).
  const release = () => {
    presence.open();
    serverEvents.open();
  };
  return {
    capabilities: made.map((m) => m.capability),
    joinExtras: async (user, roomId) => {
      if (withJoin.length === 0) return {};
      // A plugin whose answer failed is reported and left out: it must not fail the join.
      const answers = await Promise.all(
        withJoin.map(async ({ plugin, tools, field }): Promise<[string, unknown, string | undefined]> => {
          try {
            return [plugin.name, await plugin.joinAnswer?.({ user, roomId }, tools), field];
          } catch (error) {
            tools.report(pluginFailure(plugin.name, `failed to answer a join of "${roomId}"`, error));
            return [plugin.name, undefined, field];
          }
        }),
      );
      const byName: Record<string, unknown> = {};
      const fields: Record<string, unknown> = {};
      for (const [name, answer, field] of answers) {
        if (answer === undefined) continue;
        if (field === undefined) byName[name] = answer;
        else fields[field] = answer;
      }
      return { ...fields, ...(Object.keys(byName).length > 0 && { plugins: byName }) };
    },
    personal: made.flatMap(({ plugin, tools }) => {
      const data = plugin.personalData === 'none' ? undefined : plugin.personalData;
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
    release,
    hear: (bus) => presence.hear(bus),
    serverEvent: (event, args) => serverEvents.tell(event, args),
    start: async () => {
      for (const { plugin, tools, begin } of made) {
        if (server.closed()) break;
        begin();
        try {
          await plugin.start?.(tools);
        } catch (error) {
          // Said on chat.on('error') too, as the store's failing init is: a host may not await ready().
          tools.report(pluginFailure(plugin.name, 'failed to start', error));
          release();
          throw error;
        }
      }
      release();
    },
  };
}

function checkPlugin(plugin: AnyPlugin, parts: Map<string, string>): void {
  if (typeof plugin.name !== 'string' || plugin.name.trim() === '')
    throw new TypeError('A plugin needs a name (definePlugin({ name, ... })).');
  const who = `The plugin "${plugin.name}"`;
  const spec = plugin.store;
  if (!spec) return;
  if (plugin.personalData === undefined) {
    throw new TypeError(
      `${who} keeps a store part ("${spec.name}") but declares no personalData: say what it keeps about a person ` +
        "({ export, erase }), or personalData: 'none' when it keeps nothing about anyone.",
    );
  }
  const owner = parts.get(spec.name);
  if (owner)
    throw new TypeError(
      `The store part "${spec.name}" is named by both "${owner}" and "${plugin.name}": a part's name belongs to one plugin.`,
    );
  parts.set(spec.name, plugin.name);
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

// The kernel's shared REST resources: routes of several plugins live under them.
const SHARED_PREFIXES = new Set(['rooms', 'me']);

/**
 * Throws, naming both, when two capabilities (built-in or a host's) have one name, handle one
 * event (or one of the kernel's own, `kernelEvents`), or claim one REST prefix other than the
 * kernel's shared `rooms` and `me`. A host's plugin named as one of the server's own (`own`: its
 * built-in capabilities and plugins, listed first) is told that name is the server's.
 */
export function checkCapabilities(capabilities: readonly Capability[], kernelEvents: readonly string[], own: ReadonlySet<string>): void {
  const names = new Set<string>();
  const events = new Map<string, string>(kernelEvents.map((event) => [event, 'the chat server itself']));
  const prefixes = new Map<string, string>();
  for (const capability of capabilities) {
    const who = `"${capability.name}"`;
    if (names.has(capability.name)) {
      throw new TypeError(
        own.has(capability.name)
          ? `The plugin name ${who} is the chat server's own (its built-in ${who}): give your plugin another name.`
          : `Two plugins are named ${who}: a plugin's name must be unique.`,
      );
    }
    names.add(capability.name);
    for (const event of eventsOf(capability)) {
      const owner = events.get(event);
      if (owner) throw new TypeError(`The event "${event}" is handled by both ${owner} and ${who}: an event belongs to one plugin.`);
      events.set(event, who);
    }
    const claimed = new Set([...(capability.routes ?? []).map((r) => r.prefix), ...(capability.raw ? [capability.raw.prefix] : [])]);
    for (const prefix of claimed) {
      if (SHARED_PREFIXES.has(prefix)) continue;
      const owner = prefixes.get(prefix);
      if (owner) throw new TypeError(`The REST prefix "${prefix}" is claimed by both ${owner} and ${who}: a prefix belongs to one plugin.`);
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
