import { chunkStrings } from '../i18n/chunk-strings.js';
/**
 * The texts of the search panel (the header's search button opens it). They live in the search
 * chunk, loaded on the first click; a host changes them like any other text (`element.strings`,
 * or a language of `registerLocale`): `ChatStrings` lists them as optional keys.
 */
export interface SearchStrings {
  /** The search field's label when it searches the conversation shown. */
  searchLabel: string;
  /** The search field's label when it searches all the user's conversations. */
  searchAllLabel: string;
  /** Names the choice of where to search (read by screen readers). */
  searchScope: string;
  /** The choice: only the conversation shown. */
  searchHere: string;
  /** The choice: every conversation. */
  searchAll: string;
  /** The button that searches. */
  searchGo: string;
  /** While the server answers. */
  searching: string;
  /** How many results are shown (`more`: older ones may be found). */
  searchFound: (count: number, more: boolean) => string;
  /** Nothing matched. */
  searchNone: string;
  /** The button that asks for older results. */
  searchMore: string;
}

/** English. */
export const searchEn: SearchStrings = {
  searchLabel: 'Search this conversation',
  searchAllLabel: 'Search all conversations',
  searchScope: 'Where to search',
  searchHere: 'This conversation',
  searchAll: 'All conversations',
  searchGo: 'Search',
  searching: 'Searching…',
  searchFound: (count, more) => `${count}${more ? '+' : ''} ${count === 1 ? 'message' : 'messages'} found. Choose one to go to it.`,
  searchNone: 'No messages found.',
  searchMore: 'More results',
};

/** The search texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export function searchStrings(host: Partial<SearchStrings>): SearchStrings {
  return chunkStrings(searchEn, host);
}
