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
export const inboxEn: InboxStrings = { noConversations: 'No conversations yet.' };

/** These texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export const inboxStrings = (strings: Partial<InboxStrings>): InboxStrings => chunkStrings(inboxEn, strings);
