// The one file of live-reactions/ in the main bundle: it loads the reaction bar (./live-reactions.ts)
// the first time a room's join answer says the server offers live reactions. In chat-room.min.js
// the chunk is chat-room.live-reactions.js, found next to the script (rollup.config.mjs).
import type { LazyPartHost } from '../lazy-part.js';
import { FeatureSlot } from '../feature-slot.js';
import type { LiveReactionsHost, LiveReactionsUi } from './live-reactions.js';

/** The reaction bar's place under the log: nothing until a room offers live reactions and the chunk is here. */
export function liveReactionsSlot(host: LiveReactionsHost, part: LazyPartHost): (disabled: boolean) => unknown {
  const load = () => import('./live-reactions.js').then((chunk) => chunk.createLiveReactions(host));
  const slot = new FeatureSlot<LiveReactionsUi>(host, part, load, 'Live reactions', 'chat-room.live-reactions.js');
  return (disabled) =>
    slot.draw(
      (room) => room.liveReactions.available,
      (room, ui) => ui.render(room, disabled),
    );
}
