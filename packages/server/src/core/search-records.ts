// What `ChatStore.searchMessages` is asked and answers: the query and a page of found messages.
import type { Message } from '@chat/protocol';

/** What `searchMessages` looks for. */
export interface MessageSearchQuery {
  /** The rooms to search: the server decides which the user may read; the store only filters by them. */
  roomIds: string[];
  /** The user's query (trimmed, bounded): words, "phrases", -word, `or`, as `websearch_to_tsquery` reads them. */
  query: string;
  /** The `next` of the previous page. */
  before?: string;
  limit: number;
}

/** A page of found messages, newest first; `next` when older ones may match. */
export interface MessageSearchPage {
  messages: Message[];
  next?: string;
}
