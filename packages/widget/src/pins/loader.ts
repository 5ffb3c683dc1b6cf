// The one file of pins/ in the main bundle: it loads the pinned bar (./pins.ts) the first time
// the room shown has a pinned message, or a moderator's room offers pins. In chat-room.min.js the
// chunk is chat-room.pins.js, found next to the script (rollup.config.mjs).
import type { Message } from '@chat/client';
import type { LazyPartHost } from '../lazy-part.js';
import { FeatureSlot } from '../feature-slot.js';
import type { PinsHost, PinsUi } from './pins.js';

/** The pinned bar above the log, and a moderator's "Pin" or "Unpin" among a message's actions. */
export interface PinsPlace {
  /** The bar, for the room shown (a change of its pins is the room's `updated`, which draws again). */
  bar: () => unknown;
  /** The action on `message`, where the server offers pins and the user moderates the room. */
  action: (message: Message, tab: number) => unknown;
}

/** Pins' places in `<chat-room>`: nothing until the room has a pin (or its moderator may pin) and the chunk is here. */
export function pinsSlot(host: PinsHost, part: LazyPartHost): PinsPlace {
  const load = () => import('./pins.js').then((m) => m.createPinsBar(host));
  const slot = new FeatureSlot<PinsUi>(host, part, load, 'Pinned messages', 'chat-room.pins.js');
  return {
    bar: () =>
      slot.draw(
        (room) => room.pins.list.length,
        (room, ui) => ui.render(room, room.pins.list),
      ),
    action: (message, tab) =>
      slot.draw(
        (room) => room.canModerate && room.pins.available,
        (room, ui) => ui.action(room, message, tab),
      ),
  };
}
