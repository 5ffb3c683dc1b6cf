import type { JoinedRoomView } from './conversations/conversation-list.js';
import { mentionsAfter, type RoomReads } from './room/read-state.js';
import type { RoomSync } from './room/room-sync.js';
import { unreadAfter } from './room/room-reads.js';
import type { RoomUnread } from './room/room-unread.js';

/** What the conversations list needs of a joined room; none before the first join answer or in ephemeral rooms. */
export function conversationView(sync: RoomSync, reads: RoomReads, unread: RoomUnread, threadUnread: number): JoinedRoomView | undefined {
  const room = sync.room;
  if (!room || room.options.ephemeral === true || sync._isClosed()) return undefined;
  const log = sync.log;
  const selfId = sync.self?.id ?? '';
  return {
    room,
    readSeq: reads.readSeq,
    lastMessage: log.messages.at(-1),
    _unreadAfter: (seq) => unreadAfter(sync, unread, seq),
    threadUnread,
    _mentionsAfter: (seq) => {
      // Countable when every message after `seq` is loaded: the oldest loaded is right after
      // it, or there is nothing older at all.
      const oldest = log._oldestSeq;
      if (oldest !== undefined && oldest > seq + 1 && sync.hasMoreHistory) return undefined;
      return mentionsAfter(log.messages, seq, selfId);
    },
  };
}
