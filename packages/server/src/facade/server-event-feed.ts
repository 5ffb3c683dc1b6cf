// What plugins hear of the chat server's events (`PluginTools.onServerEvent`): what `chat.on`
// hears, told just before the host's listeners, held from the server's making until its plugins
// have started, then told in order.
import type { ChatServerEventName } from '../core/server-events.js';

type Listener = (args: readonly unknown[]) => void;

// Every event a plugin may hear (a new server event must be added here: the type says so).
const NAMES: Readonly<Record<ChatServerEventName, true>> = {
  message: true,
  messageUpdated: true,
  join: true,
  leave: true,
  'room:ended': true,
  report: true,
  moderation: true,
};

/** The names `PluginTools.onServerEvent` takes, as a sentence's list. */
export const SERVER_EVENT_NAMES = Object.keys(NAMES).join(', ');

/** Whether `event` is one a plugin may hear (`chat.on`'s but `error`). */
export function isServerEventName(event: unknown): event is ChatServerEventName {
  return typeof event === 'string' && Object.hasOwn(NAMES, event);
}

/** One server's events, as its plugins hear them. */
export class ServerEventFeed {
  readonly #listeners = new Map<string, Set<Listener>>();
  #held: Array<[string, readonly unknown[]]> | undefined = [];

  /** Adds a listener of `event`; returns the function that removes it. */
  add(event: ChatServerEventName, listener: Listener): () => void {
    let listeners = this.#listeners.get(event);
    if (!listeners) this.#listeners.set(event, (listeners = new Set()));
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }

  /** The chat server emitted `event` (its `chat.on` listeners are next). */
  tell(event: string, args: readonly unknown[]): void {
    if (event === 'error') return;
    if (this.#held) return void this.#held.push([event, args]);
    // Every message comes here: nothing is copied for an event no plugin hears.
    const listeners = this.#listeners.get(event);
    if (listeners) for (const listener of [...listeners]) listener(args);
  }

  /** The plugins have started: what was held is told now, the rest as it comes. */
  open(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const [event, args] of held) this.tell(event, args);
  }
}
