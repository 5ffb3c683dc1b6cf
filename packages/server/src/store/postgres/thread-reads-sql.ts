import type pg from 'pg';
import type { ThreadRead } from '@chat/protocol';
import type { ReadMarkResult } from '../../core/chat-store.js';
import { checkReadSeq, notAMember } from '../membership.js';

// Who follows a thread (chat_thread_participants) and their marks in it (migration 15,
// chat_thread_reads: one row per user and thread, moved forward only).

/** Who takes part in a thread (see `ChatStore.threadParticipants`). */
export async function threadParticipants(pool: pg.Pool, roomId: string, threadOf: string): Promise<string[]> {
  const { rows } = await pool.query<{ user_id: string }>(
    'SELECT user_id FROM chat_thread_participants WHERE room_id = $1 AND thread_of = $2',
    [roomId, threadOf],
  );
  return rows.map((r) => r.user_id);
}

/**
 * $1 room, $2 user, $3 thread, $4 seq. Members only (the member row is read in the same
 * statement); the target is clamped to the room's last seq. `moved` is the mark when it moved
 * (a new row, or a row below the target), `mark` the row as this statement found it otherwise.
 */
const MARK_THREAD_READ_SQL = `
  WITH target AS (
    SELECT LEAST($4::bigint, r.last_seq) AS seq FROM chat_rooms r
    JOIN chat_members m ON m.room_id = r.id AND m.user_id = $2 WHERE r.id = $1
  ), up AS (
    INSERT INTO chat_thread_reads AS t (room_id, user_id, thread_of, read_seq)
    SELECT $1, $2, $3, seq FROM target WHERE seq > 0
    ON CONFLICT (room_id, user_id, thread_of) DO UPDATE SET read_seq = EXCLUDED.read_seq WHERE t.read_seq < EXCLUDED.read_seq
    RETURNING t.read_seq
  )
  SELECT (SELECT seq FROM target) AS target, (SELECT read_seq FROM up) AS moved,
    (SELECT read_seq FROM chat_thread_reads WHERE room_id = $1 AND user_id = $2 AND thread_of = $3) AS mark`;

/** Moves a member's mark in one thread (see `ChatStore.markThreadRead`). */
export async function markThreadRead(
  pool: pg.Pool,
  roomId: string,
  userId: string,
  threadOf: string,
  seq: number,
): Promise<ReadMarkResult> {
  checkReadSeq(seq);
  const { rows } = await pool.query<{ target: string | null; moved: string | null; mark: string | null }>(MARK_THREAD_READ_SQL, [
    roomId,
    userId,
    threadOf,
    seq,
  ]);
  const row = rows[0];
  if (!row || row.target === null) throw notAMember(roomId, userId);
  if (row.moved !== null) return { seq: Number(row.moved), changed: true };
  // Not moved: the mark is at the target already (or above it, by another statement meanwhile).
  return { seq: Math.max(Number(row.mark ?? 0), Number(row.target)), changed: false };
}

/**
 * Replies of others (`also_in_room` ones too) after the user's mark in each thread `p`
 * (chat_thread_participants) of a room: `room` and `user` are SQL expressions. One range of
 * (room_id, thread_of, seq) per thread.
 */
export function threadUnreadJoin(room: string, user: string): string {
  return `chat_thread_participants p
    LEFT JOIN chat_thread_reads tr ON tr.room_id = p.room_id AND tr.user_id = p.user_id AND tr.thread_of = p.thread_of
    JOIN chat_thread_replies t ON t.room_id = p.room_id AND t.thread_of = p.thread_of AND t.seq > COALESCE(tr.read_seq, 0)
    WHERE p.room_id = ${room} AND p.user_id = ${user} AND t.user_id <> ${user}`;
}

/**
 * $1 room, $2 user, $3 limit. Every thread the user takes part in: those with unread replies first
 * (the newest unread reply first), then the others by their newest reply; each count is one range
 * of chat_thread_replies_thread, the newest reply one row of it.
 */
const THREAD_READS_SQL = `
  SELECT p.thread_of, COALESCE(tr.read_seq, 0) AS read_seq, u.unread, u.newest,
    (SELECT max(l.seq) FROM chat_thread_replies l WHERE l.room_id = p.room_id AND l.thread_of = p.thread_of) AS last
  FROM chat_thread_participants p
  LEFT JOIN chat_thread_reads tr ON tr.room_id = p.room_id AND tr.user_id = p.user_id AND tr.thread_of = p.thread_of
  CROSS JOIN LATERAL (
    SELECT count(*) AS unread, max(t.seq) AS newest FROM chat_thread_replies t
    WHERE t.room_id = p.room_id AND t.thread_of = p.thread_of AND t.seq > COALESCE(tr.read_seq, 0) AND t.user_id <> p.user_id
  ) u
  WHERE p.room_id = $1 AND p.user_id = $2
  ORDER BY u.newest DESC NULLS LAST, last DESC NULLS LAST, p.thread_of COLLATE "C" LIMIT $3`;

/** The threads of a room the user takes part in, with their unread replies (see `ChatStore.threadReads`). */
export async function threadReads(pool: pg.Pool, roomId: string, userId: string, limit: number): Promise<ThreadRead[]> {
  const { rows } = await pool.query<{ thread_of: string; read_seq: string; unread: string }>(THREAD_READS_SQL, [
    roomId,
    userId,
    Math.max(0, limit),
  ]);
  return rows.map((r) => ({ threadOf: r.thread_of, readSeq: Number(r.read_seq), unread: Number(r.unread) }));
}
