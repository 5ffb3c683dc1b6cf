// What plugins hear of presence (`PluginTools.onPresence`): the bus's joins and leaves, held from
// the server's making until its plugins have started, then told in order. A cluster clears the
// users of a dead process while it starts (its first heartbeat), before any plugin listens.
import type { ServerBus } from '../core/bus.js';
import type { PluginPresenceEvent } from '../core/plugin.js';

type Listener = (event: PluginPresenceEvent) => void;

/** One server's presence, as its plugins hear it. */
export class PresenceFeed {
  readonly #listeners = new Set<Listener>();
  #held: PluginPresenceEvent[] | undefined = [];

  /** Hears the server's bus (once, when its context is made). */
  hear(bus: ServerBus): void {
    bus.on('presence:joined', (roomId, userId) => this.#tell({ kind: 'joined', roomId, userId }));
    bus.on('presence:left', (roomId, userId) => this.#tell({ kind: 'left', roomId, userId }));
  }

  /** Adds a listener; returns the function that removes it. */
  add(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** The plugins have started: what was held is told now, the rest as it comes. */
  open(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const event of held) this.#tell(event);
  }

  #tell(event: PluginPresenceEvent): void {
    if (this.#held) this.#held.push(event);
    else for (const listener of [...this.#listeners]) listener(event);
  }
}
