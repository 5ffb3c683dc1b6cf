// Message search: the payload of message:search (and of REST GET /search) and its answer.
import type { Message } from './types.js';

/** Longest search query accepted, in characters (after trimming). */
export const SEARCH_QUERY_MAX = 256;
/** Most words (and quoted phrases' words) one search query may hold. */
export const SEARCH_TERMS_MAX = 32;
/** Most results one search page may ask for. */
export const SEARCH_PAGE_MAX = 50;
/** Results in a page when `limit` is not given. */
export const SEARCH_PAGE_DEFAULT = 20;

/**
 * Client -> server `message:search`: messages of the rooms the user may read that match `query`,
 * newest first. The query reads like a web search: words (all must match, in any case and with
 * or without accents), `"quoted phrases"`, `-word` (must not match) and `or` between words.
 */
export interface MessageSearchPayload {
  /** Trimmed; 1 to `SEARCH_QUERY_MAX` characters, at most `SEARCH_TERMS_MAX` words, no NUL. */
  query: string;
  /** Only this room (which the user must be able to read). */
  roomId?: string;
  /** The `next` of the previous page: older results. Opaque. */
  before?: string;
  /** At most this many results (1 to `SEARCH_PAGE_MAX`). @default 20 */
  limit?: number;
}

/** Where a result's text matched: a short piece of the message's text and the matched words in it. */
export interface SearchHighlight {
  /** At most about 160 characters of the message's current text, around the first match; plain text, not markup. */
  text: string;
  /** The matched words in `text`, as UTF-16 offsets, in order and not overlapping (`end` excluded). */
  ranges: { start: number; end: number }[];
}

/** One message found by a search. */
export interface SearchResult {
  message: Message;
  roomId: string;
  highlight: SearchHighlight;
}

/** The answer of `message:search`: newest first; `next` when older results may exist (pass it as `before`). */
export interface MessageSearchResult {
  results: SearchResult[];
  next?: string;
}
