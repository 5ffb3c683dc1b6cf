import type {
  Attachment,
  LinkPreview,
  Message,
  Poll,
  Question,
  ReactionSummary,
  Room,
  RoomOptions,
  SystemNote,
  ThreadSummary,
} from '@chat/protocol';
import type { ReactionRow } from './reaction-rows.js';

// The SQL of rooms and messages (appends and changes), and the mapping of their rows.

export interface RoomRow {
  id: string;
  title: string | null;
  metadata: Record<string, unknown> | null;
  private_metadata: Record<string, unknown> | null;
  options: RoomOptions;
  created_by: string | null;
  created_at: Date;
  ended_at: Date | null;
}

export interface MessageRow {
  id: string;
  room_id: string;
  seq: string;
  client_id: string;
  user_id: string;
  user_name: string;
  user_avatar: string | null;
  text: string;
  attachments: Attachment[];
  reply_to: string | null;
  // Strings where a query formats them as ISO 8601 itself (the conversations query: parsing
  // thousands of timestamps into Dates was a large part of its time).
  created_at: Date | string;
  rev: string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  mentions: string[] | null;
  reactions: ReactionRow[] | null;
  /** Absent in room copies of a last message made before migration 6. */
  user_bot?: boolean;
  system?: SystemNote | null;
  /** Absent in room copies of a last message made before migration 11. */
  thread_of?: string | null;
  also_in_room?: boolean | null;
  thread?: ThreadSummary | null;
  /** An encrypted room's ciphertext (migration 13); absent in room copies of a last message. */
  ciphertext?: string | null;
  /** The link previews (chat_message_previews, migration 26); absent in room copies of a last message. */
  previews?: LinkPreview[] | null;
  /** The poll (chat_message_polls, migration 27); absent in room copies of a last message. */
  poll?: Poll | null;
  /** The question (chat_message_questions, migration 30); absent in room copies of a last message. */
  question?: Question | null;
}

/** The columns of chat_messages itself. */
export const BASE_COLUMNS =
  'id, room_id, seq, client_id, user_id, user_name, user_avatar, text, attachments, reply_to, created_at, rev, edited_at, deleted_at, mentions, reactions, user_bot, system, ciphertext';
/** The names of a message row's columns as queries return them: chat_messages' own, then the thread's. */
export const MESSAGE_COLUMNS = `${BASE_COLUMNS}, thread_of, also_in_room, thread`;

/**
 * A reply's `thread_of` and `also_in_room` (from chat_thread_replies) and a parent's `thread`
 * (from chat_threads) of the chat_messages row `m`, as columns: migration 11 kept them out of
 * chat_messages, whose ALTER would have waited behind every open write and held every write behind it.
 */
const threadColumns = (m: string): string => {
  const reply = `FROM chat_thread_replies r WHERE r.room_id = ${m}.room_id AND r.seq = ${m}.seq`;
  return `(SELECT r.thread_of ${reply}) AS thread_of, (SELECT r.also_in_room ${reply}) AS also_in_room,
    (SELECT t.summary FROM chat_threads t WHERE t.room_id = ${m}.room_id AND t.parent_id = ${m}.id) AS thread`;
};

/** The thread columns of a row known to be in a room without threads: nothing to read. */
const NO_THREAD_COLUMNS = 'NULL::text AS thread_of, NULL::boolean AS also_in_room, NULL::jsonb AS thread';

/**
 * Every column of a message row (`MESSAGE_COLUMNS`) of the chat_messages row `m`; without
 * `threads`, for a room that has no thread, the thread columns are NULL and no thread table is read.
 */
export const messageColumns = (m: string, threads = true): string =>
  `${BASE_COLUMNS.split(', ')
    .map((c) => `${m}.${c}`)
    .join(', ')}, ${threads ? threadColumns(m) : NO_THREAD_COLUMNS}, ${previewsColumn(m)}, ${pollColumn(m)}, ${questionColumn(m)}`;

/**
 * The link previews of the chat_messages row `m`, as a column: migration 26 kept them out of
 * chat_messages for the reason of migration 11 (an ALTER of it waits behind every open write).
 */
export const previewsColumn = (m: string): string =>
  `(SELECT p.previews FROM chat_message_previews p WHERE p.message_id = ${m}.id) AS previews`;

/**
 * The poll of the chat_messages row `m`, as a column (migration 27, for the reason of 26); none
 * once the message is deleted, whichever path deleted it.
 */
export const pollColumn = (m: string): string =>
  `(SELECT q.poll FROM chat_message_polls q WHERE q.message_id = ${m}.id AND ${m}.deleted_at IS NULL) AS poll`;

/**
 * The question of the chat_messages row `m`, as a column (migration 30, for the reason of 26); none
 * once the message is deleted, whichever path deleted it.
 */
export const questionColumn = (m: string): string =>
  `(SELECT x.question FROM chat_message_questions x WHERE x.message_id = ${m}.id AND ${m}.deleted_at IS NULL) AS question`;

/** The chat_messages row `m` is in the main log: not a reply, or a reply sent alsoInRoom. */
export const inMainLog = (m: string): string =>
  `NOT EXISTS (SELECT 1 FROM chat_thread_replies r WHERE r.room_id = ${m}.room_id AND r.seq = ${m}.seq AND NOT r.also_in_room)`;
export const ROOM_COLUMNS = 'id, title, metadata, private_metadata, options, created_by, created_at, ended_at';

// The write of each change, after its checks: $1 room, $2 message, then the change's own values.
// Every one takes the room's next rev (the UPDATE holds the room's row lock to commit) and sets it
// on the message in the same statement; the room's last_seq comes back with the message, to tell
// whether the room's copy of its last message must follow.
export const BUMP_REV = 'WITH bumped AS (UPDATE chat_rooms SET last_rev = last_rev + 1 WHERE id = $1 RETURNING last_rev, last_seq)';
export const RETURNING = `RETURNING ${messageColumns('m')}, bumped.last_seq AS room_last_seq`;

/**
 * A change that sets what a plugin keeps of a message in a table of its own beside
 * `chat_messages` (`$3`, JSON, in `column`), and moves the message's `rev`.
 */
function besideMessage(table: string, column: string): string {
  return `${BUMP_REV}, kept AS (
      INSERT INTO ${table} (message_id, room_id, ${column}) VALUES ($2, $1, $3::jsonb)
      ON CONFLICT (message_id) DO UPDATE SET ${column} = EXCLUDED.${column})
    UPDATE chat_messages m SET rev = bumped.last_rev
    FROM bumped WHERE m.id = $2 ${RETURNING}`;
}

export const CHANGE_SQL = {
  // $3 text, $4 mentions, $5 editedAt, $6 ciphertext (an encrypted room's edit; NULL keeps it).
  // The previews were of the old text: a new text (or ciphertext) goes without until previewed anew
  // (RETURNING reads the statement's snapshot, with them: the store drops them from its answer).
  edit: `${BUMP_REV}, unpreviewed AS (
      DELETE FROM chat_message_previews p USING chat_messages o
      WHERE p.message_id = $2 AND o.id = $2 AND (o.text <> $3 OR $6::text IS NOT NULL))
    UPDATE chat_messages m SET text = $3, mentions = $4::jsonb, edited_at = $5::timestamptz, rev = bumped.last_rev,
      ciphertext = COALESCE($6, m.ciphertext)
    FROM bumped WHERE m.id = $2 ${RETURNING}`,
  // $3 deletedAt. Emptied for real, reactions with it: nothing of the message's content is kept.
  delete: `${BUMP_REV}, gone AS (DELETE FROM chat_reactions WHERE message_id = $2),
      unpreviewed AS (DELETE FROM chat_message_previews WHERE message_id = $2),
      unpolled AS (DELETE FROM chat_message_polls WHERE message_id = $2),
      unasked AS (DELETE FROM chat_message_questions WHERE message_id = $2)
    UPDATE chat_messages m SET text = '', ciphertext = NULL, attachments = '[]'::jsonb, mentions = NULL, reactions = NULL,
      deleted_at = $3::timestamptz, rev = bumped.last_rev
    FROM bumped WHERE m.id = $2 ${RETURNING}`,
  // $3 emoji, $4 user id, $5 the summary after it
  react: `${BUMP_REV}, added AS (
      INSERT INTO chat_reactions (message_id, emoji, user_id, room_id, rev) SELECT $2, $3, $4, $1, last_rev FROM bumped)
    UPDATE chat_messages m SET reactions = $5::jsonb, rev = bumped.last_rev
    FROM bumped WHERE m.id = $2 ${RETURNING}`,
  unreact: `${BUMP_REV}, removed AS (DELETE FROM chat_reactions WHERE message_id = $2 AND emoji = $3 AND user_id = $4)
    UPDATE chat_messages m SET reactions = $5::jsonb, rev = bumped.last_rev
    FROM bumped WHERE m.id = $2 ${RETURNING}`,
  // $3 the previews (RETURNING reads the statement's snapshot, without them: the store adds them)
  previews: besideMessage('chat_message_previews', 'previews'),
  // $3 the poll (RETURNING reads the statement's snapshot, with the poll before: the store sets it)
  poll: besideMessage('chat_message_polls', 'poll'),
  // $3 the question (as for a poll: the store sets it on its answer)
  question: besideMessage('chat_message_questions', 'question'),
} as const;

export function toRoom(row: RoomRow): Room {
  const room: Room = { id: row.id, options: row.options ?? {}, createdAt: row.created_at.toISOString() };
  if (row.title !== null) room.title = row.title;
  if (row.metadata !== null) room.metadata = row.metadata;
  if (row.private_metadata !== null) room.privateMetadata = row.private_metadata;
  if (row.created_by !== null) room.createdBy = row.created_by;
  if (row.ended_at !== null) room.endedAt = row.ended_at.toISOString();
  return room;
}

// SQL NULL for nothing (not the JSON value null).
export function jsonOrNull(value: object | null | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function isoTime(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString();
}

export function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    clientId: row.client_id,
    user:
      row.user_avatar === null
        ? { id: row.user_id, name: row.user_name }
        : { id: row.user_id, name: row.user_name, avatarUrl: row.user_avatar },
    text: row.text,
    attachments: row.attachments,
    createdAt: isoTime(row.created_at),
    rev: Number(row.rev),
  };
  if (row.user_bot === true) message.user.bot = true;
  if (row.system !== undefined && row.system !== null) message.system = row.system;
  if (row.ciphertext !== undefined && row.ciphertext !== null) message.ciphertext = row.ciphertext;
  if (row.reply_to !== null) message.replyTo = row.reply_to;
  if (row.thread_of !== undefined && row.thread_of !== null) {
    message.threadOf = row.thread_of;
    if (row.also_in_room === true) message.alsoInRoom = true;
  }
  if (row.thread !== undefined && row.thread !== null) message.thread = row.thread;
  if (row.edited_at !== null) message.editedAt = isoTime(row.edited_at);
  if (row.deleted_at !== null) message.deletedAt = isoTime(row.deleted_at);
  if (row.mentions !== null && row.mentions.length > 0) message.mentions = row.mentions;
  if (row.previews !== undefined && row.previews !== null) message.previews = row.previews;
  if (row.poll !== undefined && row.poll !== null) message.poll = row.poll;
  if (row.question !== undefined && row.question !== null) message.question = row.question;
  if (row.reactions !== null && row.reactions.length > 0) {
    const reactions: Record<string, ReactionSummary> = {};
    for (const r of row.reactions) reactions[r.emoji] = { count: r.count, userIds: r.userIds };
    message.reactions = reactions;
  }
  return message;
}
