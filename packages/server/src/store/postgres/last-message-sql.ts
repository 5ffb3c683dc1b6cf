// The copy of each room's last message kept on its chat_rooms row (migration 5), so that a user's
// conversations read no message rows: a JSON object with the keys of the message columns (the
// shape PostgresStore reads a message row in), timestamps as ISO strings. It is written in the
// statement that appends the message (under the room's row lock) and again by a change to the
// room's last message (in the change's transaction, under the same lock).

/** A timestamptz as ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The copy of the chat_messages row `m`, with its thread columns as these expressions. */
export const messageJson = (
  threadOf: string,
  alsoInRoom: string,
  thread: string,
): string => `json_build_object('id', m.id, 'room_id', m.room_id, 'seq', m.seq, 'client_id', m.client_id,
  'user_id', m.user_id, 'user_name', m.user_name, 'user_avatar', m.user_avatar, 'text', m.text, 'attachments', m.attachments,
  'reply_to', m.reply_to, 'created_at', ${iso('m.created_at')}, 'rev', m.rev, 'edited_at', ${iso('m.edited_at')},
  'deleted_at', ${iso('m.deleted_at')}, 'mentions', m.mentions, 'reactions', m.reactions, 'user_bot', m.user_bot, 'system', m.system,
  'thread_of', ${threadOf}, 'also_in_room', ${alsoInRoom}, 'thread', ${thread})`;

/** The copy of the chat_messages row `m` as it is stored (its thread columns read from their tables). */
export const MESSAGE_JSON = messageJson(
  '(SELECT r.thread_of FROM chat_thread_replies r WHERE r.room_id = m.room_id AND r.seq = m.seq)',
  '(SELECT r.also_in_room FROM chat_thread_replies r WHERE r.room_id = m.room_id AND r.seq = m.seq)',
  '(SELECT t.summary FROM chat_threads t WHERE t.room_id = m.room_id AND t.parent_id = m.id)',
);

/**
 * The copy of a message a batch append inserts, from its input row `f` (see append-batch-sql.ts),
 * in the UPDATE of chat_rooms `r` that hands out its seqs: `seq` is the expression of the row's
 * seq, and now() is the insert's `created_at` (one statement, one time).
 */
export const appendedMessageJson = (seq: string): string => `json_build_object('id', f.id, 'room_id', f.room_id, 'seq', ${seq},
  'client_id', f.client_id, 'user_id', f.user_id, 'user_name', f.user_name, 'user_avatar', f.user_avatar, 'text', f.text,
  'attachments', f.attachments::jsonb, 'reply_to', f.reply_to, 'created_at', ${iso('now()')}, 'rev', 0, 'edited_at', NULL,
  'deleted_at', NULL, 'mentions', f.mentions::jsonb, 'reactions', NULL, 'user_bot', f.user_bot, 'system', f.system::jsonb,
  'thread_of', f.thread_of, 'also_in_room', ${storedAlsoInRoom('f')}, 'thread', NULL)`;

/** What a new message stores as `also_in_room`: its flag when it is a reply, else NULL. */
export const storedAlsoInRoom = (f: string): string => `CASE WHEN ${f}.thread_of IS NOT NULL THEN ${f}.also_in_room END`;

/**
 * $1 room, $2 seq: copies the message at $2 if it is the room's last. Run after a change, in its
 * transaction (the room's row lock is held since the rev bump, so last_seq cannot move meanwhile).
 */
export const REFRESH_LAST_MESSAGE_SQL = `
  UPDATE chat_rooms r SET last_message = ${MESSAGE_JSON}
  FROM chat_messages m WHERE r.id = $1 AND r.last_seq = $2 AND m.room_id = $1 AND m.seq = $2`;
