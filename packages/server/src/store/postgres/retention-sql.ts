import { builtInError } from '@chat/protocol';
import pg from 'pg';
import { storageUnreachable } from '../../core/storage-unreachable.js';
import type { ExpiredBatch } from '../../core/chat-store.js';
import { messageColumns, toMessage, type MessageRow } from './message-sql.js';
import { inTransaction } from './transaction.js';

const LAST_SEQ = '9223372036854775807';
/**
 * How long a batch, once it holds the room's row lock, waits for a row lock of the rows it deletes
 * (a message's, a reaction's, a thread's) before it gives up: while it waits it holds every send to
 * the room, so a wait with no end would hold them behind a transaction that is not retention's. A
 * second is far longer than a send or a change holds a row; the rows are left whole, and the next
 * pass deletes them. The room's own lock is waited for as a send waits for it (a send holds it
 * only while it is stored). A `lock_timeout` the database, role or connection sets is kept.
 */
const LOCK_WAIT_SQL = `SELECT set_config('lock_timeout', '1s', true) WHERE current_setting('lock_timeout') = '0'`;
/** PostgreSQL's lock_not_available: `lock_timeout` ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * $1 room, $2 cutoff, $3 batch size. The room's oldest rows by its (room_id, seq) index, cut at the
 * first one stored at or after the cutoff, deleted by primary key: a short statement that locks
 * only the rows it deletes (their reactions go by the foreign key's cascade, their previews, polls and questions with them).
 */
const EXPIRE_SQL = `
  WITH oldest AS (SELECT id, seq, created_at FROM chat_messages WHERE room_id = $1 ORDER BY seq LIMIT $3),
  doomed AS (
    SELECT id FROM oldest
    WHERE seq < COALESCE((SELECT min(seq) FROM oldest WHERE created_at >= $2::timestamptz), ${LAST_SEQ})
  )
  , unpreviewed AS (DELETE FROM chat_message_previews p USING doomed WHERE p.message_id = doomed.id)
  , unpolled AS (DELETE FROM chat_message_polls q USING doomed WHERE q.message_id = doomed.id)
  , unasked AS (DELETE FROM chat_message_questions x USING doomed WHERE x.message_id = doomed.id)
  DELETE FROM chat_messages m USING doomed WHERE m.id = doomed.id
  RETURNING ${messageColumns('m')}`;

/** $1 room: its first seq still held, or the next seq when none is. */
const HISTORY_START_SQL = `
  SELECT COALESCE((SELECT min(seq) FROM chat_messages WHERE room_id = $1), (SELECT last_seq + 1 FROM chat_rooms WHERE id = $1), 1) AS start`;

/** One retention step of `PostgresStore.expireMessages`, in a transaction of its own. */
export function expireMessages(pool: pg.Pool, roomId: string, before: string, limit: number): Promise<ExpiredBatch> {
  return inTransaction(pool, async (client) => {
    // The room's row lock first, as the append and every change take it: a batch that answers in a
    // thread changes its parent under that lock, and the other order could deadlock with it.
    await client.query('SELECT 1 FROM chat_rooms WHERE id = $1 FOR NO KEY UPDATE', [roomId]);
    await client.query(LOCK_WAIT_SQL);
    const { rows } = await client.query<MessageRow>(EXPIRE_SQL, [roomId, before, Math.max(0, limit)]);
    const messages = rows.map(toMessage).sort((a, b) => a.seq - b.seq);
    const last = messages.at(-1);
    if (last) {
      // The mention index and the room's copy of its last message go with the rows.
      await client.query('DELETE FROM chat_mentions WHERE room_id = $1 AND seq <= $2', [roomId, last.seq]);
      // So do what made them replies, and the threads (summary, participants, marks) of parents that went.
      const ids = messages.map((m) => m.id);
      await client.query('DELETE FROM chat_thread_replies WHERE room_id = $1 AND seq <= $2', [roomId, last.seq]);
      await client.query('DELETE FROM chat_threads WHERE room_id = $1 AND parent_id = ANY($2::text[])', [roomId, ids]);
      await client.query('DELETE FROM chat_thread_participants WHERE room_id = $1 AND thread_of = ANY($2::text[])', [roomId, ids]);
      await client.query('DELETE FROM chat_thread_reads WHERE room_id = $1 AND thread_of = ANY($2::text[])', [roomId, ids]);
      await client.query('UPDATE chat_rooms SET last_message = NULL WHERE id = $1 AND last_seq <= $2 AND last_message IS NOT NULL', [
        roomId,
        last.seq,
      ]);
    }
    return { messages, historyStart: await historyStart(client, roomId) };
  }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
    throw builtInError(
      'TIMEOUT',
      `Retention waited too long for rows of room ${roomId} that another transaction holds locked: it deleted none of this batch, and the next pass tries again.`,
      { cause: error },
    );
  });
}

/** Where the room's history starts now (see `MessagePage.historyStart`). */
export async function historyStart(db: pg.Pool | pg.PoolClient, roomId: string): Promise<number> {
  const { rows } = await db.query<{ start: string }>(HISTORY_START_SQL, [roomId]);
  return Number(rows[0]?.start ?? 1);
}

/**
 * Runs `task` while this process holds a session advisory lock named `name` in this schema, or
 * skips it (false) when another process holds it. The lock lives as long as its connection: a
 * process that dies mid-task lets the next one in at once, with no expiry to guess. That connection
 * is one of its own, opened with the pool's settings and closed after the task, not one of the
 * pool's: the task's batches take theirs from the pool, and a pool of one (or one whose connections
 * are all in use) would otherwise wait for ever on the connection its own lock holds.
 *
 * It has the pool's deadlines (the store's `connectTimeoutMs` and `queryTimeoutMs`): a PostgreSQL
 * that stalls or refuses fails the pass with the sentence `storageUnreachable` says, and the pass
 * runs again at its next interval. The connection is closed however the pass ends, without waiting
 * on a PostgreSQL that stopped answering (see {@link closeLockConnection}).
 */
export async function exclusive(pool: pg.Pool, name: string, task: () => Promise<void>): Promise<boolean> {
  const client = new pg.Client(pool.options);
  // A dropped connection emits `error`: unheard, it would end the process. Its next query fails.
  client.on('error', () => undefined);
  const closeDeadlineMs = pool.options.query_timeout || pool.options.connectionTimeoutMillis || 0;
  try {
    await client.connect();
  } catch (error) {
    await closeLockConnection(client, closeDeadlineMs);
    const reason = error instanceof Error ? error.message : String(error);
    throw (
      storageUnreachable(error) ??
      builtInError('INTERNAL', `The ${name} pass could not connect to the database (${reason}): it runs again at its next interval.`, {
        cause: error,
      })
    );
  }
  const key = 'hashtext($1), hashtext(current_schema())';
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${key}) AS locked`, [`chat:${name}`]);
    if (rows[0]?.locked !== true) return false;
    await task();
    return true;
  } finally {
    // Closing the connection releases the lock (an unlock first would only add a round trip).
    await closeLockConnection(client, closeDeadlineMs);
  }
}

/**
 * Ends the lock's connection: a goodbye to PostgreSQL, and the socket closed once it closes its
 * side. A PostgreSQL that stopped answering never does: past `deadlineMs` (0: none) the socket is
 * closed without it (PostgreSQL ends the session, and its locks, when it finds the socket gone).
 */
async function closeLockConnection(client: pg.Client, deadlineMs: number): Promise<void> {
  const ended = client.end().catch(() => undefined);
  if (deadlineMs === 0) return ended;
  const timer = setTimeout(() => client.connection.stream.destroy(), deadlineMs);
  await ended;
  clearTimeout(timer);
}
