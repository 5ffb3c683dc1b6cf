import { chunkStrings } from '../i18n/chunk-strings.js';

/**
 * The text of a page the chat server refuses. It lives in the origin probe's chunk; a host changes
 * it like any other text (`element.strings`, or a language of `registerLocale`).
 */
export interface OriginStrings {
  /**
   * The page is on another origin than the chat server, which does not allow it (`cors`,
   * `allowedOrigins`): a plain sentence for visitors. The origins are given for a host that wants
   * them shown; `chat-error` and the console name them for the page's developer.
   */
  originRefused: (server: string, page: string) => string;
}

/** English. */
export const originEn: OriginStrings = {
  originRefused: () => 'The chat is not available on this page.',
};

/** This text from the element's `strings` (its language's, the host's own on top), English where it has none. */
export const originStrings = (strings: Partial<OriginStrings>): OriginStrings => chunkStrings(originEn, strings);
