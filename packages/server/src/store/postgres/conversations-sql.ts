// `ChatStore.conversations` on PostgreSQL: a user's rooms with the counts the store keeps, a page at a time.
import type pg from 'pg';
import type { UserRef } from '@chat/protocol';
import type { ConversationRow } from '../../core/chat-store.js';
import {
  CONVERSATIONS_SQL,
  DIRECT_MEMBERS_SQL,
  conversationRoom,
  membersByRoom,
  type ConversationSqlRow,
  type DirectMemberRow,
} from './member-sql.js';
import { toMessage, type MessageRow } from './message-sql.js';

/**
 * One query (see `CONVERSATIONS_SQL` for why no part of it reads messages), and one more for
 * the members of the page's direct rooms when it has any.
 */
export async function conversationsPostgres(pool: pg.Pool, userId: string, limit: number): Promise<ConversationRow[]> {
  const { rows } = await pool.query<ConversationSqlRow>(CONVERSATIONS_SQL, [userId, Math.max(0, limit)]);
  const direct = rows.filter((row) => row.options?.direct === true).map((row) => row.id);
  const members =
    direct.length === 0
      ? new Map<string, UserRef[]>()
      : membersByRoom((await pool.query<DirectMemberRow>(DIRECT_MEMBERS_SQL, [direct])).rows);
  return rows.map((row) => {
    const readSeq = Number(row.read_seq);
    const conversation: ConversationRow = {
      room: conversationRoom(row),
      readSeq,
      unread: Math.max(0, Number(row.last_seq) - readSeq - Number(row.thread_only)),
      mentions: Number(row.mentions),
      notifications: row.notifications,
    };
    if (Number(row.thread_unread) > 0) conversation.threadUnread = Number(row.thread_unread);
    if (row.last_message !== null) conversation.lastMessage = toMessage(row.last_message as unknown as MessageRow);
    if (row.options?.direct === true) conversation.members = members.get(row.id) ?? [];
    return conversation;
  });
}
