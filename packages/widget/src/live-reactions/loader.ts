// The one file of live-reactions/ in the main bundle: it loads the reaction bar (./live-reactions.ts)
// the first time a room's join answer says the server offers live reactions. In chat-room.min.js
// the chunk is chat-room.live-reactions.js, found next to the script (rollup.config.mjs).
import { nothing } from 'lit';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { LiveReactionsHost, LiveReactionsUi } from './live-reactions.js';

/** The reaction bar's place under the log: nothing until a room offers live reactions and the chunk is here. */
export class LiveReactionsSlot {
  readonly #host: LiveReactionsHost;
  readonly #chunk: LazyPart<LiveReactionsUi>;

  constructor(host: LiveReactionsHost, part: LazyPartHost) {
    this.#host = host;
    const load = () => import('./live-reactions.js').then((chunk) => chunk.createLiveReactions(host));
    this.#chunk = new LazyPart(part, load, 'Live reactions', 'chat-room.live-reactions.js');
  }

  /** The bar and its floating emoji, for the room shown now. */
  render(disabled: boolean): unknown {
    const room = this.#host.room();
    if (!room?.liveReactions.available) return nothing;
    const ui = this.#chunk.module;
    if (!ui) void this.#chunk.load();
    return ui ? ui.render(room, disabled) : nothing;
  }
}
