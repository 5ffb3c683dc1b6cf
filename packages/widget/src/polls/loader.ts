// The one file of polls/ in the main bundle: it loads the poll card and the "New poll" form
// (./polls.ts) when the room shown offers polls or a message of the log is a poll. In
// chat-room.min.js the chunk is chat-room.polls.js, found next to the script (rollup.config.mjs).
import type { Message } from '@chat/client';
import type { LazyPartHost } from '../lazy-part.js';
import { FeatureSlot } from '../feature-slot.js';
import type { PollsHost, PollsUi } from './polls.js';

/** Polls in the log and above the composer. */
export interface PollsPlace {
  /** The card under a poll's message. */
  card: (message: Message, tab: number) => unknown;
  /** "New poll", where the server offers polls and the user may write. */
  entry: (disabled: boolean) => unknown;
}

/** Polls' places in `<chat-room>`: nothing until the room offers them (or a message is a poll) and the chunk is here. */
export function pollsSlot(host: PollsHost, part: LazyPartHost): PollsPlace {
  const load = () => import('./polls.js').then((m) => m.createPolls(host));
  const slot = new FeatureSlot<PollsUi>(host, part, load, 'Polls', 'chat-room.polls.js');
  return {
    card: (message, tab) =>
      slot.draw(
        () => message.poll,
        (room, ui) => ui.card(room, message, tab),
      ),
    entry: (disabled) =>
      slot.draw(
        (room) => !disabled && room.plugins['polls'],
        (room, ui) => ui.entry(room),
      ),
  };
}
