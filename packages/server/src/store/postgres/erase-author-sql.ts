import type pg from 'pg';
import type { Message, ThreadSummary, UserRef } from '@chat/protocol';
import { authorRef, summaryWithout } from '../erased-author.js';
import { REFRESH_LAST_MESSAGE_SQL } from './last-message-sql.js';
import { BUMP_REV, RETURNING, toMessage, type MessageRow } from './message-sql.js';

// PostgresStore's part of a delete with `author` (erasing the message's author, `chat.eraseUser`):
// the row names `author` (a deleted one too), the thread tables forget the old author, and the
// summary of a reply's parent names `author` in their place. Run in the change's transaction,
// under the room's row lock (taken by the rev bump), which every append of a reply takes too.

/**
 * $1 room, $2 message, $3 deletedAt (a deleted message keeps its own), $4-$7 the author's id, name,
 * avatar, bot mark. What the message carries beside its row goes with its text, as a delete's does:
 * its reactions, link previews, poll (whose question and options are the author's words) and question.
 */
export const ERASE_AUTHOR_SQL = `${BUMP_REV}, gone AS (DELETE FROM chat_reactions WHERE message_id = $2),
  unpreviewed AS (DELETE FROM chat_message_previews WHERE message_id = $2),
  unpolled AS (DELETE FROM chat_message_polls WHERE message_id = $2),
  unasked AS (DELETE FROM chat_message_questions WHERE message_id = $2)
  UPDATE chat_messages m SET text = '', ciphertext = NULL, attachments = '[]'::jsonb, mentions = NULL, reactions = NULL,
    deleted_at = COALESCE(m.deleted_at, $3::timestamptz), rev = bumped.last_rev,
    user_id = $4, user_name = $5, user_avatar = $6, user_bot = $7
  FROM bumped WHERE m.id = $2 ${RETURNING}`;

/** $1 room, $2 parent: the parent takes the room's next rev (its summary changed in the statement before). */
const PARENT_REV_SQL = `${BUMP_REV}
  UPDATE chat_messages m SET rev = bumped.last_rev FROM bumped WHERE m.room_id = $1 AND m.id = $2 ${RETURNING}`;

/** The values of {@link ERASE_AUTHOR_SQL} after $1 and $2. */
export function eraseAuthorParams(at: string, author: UserRef): unknown[] {
  const named = authorRef(author);
  return [at, named.id, named.name, named.avatarUrl ?? null, named.bot === true];
}

/**
 * After the row changed: `before` (the message as it was) no longer counts its author among its
 * thread's participants, a reply's index row names `author`, and its parent's summary too. Returns
 * the parent with its new rev when its summary changed.
 */
export async function eraseFromThread(client: pg.PoolClient, before: Message, author: UserRef): Promise<Message | undefined> {
  const { roomId, threadOf, user } = before;
  if (user.id === author.id) return undefined;
  await client.query('DELETE FROM chat_thread_participants WHERE room_id = $1 AND user_id = $2 AND thread_of = $3', [
    roomId,
    user.id,
    threadOf ?? before.id,
  ]);
  if (threadOf === undefined) return undefined;
  await client.query('UPDATE chat_thread_replies SET user_id = $3 WHERE room_id = $1 AND seq = $2', [roomId, before.seq, author.id]);
  const { rows } = await client.query<{ summary: ThreadSummary }>(
    'SELECT summary FROM chat_threads WHERE room_id = $1 AND parent_id = $2',
    [roomId, threadOf],
  );
  const summary = summaryWithout(rows[0]?.summary, user.id, author);
  if (!summary) return undefined;
  await client.query('UPDATE chat_threads SET summary = $3::jsonb WHERE room_id = $1 AND parent_id = $2', [
    roomId,
    threadOf,
    JSON.stringify(summary),
  ]);
  const updated = await client.query<MessageRow & { room_last_seq: string }>(PARENT_REV_SQL, [roomId, threadOf]);
  const row = updated.rows[0];
  if (!row) return undefined;
  const { room_last_seq: roomLastSeq, ...changed } = row;
  const parent = toMessage(changed);
  if (parent.seq === Number(roomLastSeq)) await client.query(REFRESH_LAST_MESSAGE_SQL, [roomId, parent.seq]);
  return parent;
}
