import type pg from 'pg';
import type { ExpiredBatch } from '../../core/chat-store.js';
import { messageColumns, toMessage, type MessageRow } from './message-sql.js';
import { checkOut, inTransaction } from './transaction.js';

const LAST_SEQ = '9223372036854775807';

/**
 * $1 room, $2 cutoff, $3 batch size. The room's oldest rows by its (room_id, seq) index, cut at the
 * first one stored at or after the cutoff, deleted by primary key: a short statement that locks
 * only the rows it deletes (their reactions go by the foreign key's cascade).
 */
const EXPIRE_SQL = `
  WITH oldest AS (SELECT id, seq, created_at FROM chat_messages WHERE room_id = $1 ORDER BY seq LIMIT $3),
  doomed AS (
    SELECT id FROM oldest
    WHERE seq < COALESCE((SELECT min(seq) FROM oldest WHERE created_at >= $2::timestamptz), ${LAST_SEQ})
  )
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
 * process that dies mid-task lets the next one in at once, with no expiry to guess. A connection
 * PostgreSQL drops while the task runs (the lock goes with it) is ended, never reused.
 */
export async function exclusive(pool: pg.Pool, name: string, task: () => Promise<void>): Promise<boolean> {
  const { client, release } = await checkOut(pool);
  const key = 'hashtext($1), hashtext(current_schema())';
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${key}) AS locked`, [`chat:${name}`]);
    if (rows[0]?.locked !== true) return false;
    try {
      await task();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${key})`, [`chat:${name}`]).catch((error: Error) => {
        // A connection that cannot unlock is ended (not reused): that releases the lock.
        broken = error;
      });
    }
    return true;
  } finally {
    release(broken);
  }
}
