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
 * What a room's copy of its last message leaves out (it is written as the message is appended,
 * before any of them exists): its link previews, poll and question, read beside the messages as
 * history reads them (message-sql.ts), for the page's last messages not deleted. $1 message ids.
 */
const LAST_MESSAGE_SIDES_SQL = `
  SELECT ids.id,
    (SELECT p.previews FROM chat_message_previews p WHERE p.message_id = ids.id) AS previews,
    (SELECT q.poll FROM chat_message_polls q WHERE q.message_id = ids.id) AS poll,
    (SELECT x.question FROM chat_message_questions x WHERE x.message_id = ids.id) AS question
  FROM unnest($1::text[]) AS ids(id)`;

type SidesRow = Pick<MessageRow, 'id' | 'previews' | 'poll' | 'question'>;

/**
 * One query (see `CONVERSATIONS_SQL` for why no part of it reads messages), one more for the
 * members of the page's direct rooms when it has any, and one for what the last messages carry
 * beside them (`LAST_MESSAGE_SIDES_SQL`) when the page has any.
 */
export async function conversationsPostgres(pool: pg.Pool, userId: string, limit: number): Promise<ConversationRow[]> {
  const { rows } = await pool.query<ConversationSqlRow>(CONVERSATIONS_SQL, [userId, Math.max(0, limit)]);
  const direct = rows.filter((row) => row.options?.direct === true).map((row) => row.id);
  const lastIds = rows.flatMap((row) => {
    const last = row.last_message as unknown as MessageRow | null;
    return last && last.deleted_at === null ? [last.id] : [];
  });
  const [members, sides] = await Promise.all([
    direct.length === 0
      ? new Map<string, UserRef[]>()
      : pool.query<DirectMemberRow>(DIRECT_MEMBERS_SQL, [direct]).then((result) => membersByRoom(result.rows)),
    lastIds.length === 0
      ? new Map<string, SidesRow>()
      : pool.query<SidesRow>(LAST_MESSAGE_SIDES_SQL, [lastIds]).then((result) => new Map(result.rows.map((r) => [r.id, r]))),
  ]);
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
    if (row.last_message !== null) {
      const copy = row.last_message as unknown as MessageRow;
      const side = sides.get(copy.id);
      conversation.lastMessage = toMessage(side ? { ...copy, previews: side.previews, poll: side.poll, question: side.question } : copy);
    }
    if (row.options?.direct === true) conversation.members = members.get(row.id) ?? [];
    return conversation;
  });
}
