import type pg from 'pg';
import type { MessagePage, MessageQuery } from '../../core/chat-store.js';
import {
  BASE_COLUMNS,
  inMainLog,
  messageColumns,
  pollColumn,
  previewsColumn,
  questionColumn,
  toMessage,
  type MessageRow,
} from './message-sql.js';
import { historyStart } from './retention-sql.js';

// PostgresStore's history pages: a room's changes since a rev, its main log by seq (replies only
// with alsoInRoom) with where history starts when retention removed older messages, and a thread.

/**
 * A room's page as one statement that reads the thread tables only when the room has a reply:
 * `select(threads)` is the page's query with or without them, each kept to its own kind of room by
 * a condition on the CTE `room` alone, which PostgreSQL evaluates once and uses as a one-time
 * filter (the other branch is never executed). Most rooms have no thread: their pages read
 * chat_messages' (room_id, seq) index and nothing else, where every row cost three probes of the
 * thread tables and an anti-join. A reply never outlives its parent (retention goes oldest first,
 * erasing keeps the rows), so a room without replies has no thread summaries either. (One WHERE
 * with `NOT threaded OR NOT EXISTS (...)` was planned as a hashed subplan: a scan of every reply.)
 */
function byThreads(select: (threads: boolean) => string, order: string): string {
  return `WITH room AS MATERIALIZED (SELECT EXISTS (SELECT 1 FROM chat_thread_replies WHERE room_id = $1) AS threaded)
    SELECT * FROM ((${select(false)}) UNION ALL (${select(true)})) page ORDER BY ${order}`;
}

/** The condition that keeps a branch of {@link byThreads} to its kind of room. */
const roomHasThreads = (threads: boolean): string => `${threads ? '' : 'NOT '}(SELECT threaded FROM room)`;

/** `ChatStore.listMessages` on PostgreSQL. */
export async function listMessages(pool: pg.Pool, roomId: string, query: MessageQuery): Promise<MessagePage> {
  const limit = Math.max(0, query.limit);
  if (query.changedAfter !== undefined) {
    // `rev > 0` as a literal lets the planner use the partial index whatever $2 is.
    const { rows } = await pool.query<MessageRow>(
      byThreads(
        (threads) => `SELECT ${messageColumns('m', threads)} FROM chat_messages m
          WHERE ${roomHasThreads(threads)} AND m.room_id = $1 AND m.rev > 0 AND m.rev > $2
            AND ($3::bigint IS NULL OR m.seq >= $3) AND ($4::bigint IS NULL OR m.seq <= $4)
          ORDER BY m.rev ASC LIMIT $5`,
        'page.rev ASC',
      ),
      [roomId, Math.max(0, query.changedAfter), query.minSeq ?? null, query.maxSeq ?? null, limit + 1],
    );
    return { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
  }
  if (query.threadOf !== undefined) return threadPage(pool, roomId, query.threadOf, query, limit);
  // The main log: replies only with alsoInRoom (a filter on the (room_id, seq) index's rows).
  if (query.after !== undefined) {
    const { rows } = await pool.query<MessageRow>(
      byThreads(
        (threads) => `SELECT ${messageColumns('m', threads)} FROM chat_messages m
          WHERE ${roomHasThreads(threads)} AND m.room_id = $1 AND m.seq > $2 ${threads ? `AND ${inMainLog('m')}` : ''}
          ORDER BY m.seq ASC LIMIT $3`,
        'page.seq ASC',
      ),
      [roomId, query.after, limit + 1],
    );
    const page = { messages: rows.slice(0, limit).map(toMessage), hasMore: rows.length > limit };
    // Asked only when the page does not start right after `after`: then seqs were removed, or none came yet.
    return Number(rows[0]?.seq ?? Infinity) > query.after + 1 ? withHistoryStart(pool, roomId, page, query.after + 1) : page;
  }
  const { rows } = await pool.query<MessageRow>(
    byThreads(
      (threads) => `SELECT ${messageColumns('m', threads)} FROM chat_messages m
        WHERE ${roomHasThreads(threads)} AND m.room_id = $1 AND ($2::bigint IS NULL OR m.seq < $2) ${threads ? `AND ${inMainLog('m')}` : ''}
        ORDER BY m.seq DESC LIMIT $3`,
      'page.seq DESC',
    ),
    [roomId, query.before ?? null, limit + 1],
  );
  const page = { messages: rows.slice(0, limit).reverse().map(toMessage), hasMore: rows.length > limit };
  return page.hasMore || (page.messages[0]?.seq ?? 0) === 1 ? page : withHistoryStart(pool, roomId, page, 1);
}

// The page with `historyStart` when the room's history starts past `from` (older messages were removed).
async function withHistoryStart(pool: pg.Pool, roomId: string, page: MessagePage, from: number): Promise<MessagePage> {
  const start = await historyStart(pool, roomId);
  return start > from && start > 1 ? { ...page, historyStart: start } : page;
}

/**
 * A page of a thread: its replies from the thread index (with their `thread_of` and `also_in_room`),
 * then their rows by (room_id, seq). A reply is never a parent (a reply to a reply joins its
 * thread), so no thread summary is looked up: `messageColumns` would probe chat_thread_replies twice
 * and chat_threads once more per row (515 buffers a page of 50 of a 10,000-reply thread, 158 now).
 */
async function threadPage(pool: pg.Pool, roomId: string, threadOf: string, query: MessageQuery, limit: number): Promise<MessagePage> {
  const forward = query.after !== undefined;
  const { rows } = await pool.query<MessageRow>(
    `SELECT ${BASE_COLUMNS.split(', ')
      .map((c) => `m.${c}`)
      .join(
        ', ',
      )}, t.thread_of, t.also_in_room, NULL::jsonb AS thread, ${previewsColumn('m')}, ${pollColumn('m')}, ${questionColumn('m')} FROM (
       SELECT seq, thread_of, also_in_room FROM chat_thread_replies WHERE room_id = $1 AND thread_of = $2
         AND ($3::bigint IS NULL OR seq > $3) AND ($4::bigint IS NULL OR seq < $4)
       ORDER BY seq ${forward ? 'ASC' : 'DESC'} LIMIT $5) t
     JOIN chat_messages m ON m.room_id = $1 AND m.seq = t.seq
     ORDER BY m.seq ${forward ? 'ASC' : 'DESC'}`,
    [roomId, threadOf, query.after ?? null, query.before ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toMessage);
  return { messages: forward ? page : page.reverse(), hasMore: rows.length > limit };
}
