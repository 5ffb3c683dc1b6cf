import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The texts only `<chat-inbox>` shows. They live in its chunk; a host changes them like any other
 * text (`element.strings`, or a language of `registerLocale`).
 */
export interface InboxStrings {
  /** What the inbox says with no conversations. */
  noConversations: string;
}

/** English. */
const inboxEn: InboxStrings = { noConversations: 'No conversations yet.' };

/** Spanish. */
const inboxEs: InboxStrings = { noConversations: 'Aún no hay conversaciones.' };

/** These texts in the language of the element's `strings` (the one its `errors` are in), the host's own on top. */
export const inboxStrings = (strings: Partial<InboxStrings> & { errors?: { lang: string } }): InboxStrings =>
  chunkStrings(strings.errors?.lang ?? 'en', inboxEn, inboxEs, strings);
