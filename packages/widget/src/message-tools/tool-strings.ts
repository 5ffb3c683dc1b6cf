import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts of what opens on a message (the emoji choice, the editor, the delete and report
 * questions). They live in the message tools' chunk; a host changes them like any other text
 * (`element.strings`, or a language of `registerLocale`).
 */
export interface MessageToolStrings {
  /** The emoji choice opened by `react`. */
  chooseReaction: string;
  /** The inline editor's text box, and the hint under it. */
  editLabel: string;
  editHint: string;
  /** The question before a message is deleted. */
  confirmDelete: string;
  /** The question before a message is reported, and the thanks once it was. */
  reportReason: string;
  reported: string;
}

/** English. */
export const toolsEn: MessageToolStrings = {
  chooseReaction: 'Choose a reaction',
  editLabel: 'Edit message',
  editHint: 'Enter saves, Escape cancels.',
  confirmDelete: 'Delete this message for everyone?',
  reportReason: 'Why are you reporting this message?',
  reported: 'Thank you: the hosts were told.',
};

/** These texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export const toolStrings = (strings: Partial<MessageToolStrings>): MessageToolStrings => chunkStrings(toolsEn, strings);
