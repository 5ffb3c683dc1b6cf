import type { MessageDraft } from '../../core/chat-store.js';
import { storedMentions } from '../message-changes.js';
import { THREAD_PARTICIPANTS_MAX } from '@chat/protocol';
import { appendedMessageJson, iso, messageJson, storedAlsoInRoom } from './last-message-sql.js';
import { BASE_COLUMNS, MESSAGE_COLUMNS, jsonOrNull, messageColumns } from './message-sql.js';

// The SQL of a group commit: any number of appends, across rooms, in one statement (one round
// trip, one implicit transaction: all of it is stored or none of it).

// The first CTEs of both statements: `input`, `existing` and `fresh` (see APPEND_BATCH_SQL).
/**
 * What a reply's parent carries beside its row, read as history reads it (message-sql.ts): its
 * link previews, poll and question (none once deleted), so that the parent sent with its new
 * summary (`message:updated`) keeps them. Over the parent row `m`.
 */
const PARENT_SIDES = `jsonb_build_object(
      'previews', (SELECT p.previews FROM chat_message_previews p WHERE p.message_id = m.id),
      'poll', (SELECT q.poll FROM chat_message_polls q WHERE q.message_id = m.id AND m.deleted_at IS NULL),
      'question', (SELECT x.question FROM chat_message_questions x WHERE x.message_id = m.id AND m.deleted_at IS NULL))`;

const BATCH_HEAD = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
      $9::text[], $10::text[], $11::boolean[], $12::text[], $13::text[], $14::boolean[], $15::text[])
      WITH ORDINALITY AS t (room_id, client_id, id, user_id, user_name, user_avatar, text, attachments, reply_to, mentions, user_bot, system,
        thread_of, also_in_room, ciphertext, ord)
  ), existing AS MATERIALIZED (
    SELECT i.ord, m.* FROM input i
    CROSS JOIN LATERAL (SELECT ${messageColumns('m')} FROM chat_messages m WHERE m.room_id = i.room_id AND m.client_id = i.client_id LIMIT 1) m
  ), fresh AS MATERIALIZED (
    SELECT i.*, row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS k
    FROM input i WHERE i.ord NOT IN (SELECT ord FROM existing)
  ),`;

// The insert of the fresh rows, each with its seq from `bumped`; the same in both statements.
const INSERTED = `inserted AS (
    INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, user_avatar, text, attachments, reply_to, mentions, user_bot, system,
      ciphertext)
    SELECT f.id, f.room_id, b.last_seq - b.n + f.k, f.client_id, f.user_id, f.user_name, f.user_avatar, f.text, f.attachments::jsonb,
      f.reply_to, f.mentions::jsonb, f.user_bot, f.system::jsonb, f.ciphertext
    FROM fresh f JOIN bumped b ON b.id = f.room_id
    RETURNING ${BASE_COLUMNS}
  )`;

/**
 * $1 rooms, $2 clientIds, $3 ids, $4 user ids, $5 names, $6 avatars, $7 texts, $8 attachments (JSON),
 * $9 replyTos, $10 mentions (JSON or NULL), $11 bots, $12 systems (JSON or NULL), $13 threadOfs (a
 * top-level message's id, or NULL), $14 alsoInRooms, $15 ciphertexts (an encrypted room's, or NULL):
 * one element per append, in the order they arrived; at most one per (room, clientId).
 *
 * - `input` numbers the rows (`ord`); `existing` is what a retried send gets back (a stored copy
 *   wins); `fresh` is the rest, numbered 1..n within each room in arrival order (`k`). Each row
 *   probes the (room_id, client_id) index on its own (LATERAL ... LIMIT 1): as a join, the planner
 *   would hash the whole table for a few hundred rows.
 * - `threads` are the parents the fresh replies go to, numbered 1..np within each room (`t`).
 * - `locked` takes the row lock of every room with fresh rows in one order (by id): two batches
 *   (of this process or another) that share rooms wait for each other, never deadlock. ORDER BY
 *   with FOR NO KEY UPDATE sorts first and locks in that order. A room with no row: no lock, no
 *   insert, and no answer row (the caller reports ROOM_NOT_FOUND).
 * - `bumped` moves each room's `last_seq` by its n and `last_rev` by its np (the latest committed
 *   values: the lock is held) and copies its last fresh message onto the room; row k of the room
 *   gets `last_seq - n + k`, parent t the rev `last_rev - np + t`.
 * - Then the inserts, the mention index (messages of the main log), each parent's summary
 *   (`threaded`: the count grows by its replies in the batch, under the room's lock, so that
 *   replies on any number of processes count exactly), the thread indexes (a reply's sender, its
 *   parent's author and those it mentions take part), each sender's mark in the threads it
 *   replied to (its highest seq there; of a user mentioned into a thread, just before the first
 *   reply that mentions them), and
 *   each sender's read mark (its highest seq in the batch of the main log; no member row:
 *   nothing). Locks: rooms (in order), then the parents and members of those rooms only
 *   (changeMessage too locks the room before the message).
 */
export const APPEND_BATCH_SQL = `${BATCH_HEAD} threads AS MATERIALIZED (
    SELECT room_id, thread_of, count(*) AS n, row_number() OVER (PARTITION BY room_id ORDER BY min(ord)) AS t
    FROM fresh WHERE thread_of IS NOT NULL GROUP BY room_id, thread_of
  ), locked AS MATERIALIZED (
    SELECT r.id, c.n, COALESCE(p.np, 0) AS np FROM chat_rooms r
    JOIN (SELECT room_id, count(*) AS n FROM fresh GROUP BY room_id) c ON c.room_id = r.id
    LEFT JOIN (SELECT room_id, count(*) AS np FROM threads GROUP BY room_id) p ON p.room_id = r.id
    ORDER BY r.id FOR NO KEY UPDATE OF r
  ), bumped AS (
    UPDATE chat_rooms r SET last_seq = r.last_seq + l.n, last_rev = r.last_rev + l.np, last_message_at = now(),
      last_message = ${appendedMessageJson('r.last_seq + l.n')}
    FROM locked l JOIN fresh f ON f.room_id = l.id AND f.k = l.n
    WHERE r.id = l.id
    RETURNING r.id, r.last_seq, l.n, r.last_rev, l.np
  ), ${INSERTED}, born AS (
    SELECT i.*, f.thread_of, ${storedAlsoInRoom('f')} AS also_in_room FROM inserted i JOIN fresh f ON f.id = i.id
  ), mentioned AS (
    -- The room's mention counts: messages of its main log (a thread-only reply counts in its thread).
    INSERT INTO chat_mentions (room_id, user_id, seq)
    SELECT DISTINCT b.room_id, u, b.seq FROM born b, jsonb_array_elements_text(b.mentions) AS u
    WHERE b.thread_of IS NULL OR b.also_in_room
    ON CONFLICT DO NOTHING
  ), reply_mentions AS (
    SELECT DISTINCT b.room_id, u AS user_id, b.thread_of, b.seq FROM born b, jsonb_array_elements_text(b.mentions) AS u
    WHERE b.thread_of IS NOT NULL
  ), threaded AS (
    UPDATE chat_messages p SET rev = b.last_rev - b.np + t.t
    FROM threads t JOIN bumped b ON b.id = t.room_id
    WHERE p.room_id = t.room_id AND p.id = t.thread_of
      AND NOT EXISTS (SELECT 1 FROM chat_thread_replies r WHERE r.room_id = p.room_id AND r.seq = p.seq)
    RETURNING p.*, t.n
  ), summed AS (
    INSERT INTO chat_threads AS s (room_id, parent_id, summary)
    SELECT p.room_id, p.id, ${nextSummary('NULL::jsonb', 'p.room_id', 'p.id', 'p.n')} FROM threaded p
    -- excluded.summary is the summary of this batch's replies alone: its count is theirs.
    ON CONFLICT (room_id, parent_id) DO UPDATE SET summary = ${nextSummary(
      's.summary',
      'excluded.room_id',
      'excluded.parent_id',
      "(excluded.summary ->> 'replyCount')::bigint",
    )}
    RETURNING s.room_id, s.parent_id, s.summary
  ), replied AS (
    INSERT INTO chat_thread_replies (room_id, seq, thread_of, user_id, also_in_room)
    SELECT i.room_id, i.seq, i.thread_of, i.user_id, i.also_in_room FROM born i WHERE i.thread_of IS NOT NULL
  ), joined AS (
    INSERT INTO chat_thread_participants (room_id, user_id, thread_of)
    SELECT i.room_id, i.user_id, i.thread_of FROM born i WHERE i.thread_of IS NOT NULL
    UNION SELECT p.room_id, p.user_id, p.id FROM threaded p
    UNION SELECT m.room_id, m.user_id, m.thread_of FROM reply_mentions m
    ON CONFLICT DO NOTHING
    RETURNING room_id, user_id, thread_of
  ), thread_marked AS (
    INSERT INTO chat_thread_reads AS t (room_id, user_id, thread_of, read_seq)
    SELECT room_id, user_id, thread_of, max(seq) FROM (
      SELECT room_id, user_id, thread_of, seq FROM born WHERE thread_of IS NOT NULL
      -- Mentioned into a thread (neither its parent's author nor replying in it here): from the
      -- first reply that mentions them on, the replies before are not theirs to read.
      UNION ALL SELECT m.room_id, m.user_id, m.thread_of, min(m.seq) - 1 FROM reply_mentions m
      JOIN joined j ON j.room_id = m.room_id AND j.user_id = m.user_id AND j.thread_of = m.thread_of
      WHERE NOT EXISTS (SELECT 1 FROM born r WHERE r.room_id = m.room_id AND r.thread_of = m.thread_of AND r.user_id = m.user_id)
        AND NOT EXISTS (SELECT 1 FROM threaded p WHERE p.room_id = m.room_id AND p.id = m.thread_of AND p.user_id = m.user_id)
      GROUP BY m.room_id, m.user_id, m.thread_of
    ) x WHERE seq > 0 GROUP BY room_id, user_id, thread_of
    ON CONFLICT (room_id, user_id, thread_of) DO UPDATE SET read_seq = GREATEST(t.read_seq, EXCLUDED.read_seq)
  ), marked AS (
    UPDATE chat_members m SET read_seq = GREATEST(m.read_seq, x.seq)
    FROM (SELECT room_id, user_id, max(seq) AS seq FROM born WHERE thread_of IS NULL OR also_in_room GROUP BY room_id, user_id) x
    WHERE m.room_id = x.room_id AND m.user_id = x.user_id AND m.read_seq < x.seq
  )
  SELECT ${MESSAGE_COLUMNS}, true AS duplicate, NULL::json AS parent FROM existing
  UNION ALL
  SELECT i.*, NULL::jsonb AS thread, false AS duplicate,
    (SELECT (${messageJson('NULL', 'NULL', 's.summary')}::jsonb || ${PARENT_SIDES})::json
     FROM threaded m JOIN summed s ON s.room_id = m.room_id AND s.parent_id = m.id
     WHERE m.room_id = i.room_id AND m.id = i.thread_of) AS parent
  FROM born i`;

/**
 * {@link APPEND_BATCH_SQL} for a batch with no reply and no mention (most batches): the same
 * parameters, the same answer, and the same effect, without the parts that would do nothing
 * (the thread tables, the mention index, `last_rev`). Every part of a statement costs at each
 * run even with no rows (the tables and indexes it opens and locks): measured at about 1.2 ms of
 * PostgreSQL's CPU per statement at ten rows (docs/performance.md, "Where PostgreSQL's CPU per
 * stored message goes").
 */
export const APPEND_PLAIN_BATCH_SQL = `${BATCH_HEAD} locked AS MATERIALIZED (
    SELECT r.id, c.n FROM chat_rooms r
    JOIN (SELECT room_id, count(*) AS n FROM fresh GROUP BY room_id) c ON c.room_id = r.id
    ORDER BY r.id FOR NO KEY UPDATE OF r
  ), bumped AS (
    UPDATE chat_rooms r SET last_seq = r.last_seq + l.n, last_message_at = now(),
      last_message = ${appendedMessageJson('r.last_seq + l.n')}
    FROM locked l JOIN fresh f ON f.room_id = l.id AND f.k = l.n
    WHERE r.id = l.id
    RETURNING r.id, r.last_seq, l.n
  ), ${INSERTED}, marked AS (
    UPDATE chat_members m SET read_seq = GREATEST(m.read_seq, x.seq)
    FROM (SELECT room_id, user_id, max(seq) AS seq FROM inserted GROUP BY room_id, user_id) x
    WHERE m.room_id = x.room_id AND m.user_id = x.user_id AND m.read_seq < x.seq
  )
  SELECT ${MESSAGE_COLUMNS}, true AS duplicate, NULL::json AS parent FROM existing
  UNION ALL
  SELECT i.*, NULL::text AS thread_of, NULL::boolean AS also_in_room, NULL::jsonb AS thread, false AS duplicate, NULL::json AS parent
  FROM inserted i`;

/**
 * A parent's summary after its replies of this batch: `summary` the summary before (or NULL),
 * `room` and `parentId` the parent's, `count` how many replies it got. The count grows by `count`,
 * the time is the statement's (the replies' `created_at`), and the batch's senders not listed yet
 * join the participants, up to `THREAD_PARTICIPANTS_MAX`, in the order of their first reply.
 */
function nextSummary(summary: string, room: string, parentId: string, count: string): string {
  const listed = `COALESCE(${summary} -> 'participants', '[]'::jsonb)`;
  return `jsonb_build_object(
      'replyCount', COALESCE((${summary} ->> 'replyCount')::bigint, 0) + ${count},
      'lastReplyAt', ${iso('now()')},
      'participants', (SELECT COALESCE(jsonb_agg(x.e ORDER BY x.o), '[]'::jsonb) FROM (
        SELECT u.e, u.o FROM (
          SELECT a.e, a.o FROM jsonb_array_elements(${listed}) WITH ORDINALITY AS a (e, o)
          UNION ALL
          SELECT jsonb_strip_nulls(jsonb_build_object('id', w.user_id, 'name', w.user_name, 'avatarUrl', w.user_avatar,
              'bot', CASE WHEN w.user_bot THEN true END)), ${THREAD_PARTICIPANTS_MAX} + w.ord
          FROM (SELECT DISTINCT ON (f.user_id) f.user_id, f.user_name, f.user_avatar, f.user_bot, f.ord FROM fresh f
                WHERE f.room_id = ${room} AND f.thread_of = ${parentId} ORDER BY f.user_id, f.ord) w
          WHERE NOT (${listed} @> jsonb_build_array(jsonb_build_object('id', w.user_id)))
        ) u ORDER BY u.o LIMIT ${THREAD_PARTICIPANTS_MAX}) x))`;
}

/** One append's values, in the order of {@link APPEND_BATCH_SQL}'s parameters ($3: the new message's id). */
export type AppendRow = readonly unknown[];

/** The values of one append; `id` is the id the message gets if it is stored by this append. */
export function appendRow(draft: MessageDraft, id: string): AppendRow {
  return [
    draft.roomId,
    draft.clientId,
    id,
    draft.user.id,
    draft.user.name,
    draft.user.avatarUrl ?? null,
    draft.text,
    JSON.stringify(draft.attachments),
    draft.replyTo ?? null,
    jsonOrNull(storedMentions(draft.mentions)),
    draft.user.bot === true,
    jsonOrNull(draft.system),
    draft.threadOf ?? null,
    draft.alsoInRoom === true,
    draft.ciphertext ?? null,
  ];
}

/**
 * Why PostgreSQL would refuse this row, found before it joins a batch (so that it does not fail
 * the batch), or undefined. A NUL character is the one a valid message can carry: `text` and
 * `jsonb` cannot hold it.
 */
export function unstorable(row: AppendRow): string | undefined {
  return row.some((value, c) => typeof value === 'string' && (JSON_COLUMNS.has(c) ? JSON_NUL.test(value) : value.includes('\0')))
    ? 'A message cannot contain the character U+0000.'
    : undefined;
}
// The JSON parameters ($8 attachments, $10 mentions, $12 system), and a NUL in JSON text: `\u0000`
// after an even number of backslashes (an escaped backslash followed by `u0000` is not one).
const JSON_COLUMNS = new Set([7, 9, 11]);
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/u;

// The columns of $10 mentions and $13 threadOfs in an AppendRow.
const MENTIONS = 9;
const THREAD_OF = 12;

/** The statement for these rows: {@link APPEND_PLAIN_BATCH_SQL} when none is a reply or has mentions. */
export const appendBatchSql = (rows: readonly AppendRow[]): string =>
  rows.every((row) => row[MENTIONS] === null && row[THREAD_OF] === null) ? APPEND_PLAIN_BATCH_SQL : APPEND_BATCH_SQL;

/** The parameters of {@link APPEND_BATCH_SQL} (and {@link APPEND_PLAIN_BATCH_SQL}) for these rows: one array per column. */
export function appendBatchParams(rows: readonly AppendRow[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 15 }, () => new Array<unknown>(rows.length));
  rows.forEach((row, i) => {
    row.forEach((value, c) => {
      columns[c]![i] = value;
    });
  });
  return columns;
}

/** The key of an append's idempotency: a room and a clientId. */
export const appendKey = (roomId: string, clientId: string): string => `${roomId}\u0000${clientId}`;
