// What `room.questions` and its requests share: a page to ask for, and what they need of the room.
import type { Message, QuestionSort } from '@chat/protocol';
import type { PluginStateHost } from '../core/plugin-link.js';

/** Which page of a room's questions `room.questions.list` asks for. */
export interface QuestionListOptions {
  /** `'top'`: most upvotes first (then the first asked); `'new'`: the last asked first. @default 'top' */
  sort?: QuestionSort;
  /** Questions in the page, 1 to 100. @default 50 */
  limit?: number;
  /** Questions to skip: the next page starts where the last ended. @default 0 */
  offset?: number;
}

/** What `room.questions` reads and sets of its room: the plugins' state, and its log. */
export interface QuestionsStateHost extends PluginStateHost {
  /** @internal Adds a message to the room's log (none twice). */
  _receiveMessage(message: Message): void;
}
