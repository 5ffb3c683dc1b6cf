// `room.liveReactions`: a room's live reactions (the server's `liveReactions()` plugin), made the
// first time a page asks for them.
import type { EventEmitter } from 'eventemitter3';
import type { LiveReactionBurst, LiveReactionsJoin } from '@chat/protocol';
import { Subscribable } from '../core/subscribable.js';
import type { PluginLink } from '../core/plugin-link.js';

/** The events of `room.liveReactions`. */
export interface LiveReactionsEvents {
  /** The reactions sent in the room since the last burst (at most 4 a second), summed by emoji. */
  burst: (burst: LiveReactionBurst) => void;
}

/**
 * A room's live reactions: short-lived emoji everyone in the room sees float by, never stored.
 * @example room.liveReactions.on('burst', ({ counts }) => float(counts)); await room.liveReactions.send('👏');
 */
export class LiveReactions extends Subscribable<LiveReactionsEvents> {
  #stop: (() => void) | undefined;

  constructor(
    private readonly roomId: string,
    private readonly joinAnswer: () => unknown,
    private readonly link: PluginLink,
  ) {
    super();
  }

  /** The emoji the room offers, in order (none when the server has no live reactions). */
  get emojis(): readonly string[] {
    return (this.joinAnswer() as LiveReactionsJoin | undefined)?.emojis ?? [];
  }

  /** Whether the server offers live reactions in this room. */
  get available(): boolean {
    return this.emojis.length > 0;
  }

  /** Sends one reaction; rejects with the server's `ChatError` (`RATE_LIMITED` past the rate, `VALIDATION_FAILED` for an emoji not offered). */
  async send(emoji: string): Promise<void> {
    await this.link.request('live-reaction:send', { roomId: this.roomId, emoji });
  }

  /** Listens to `burst`; call the returned function to stop. The client hears bursts from the first listener on. */
  override on<K extends EventEmitter.EventNames<LiveReactionsEvents>>(
    event: K,
    listener: EventEmitter.EventListener<LiveReactionsEvents, K>,
  ): () => void {
    this.#stop ??= this.link.on('live-reaction:burst', (burst) => {
      if (burst.roomId === this.roomId) this.emitter.emit('burst', burst);
    });
    return super.on(event, listener);
  }

  /** Stops hearing bursts (the room was left for good). */
  _close(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.emitter.removeAllListeners();
  }
}
