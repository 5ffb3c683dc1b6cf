import type { ChatStore, MessagePage } from '../../core/chat-store.js';

/**
 * The join answer's `unread`: the messages of the room's log after the joining user's mark, up to
 * the last one of the page. Those in the page are counted there; those between the mark and the
 * page's first message (a page that does not reach the mark) by the store, as its `conversations`
 * counts `unread`: the seqs less the thread-only replies among them.
 */
export async function unreadInJoin(store: ChatStore, roomId: string, readSeq: number, page: MessagePage): Promise<number> {
  const first = page.messages[0]?.seq;
  if (first === undefined) return 0;
  let unread = 0;
  for (const message of page.messages) if (message.seq > readSeq) unread++;
  if (first <= readSeq + 1) return unread;
  // A store without mainLogCount: the seqs, as the SDK counted before it (thread-only replies in).
  const before = store.mainLogCount ? await store.mainLogCount(roomId, readSeq, first - 1) : first - 1 - readSeq;
  return unread + before;
}
