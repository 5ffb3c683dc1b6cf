// MemoryStore's message search: a scan of the rooms asked, by the rules of core/search-query.ts.
import type { Message } from '@chat/protocol';
import type { MessageSearchPage, MessageSearchQuery } from '../core/search-records.js';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  hasPositiveTerm,
  matchesSearch,
  parseSearch,
  type SearchCursor,
} from '../core/search-query.js';

/** Newer first: by time, then room id, then seq (a total order, so that pages never overlap). */
function newerFirst(a: SearchCursor, b: SearchCursor): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.roomId !== b.roomId) return a.roomId < b.roomId ? 1 : -1;
  return b.seq - a.seq;
}

/**
 * Searches the messages `roomMessages` gives for each room asked (the store's own objects, not
 * copied here: `copy` makes what is returned).
 */
export function searchMemory(
  query: MessageSearchQuery,
  roomMessages: (roomId: string) => readonly Message[] | undefined,
  copy: (message: Message) => Message,
): MessageSearchPage {
  const after = query.before === undefined ? undefined : decodeSearchCursor(query.before);
  const search = parseSearch(query.query);
  if (!hasPositiveTerm(search)) return { messages: [] };
  const found: Message[] = [];
  for (const roomId of new Set(query.roomIds)) {
    for (const message of roomMessages(roomId) ?? []) {
      if (message.deletedAt !== undefined) continue;
      if (after && newerFirst(after, message) >= 0) continue;
      if (matchesSearch(search, message.text)) found.push(message);
    }
  }
  found.sort(newerFirst);
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  return {
    messages: page.map(copy),
    ...(found.length > query.limit && last ? { next: encodeSearchCursor(last) } : {}),
  };
}
