import type pg from 'pg';
import type { Message } from '@chat/protocol';
import { ERASED_USER, type UserMembership, type UserReaction, type UserThreadRead } from '../../core/chat-store.js';
import { messageColumns, toMessage, type MessageRow } from './message-sql.js';
import { toMember, type MemberRow } from './member-sql.js';
import { inTransaction } from './transaction.js';

/** $1 user, $2 after this id (or null), $3 limit: by the (user_id, id) index of migration 12. */
const USER_MESSAGES_SQL = `SELECT ${messageColumns('chat_messages')} FROM chat_messages
  WHERE user_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`;

const USER_MEMBERSHIPS_SQL = `
  SELECT m.room_id, m.user_id, u.name, u.avatar_url, m.added_at, m.read_seq, m.notifications
  FROM chat_members m JOIN chat_users u ON u.id = m.user_id
  WHERE m.user_id = $1 ORDER BY m.added_at, m.room_id COLLATE "C"`;

/** The user's messages in every room, by id (see `ChatStore.userMessages`). */
export async function userMessages(pool: pg.Pool, userId: string, query: { after?: string; limit: number }): Promise<Message[]> {
  const { rows } = await pool.query<MessageRow>(USER_MESSAGES_SQL, [userId, query.after ?? null, Math.max(0, query.limit)]);
  return rows.map(toMessage);
}

/** The user's stored memberships, with their rooms. */
export async function userMemberships(pool: pg.Pool, userId: string): Promise<UserMembership[]> {
  const { rows } = await pool.query<MemberRow & { room_id: string }>(USER_MEMBERSHIPS_SQL, [userId]);
  return rows.map((row) => ({ roomId: row.room_id, ...toMember(row) }));
}

/** The user's marks in threads, by the user_id index of migration 15. */
export async function userThreadReads(pool: pg.Pool, userId: string): Promise<UserThreadRead[]> {
  const { rows } = await pool.query<{ room_id: string; thread_of: string; read_seq: string }>(
    'SELECT room_id, thread_of, read_seq FROM chat_thread_reads WHERE user_id = $1 ORDER BY room_id, thread_of',
    [userId],
  );
  return rows.map((r) => ({ roomId: r.room_id, threadOf: r.thread_of, readSeq: Number(r.read_seq) }));
}

/** The read marks kept of the user's ended memberships, by the user_id index of migration 28 (see ChatStore.userRecords). */
export async function userEndedReads(pool: pg.Pool, userId: string): Promise<Array<{ roomId: string; readSeq: number }>> {
  const { rows } = await pool.query<{ room_id: string; read_seq: string }>(
    'SELECT room_id, read_seq FROM chat_ended_reads WHERE user_id = $1 ORDER BY room_id COLLATE "C"',
    [userId],
  );
  return rows.map((r) => ({ roomId: r.room_id, readSeq: Number(r.read_seq) }));
}

/** Every reaction the user gave, by the (user_id, rev) index of migration 16. */
export async function userReactions(pool: pg.Pool, userId: string): Promise<UserReaction[]> {
  const { rows } = await pool.query<{ room_id: string; message_id: string; emoji: string }>(
    'SELECT room_id, message_id, emoji FROM chat_reactions WHERE user_id = $1 ORDER BY rev',
    [userId],
  );
  return rows.map((r) => ({ roomId: r.room_id, messageId: r.message_id, emoji: r.emoji }));
}

/**
 * `eraseUserRecords` in one transaction: memberships (ended ones' marks too), thread marks, standings, push subscriptions and the
 * stored name go; audit entries and reports keep the action and name `ERASED_USER` (a report's
 * reporter_id becomes one of its own, as one reporter reports a message once).
 */
export function eraseUserRecords(pool: pg.Pool, userId: string): Promise<void> {
  return inTransaction(pool, async (client) => {
    const erased = JSON.stringify(ERASED_USER);
    await client.query('DELETE FROM chat_members WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM chat_ended_reads WHERE user_id = $1', [userId]);
    // Every thread they take part in has their mark (a reply moves it; a mention sets one): by the
    // marks' user index, they take part in none (their replies' threads they left with the replies).
    await client.query(
      `DELETE FROM chat_thread_participants p USING chat_thread_reads r
       WHERE r.user_id = $1 AND p.room_id = r.room_id AND p.user_id = r.user_id AND p.thread_of = r.thread_of`,
      [userId],
    );
    await client.query('DELETE FROM chat_thread_reads WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM chat_standings WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM chat_push_subscriptions WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM chat_users WHERE id = $1', [userId]);
    // The actions stay, naming ERASED_USER; the reasons they wrote (their words) go, from the bans
    // and mutes they set that are still in force too (first: the log says which those are).
    for (const kind of ['ban', 'mute']) {
      await client.query(
        `UPDATE chat_standings s SET ${kind} = s.${kind} - 'reason' FROM chat_audit a
         WHERE a.actor ->> 'id' = $1 AND a.action = '${kind}' AND a.room_id = s.room_id AND a.target_user_id = s.user_id
           AND s.${kind} ->> 'reason' = a.reason`,
        [userId],
      );
    }
    await client.query(`UPDATE chat_audit SET actor = $2::jsonb, reason = NULL WHERE actor ->> 'id' = $1`, [userId, erased]);
    await client.query('UPDATE chat_audit SET target_user_id = $2 WHERE target_user_id = $1', [userId, ERASED_USER.id]);
    await client.query(`UPDATE chat_reports SET reporter = $2::jsonb, reporter_id = $3 || ':' || id, reason = '' WHERE reporter_id = $1`, [
      userId,
      erased,
      ERASED_USER.id,
    ]);
  });
}
