import type pg from 'pg';
import type { Restriction } from '@chat/protocol';
import type { MemberRoom } from '../../core/chat-store.js';
import { toRoom, type RoomRow } from './message-sql.js';

// `ChatStore.memberRooms` on PostgreSQL: a user's rooms with their ban in each, in one statement
// (search read them before as 500 conversations, then each room's standings one by one).

// $1 user id, $2 limit. The order is CONVERSATIONS_SQL's (member-sql.ts); chat_members_user finds
// the user's rows and chat_standings' key their standings.
const MEMBER_ROOMS_SQL = `
  SELECT r.id, r.title, r.metadata, r.private_metadata, r.options, r.created_by, r.created_at, r.ended_at, s.ban
  FROM chat_members m JOIN chat_rooms r ON r.id = m.room_id
  LEFT JOIN chat_standings s ON s.room_id = m.room_id AND s.user_id = m.user_id
  WHERE m.user_id = $1 AND r.ended_at IS NULL
  ORDER BY date_trunc('milliseconds', COALESCE(r.last_message_at, m.added_at)) DESC, r.id COLLATE "C"
  LIMIT $2`;

type MemberRoomRow = RoomRow & { ban: Restriction | null };

/** The rooms `userId` is a stored member of, with the user's stored ban in each (`ChatStore.memberRooms`). */
export async function memberRoomsPostgres(pool: pg.Pool, userId: string, limit: number): Promise<MemberRoom[]> {
  const { rows } = await pool.query<MemberRoomRow>(MEMBER_ROOMS_SQL, [userId, Math.max(0, limit)]);
  return rows.map((row) => (row.ban === null ? { room: toRoom(row) } : { room: toRoom(row), ban: row.ban }));
}
