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
  /** The question before a message is reported. */
  reportReason: string;
}

/** English. */
const toolsEn: MessageToolStrings = {
  chooseReaction: 'Choose a reaction',
  editLabel: 'Edit message',
  editHint: 'Enter saves, Escape cancels.',
  confirmDelete: 'Delete this message for everyone?',
  reportReason: 'Why are you reporting this message?',
};

/** Spanish. */
const toolsEs: MessageToolStrings = {
  chooseReaction: 'Elige una reacción',
  editLabel: 'Editar mensaje',
  editHint: 'Intro guarda, Escape cancela.',
  confirmDelete: '¿Eliminar este mensaje para todos?',
  reportReason: '¿Por qué denuncias este mensaje?',
};

/** These texts in the language of the element's `strings` (the one its `errors` are in), the host's own on top. */
export const toolStrings = (strings: Partial<MessageToolStrings> & { errors?: { lang: string } }): MessageToolStrings =>
  chunkStrings(strings.errors?.lang ?? 'en', toolsEn, toolsEs, strings);
