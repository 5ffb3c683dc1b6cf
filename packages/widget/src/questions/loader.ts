// The one file of questions/ in the main bundle: it loads the Questions tab (./questions.ts) when
// the room shown offers questions (its join answer lists the plugin). In chat-room.min.js the chunk
// is chat-room.questions.js, found next to the script (rollup.config.mjs).
import type { ChatRoom } from '@chat/client';
import type { LazyPartHost } from '../lazy-part.js';
import { FeatureSlot } from '../feature-slot.js';
import type { QuestionsHost, QuestionsUi } from './questions.js';

/** The Questions toggle above the log, and its panel beside the log. */
export function questionsSlot(host: QuestionsHost, part: LazyPartHost) {
  const load = () => import('./questions.js').then((m) => m.createQuestions(host));
  const slot = new FeatureSlot<QuestionsUi>(host, part, load, 'Questions', 'chat-room.questions.js');
  const offered = (room: ChatRoom) => room.plugins['questions'];
  return {
    tab: () => slot.draw(offered, (room, ui) => ui.tab(room)),
    panel: (disabled: boolean) => slot.draw(offered, (room, ui) => ui.panel(room, disabled)),
  };
}
