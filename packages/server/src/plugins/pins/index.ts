// Pins as a plugin: `plugins: [pins()]`. A room's owners and moderators pin a few of its messages
// (announcements, rules); everyone in the room sees the list in the join answer and by
// `pins:updated`, kept right when a pinned message is edited or deleted (docs/live-events.md).
import { pinPayloadSchema, type Message, type PinnedList } from '@chat/protocol';
import { ERASED_USER } from '../../core/chat-store.js';
import { definePlugin, type DefinedPlugin, type PluginTools } from '../../core/plugin.js';
import { PinBoard } from './pin-board.js';
import { PIN_STORE, type PinStore } from './pin-store.js';
import { pinsConfig, type PinsOptions } from './pins-options.js';
import { pinsRoute } from './pins-route.js';

export { DEFAULT_MAX_PINS, type PinsOptions } from './pins-options.js';
export type { PinStore, StoredPin } from './pin-store.js';

/** Who the host's own pins name as who pinned them, unless `by` says. */
const HOST = 'server';

/**
 * The pins plugin, with what the host's code may do itself (no `authorize` asked): pin a message
 * it sent as an announcement. It acts on the one server it was listed in and that is running.
 */
export interface PinsPlugin extends DefinedPlugin {
  /**
   * Pins a message of a room as the host (`by`: who the store names as who pinned it, default
   * `'server'`); the room gets `pins:updated`. Answers the room's list.
   * @example const sent = await chat.sendMessage('town-hall', { user: host, text: 'Q&A at 3pm' }); await pinned.pin('town-hall', sent.id);
   */
  pin(roomId: string, messageId: string, options?: { by?: string }): Promise<PinnedList>;
  /** Unpins a message of a room as the host; the room gets `pins:updated`. */
  unpin(roomId: string, messageId: string): Promise<PinnedList>;
  /** A room's pinned messages, newest pin first, as stored now. */
  pinned(roomId: string): Promise<Message[]>;
}

/**
 * Pins: `message:pin` / `message:unpin { roomId, messageId }` for the room's owners and moderators
 * (or whom `authorize` allows the action `'pin'`), at most `maxPins` a room; the list in every
 * join answer (`plugins.pins`), in `pins:updated` and from `GET /rooms/:id/pins`.
 * @example createChatServer(httpServer, { plugins: [pins({ maxPins: 3 })] })
 */
export function pins(options: PinsOptions = {}): PinsPlugin {
  const { maxPins } = pinsConfig(options);
  const schema = pinPayloadSchema();
  // Per server (its tools): one plugin value may serve several servers of one process.
  const boards = new WeakMap<PluginTools<PinStore>, PinBoard>();
  const running = new Map<PluginTools<PinStore>, { stop: () => void; work: Set<Promise<void>> }>();
  const of = (tools: PluginTools<PinStore>) => {
    let board = boards.get(tools);
    if (!board) boards.set(tools, (board = new PinBoard(tools, maxPins)));
    return board;
  };
  const hosted = () => {
    const [tools, ...others] = running.keys();
    if (!tools) throw new Error('pins(): the server this plugin is listed in is not running (await chat.ready() first).');
    if (others.length > 0) throw new Error('pins(): this plugin serves several servers; make one pins() per server to pin from the host.');
    return of(tools);
  };
  const plugin = definePlugin<PinStore>({
    name: 'pins',
    store: PIN_STORE,
    events: {
      'message:pin': {
        payload: schema,
        handle: ({ user, payload, handshake }, tools) => of(tools).pin(payload.roomId, payload.messageId, { user, handshake }),
      },
      'message:unpin': {
        payload: schema,
        handle: ({ user, payload, handshake }, tools) => of(tools).unpin(payload.roomId, payload.messageId, { user, handshake }),
      },
    },
    routes: (tools) => [pinsRoute(tools, () => of(tools))],
    joinAnswer: async ({ roomId }, tools): Promise<PinnedList> => ({ pinned: await of(tools).pinned(roomId) }),
    // Who pinned what is the pinner's: exported to them; erased, the pins stay and name no one.
    personalData: {
      export: (userId, tools) => tools.store.ofUser(userId),
      erase: (userId, tools) => tools.store.renamePinner(userId, ERASED_USER.id),
    },
    start: (tools) => {
      const work = new Set<Promise<void>>();
      const stop = tools.onMessage((event) => {
        const heard = of(tools)
          .heard(event)
          .catch((error: unknown) => tools.report(error));
        work.add(heard);
        void heard.finally(() => work.delete(heard));
      });
      running.set(tools, { stop, work });
    },
    close: async (tools) => {
      const server = running.get(tools);
      running.delete(tools);
      server?.stop();
      await Promise.allSettled([...(server?.work ?? [])]);
    },
  });
  return Object.freeze({
    ...plugin,
    pin: (roomId: string, messageId: string, { by = HOST }: { by?: string } = {}) => hosted().pin(roomId, messageId, { host: by }),
    unpin: (roomId: string, messageId: string) => hosted().unpin(roomId, messageId, { host: HOST }),
    pinned: (roomId: string) => hosted().pinned(roomId),
  });
}
