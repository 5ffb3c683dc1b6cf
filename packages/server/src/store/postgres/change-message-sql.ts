import { builtInError } from '@chat/protocol';
import type pg from 'pg';
import type { ChangeResult, MessageChange } from '../../core/chat-store.js';
import {
  editChangesNothing,
  messageDeleted,
  messageNotFound,
  samePoll,
  sameQuestion,
  samePreviews,
  storedMentions,
  tooManyEmojis,
} from '../message-changes.js';
import { SYNC_MENTIONS_SQL } from './member-sql.js';
import { REFRESH_LAST_MESSAGE_SQL } from './last-message-sql.js';
import { CHANGE_SQL, jsonOrNull, messageColumns, toMessage, type MessageRow } from './message-sql.js';
import { nextReactions } from './reaction-rows.js';
import { namesOther } from '../erased-author.js';
import { ERASE_AUTHOR_SQL, eraseAuthorParams, eraseFromThread } from './erase-author-sql.js';
import { inTransaction } from './transaction.js';

/**
 * PostgresStore's `changeMessage`: an edit, delete, reaction or its removal in one transaction,
 * under the room's row lock and then the message's (the order a batch append takes them in).
 */
export async function changeMessage(pool: pg.Pool, roomId: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
  return inTransaction(pool, async (client) => {
    // The room's row lock before the message's (the filter runs before the message's row is
    // locked), in one round trip: a batch append changes a thread's parent under its room's
    // lock, and the other order could deadlock with it. A row that was locked when this asked
    // comes back in its latest committed version.
    const { rows } = await client.query<MessageRow>(
      `WITH room AS (SELECT id FROM chat_rooms WHERE id = $1 FOR NO KEY UPDATE)
       SELECT ${messageColumns('m')} FROM chat_messages m
       WHERE m.room_id = $1 AND m.id = $2 AND EXISTS (SELECT 1 FROM room) FOR NO KEY UPDATE OF m`,
      [roomId, messageId],
    );
    const stored = rows[0];
    if (!stored) throw messageNotFound(messageId);
    // Asked only now, in a statement of its own: a subquery of the locking SELECT would read the
    // snapshot taken before the wait, missing the reaction a concurrent change just committed.
    const reacted =
      (change.type === 'react' || change.type === 'unreact') &&
      stored.deleted_at === null &&
      (
        await client.query('SELECT 1 FROM chat_reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3', [
          messageId,
          change.emoji,
          change.userId,
        ])
      ).rowCount === 1;
    const message = toMessage(stored);
    const deleted = stored.deleted_at !== null;
    const unchanged = { message, changed: false };
    let params: unknown[];
    switch (change.type) {
      case 'edit':
        if (deleted) throw messageDeleted();
        if (editChangesNothing(message, change)) return unchanged;
        params = [change.text, jsonOrNull(storedMentions(change.mentions)), change.at, change.ciphertext ?? null];
        break;
      case 'delete':
        // Erasing its author (`author`): a deleted message changes too, unless it names `author` already.
        if (deleted && !(change.author && namesOther(message.user, change.author))) return unchanged;
        params = change.author ? eraseAuthorParams(change.at, change.author) : [change.at];
        break;
      case 'react': {
        if (deleted) throw messageDeleted();
        if (reacted) return unchanged;
        const current = stored.reactions ?? [];
        if (!current.some((r) => r.emoji === change.emoji) && current.length >= change.maxEmojis) throw tooManyEmojis(change.maxEmojis);
        const next = nextReactions(current, change.emoji, change.userId, 'add');
        params = [change.emoji, change.userId, jsonOrNull(next)];
        break;
      }
      case 'unreact': {
        if (!reacted) return unchanged;
        const current = stored.reactions ?? [];
        const shown = current.find((r) => r.emoji === change.emoji);
        let others: string[] | undefined;
        // Taking back a reaction that is listed frees a place in `userIds`: the next oldest fills it.
        if (shown && shown.userIds.includes(change.userId) && shown.count > shown.userIds.length) {
          const found = await client.query<{ user_id: string }>(
            `SELECT user_id FROM chat_reactions WHERE message_id = $1 AND emoji = $2 AND user_id <> $3 ORDER BY rev LIMIT $4`,
            [messageId, change.emoji, change.userId, shown.userIds.length],
          );
          others = found.rows.map((r) => r.user_id);
        }
        const next = nextReactions(current, change.emoji, change.userId, 'remove', others);
        params = [change.emoji, change.userId, jsonOrNull(next)];
        break;
      }
      case 'previews':
        // Only for the text they were made of, and never on a deleted message.
        if (deleted || message.text !== change.text || samePreviews(message.previews, change.previews)) return unchanged;
        params = [JSON.stringify(change.previews)];
        break;
      case 'poll':
        if (deleted || samePoll(message.poll, change.poll)) return unchanged;
        params = [JSON.stringify(change.poll)];
        break;
      case 'question':
        if (deleted || sameQuestion(message.question, change.question)) return unchanged;
        params = [JSON.stringify(change.question)];
        break;
    }
    const erasing = change.type === 'delete' ? change.author : undefined;
    const sql = erasing ? ERASE_AUTHOR_SQL : CHANGE_SQL[change.type];
    const updated = await client.query<MessageRow & { room_last_seq: string }>(sql, [roomId, messageId, ...params]);
    const row = updated.rows[0];
    if (!row) throw builtInError('INTERNAL', 'The message could not be changed.');
    const { room_last_seq: roomLastSeq, ...changed } = row;
    const after = toMessage(changed);
    // The previews as the change left them (the statement's RETURNING reads them as they were).
    // The same for a poll (the `polls()` plugin's change); a delete takes it away.
    if (change.type === 'poll') after.poll = change.poll;
    else if (change.type === 'delete') delete after.poll;
    if (change.type === 'question') after.question = change.question;
    else if (change.type === 'delete') delete after.question;
    if (change.type === 'previews') after.previews = change.previews;
    else if (change.type === 'delete' || (change.type === 'edit' && (message.text !== change.text || change.ciphertext !== undefined)))
      delete after.previews;
    // Still under the room's row lock (taken by the rev bump): the copy changes with the message.
    if (after.seq === Number(roomLastSeq)) await client.query(REFRESH_LAST_MESSAGE_SQL, [roomId, after.seq]);
    // Still under the message's row lock: the mention index changes with the message (a reply only
    // in its thread is not in the room's log, so never in its mention counts).
    if ((change.type === 'edit' || change.type === 'delete') && (message.threadOf === undefined || message.alsoInRoom === true))
      await client.query(SYNC_MENTIONS_SQL, [roomId, after.seq, after.mentions ?? []]);
    const parent = erasing ? await eraseFromThread(client, message, erasing) : undefined;
    return { message: after, changed: true, ...(parent && { parent }) };
  });
}
