import type pg from 'pg';

/**
 * $1 room, $2 after, $3 up to. The seqs between (up to the room's last one) less the thread-only
 * replies among them: one range of chat_thread_replies' key, no message row read. Deleted
 * messages keep their seq and count, as in `conversations`' unread.
 */
const MAIN_LOG_COUNT_SQL = `
  SELECT GREATEST(0, LEAST($3::bigint, r.last_seq) - $2::bigint)
    - (SELECT count(*) FROM chat_thread_replies t
       WHERE t.room_id = r.id AND t.seq > $2::bigint AND t.seq <= LEAST($3::bigint, r.last_seq) AND NOT t.also_in_room) AS count
  FROM chat_rooms r WHERE r.id = $1`;

/** Messages of a room's main log with a seq in (`after`, `upTo`] (see `ChatStore.mainLogCount`). */
export async function mainLogCount(pool: pg.Pool, roomId: string, after: number, upTo: number): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(MAIN_LOG_COUNT_SQL, [roomId, after, upTo]);
  return rows[0] ? Number(rows[0].count) : 0;
}
