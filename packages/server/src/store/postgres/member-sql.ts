import type { NotificationLevel, PublicRoom, RoomOptions, UserRef } from '@chat/protocol';
import type { RoomMember, StoredUser } from '../../core/chat-store.js';
import { MESSAGE_JSON, iso } from './last-message-sql.js';
import { threadUnreadJoin } from './thread-reads-sql.js';

// The SQL of stored members, users, read marks, mentions and conversations (migration 4), and
// the mapping of its rows. Ties in orderings use COLLATE "C" (code-unit order, as MemoryStore's
// string comparison) so that both stores list alike whatever the database's collation.

/** The latest name and avatar win; a row that would not change is not written (joins call this often). */
const UPSERT_USERS_SET = `ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, avatar_url = EXCLUDED.avatar_url
  WHERE (chat_users.name, chat_users.avatar_url) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.avatar_url)`;

/**
 * $1 room, $2 user ids (unique, sorted: rows are locked in one order), $3 names, $4 avatars.
 * `added_at` is the database's clock, as `last_message_at` is: activity compares times of one clock.
 * A new member starts at the mark their ended membership kept (migration 28; at most the room's
 * last seq), else 0. LEAST ignores the NULL of an unknown room, which the foreign key refuses.
 */
export const ADD_MEMBERS_SQL = `
  WITH saved AS (
    INSERT INTO chat_users (id, name, avatar_url) SELECT * FROM unnest($2::text[], $3::text[], $4::text[])
    ${UPSERT_USERS_SET}
  ), ended AS (
    DELETE FROM chat_ended_reads WHERE room_id = $1 AND user_id = ANY($2::text[]) RETURNING user_id, read_seq
  )
  INSERT INTO chat_members (room_id, user_id, read_seq)
  SELECT $1, id, LEAST(COALESCE((SELECT read_seq FROM ended WHERE user_id = id), 0), (SELECT last_seq FROM chat_rooms WHERE id = $1))
  FROM unnest($2::text[]) AS id
  ON CONFLICT (room_id, user_id) DO NOTHING`;

/** The constraint a member of an unknown room breaks. */
export const MEMBER_ROOM_FK = 'chat_members_room_id_fkey';

/** $1 room, $2 user ids. The memberships end; their read marks are kept (migration 28) for when they start again. */
export const REMOVE_MEMBERS_SQL = `
  WITH gone AS (
    DELETE FROM chat_members WHERE room_id = $1 AND user_id = ANY($2::text[]) RETURNING room_id, user_id, read_seq
  )
  INSERT INTO chat_ended_reads (room_id, user_id, read_seq) SELECT room_id, user_id, read_seq FROM gone WHERE read_seq > 0
  ON CONFLICT (room_id, user_id) DO UPDATE SET read_seq = EXCLUDED.read_seq`;

/** $1 room. */
export const LIST_MEMBERS_SQL = `
  SELECT m.user_id, u.name, u.avatar_url, m.added_at, m.read_seq, m.notifications
  FROM chat_members m JOIN chat_users u ON u.id = m.user_id
  WHERE m.room_id = $1 ORDER BY m.added_at, m.user_id COLLATE "C"`;

/** $1 room, $2 user. */
export const MEMBER_SQL = 'SELECT read_seq FROM chat_members WHERE room_id = $1 AND user_id = $2';

/** $1 room, $2 user ids: the levels of those who are members (the primary key's index, one read). */
export const MEMBER_LEVELS_SQL = 'SELECT user_id, notifications FROM chat_members WHERE room_id = $1 AND user_id = ANY($2::text[])';

/**
 * $1 room, $2 user, $3 seq. Writes only when the mark moves (returns no row otherwise). The
 * member's row lock serialises marks from any number of processes, and PostgreSQL rechecks the
 * condition on the newest row after waiting, so two marks at once end at the higher.
 */
export const MARK_READ_SQL = `
  UPDATE chat_members m SET read_seq = GREATEST(m.read_seq, LEAST($3::bigint, r.last_seq))
  FROM chat_rooms r
  WHERE m.room_id = $1 AND m.user_id = $2 AND r.id = m.room_id AND m.read_seq < LEAST($3::bigint, r.last_seq)
  RETURNING m.read_seq`;

/** $1 room, $2 user, $3 level. */
export const SET_NOTIFICATIONS_SQL = 'UPDATE chat_members SET notifications = $3 WHERE room_id = $1 AND user_id = $2';

/** $1 id, $2 name, $3 avatar, $4 lastSeenAt (null: keep). `last_seen_at` only moves forward. */
export const SAVE_USER_SQL = `
  INSERT INTO chat_users (id, name, avatar_url, last_seen_at) VALUES ($1, $2, $3, $4::timestamptz)
  ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, avatar_url = EXCLUDED.avatar_url,
    last_seen_at = GREATEST(chat_users.last_seen_at, EXCLUDED.last_seen_at)
  WHERE (chat_users.name, chat_users.avatar_url) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.avatar_url)
    OR EXCLUDED.last_seen_at > COALESCE(chat_users.last_seen_at, '-infinity'::timestamptz)`;

/** $1 ids. */
export const GET_USERS_SQL = 'SELECT id, name, avatar_url, last_seen_at FROM chat_users WHERE id = ANY($1::text[])';

/**
 * $1 room, $2 the message's seq, $3 the user ids it mentions now. The two parts touch disjoint
 * rows (data-modifying parts of one statement run in no set order).
 */
export const SYNC_MENTIONS_SQL = `
  WITH gone AS (DELETE FROM chat_mentions WHERE room_id = $1 AND seq = $2 AND NOT (user_id = ANY($3::text[])))
  INSERT INTO chat_mentions (room_id, user_id, seq) SELECT DISTINCT $1, u, $2::bigint FROM unnest($3::text[]) AS u
  ON CONFLICT DO NOTHING`;

/**
 * Past this many rooms per membership of the user, the page of conversations is chosen by a probe of
 * chat_rooms' key per membership rather than by a scan of chat_rooms (see CONVERSATIONS_SQL).
 * Measured on the two `conversations` benches (docs/performance.md): the scan wins at 4 rooms a
 * membership (500 of 2,000), the probes at 20 (500 of 10,000); the two cost about the same near 9.
 */
const PROBE_RATIO = 8;

/**
 * A user's conversations: $1 user, $2 limit. The page is chosen on narrow rows (the user's
 * memberships from chat_members_user with each room's id and activity: the sort takes ids and
 * times, not rooms with their last message); only the `limit` newest are then read whole (by key)
 * and completed. How the memberships meet chat_rooms depends on their ratio (`probe`: the user's
 * memberships, counted on chat_members_user, against PostgreSQL's estimate of chat_rooms' rows,
 * -1 before its first ANALYZE): while the user is in a good share of the rooms, one scan of
 * chat_rooms hashed against them (2,000 rooms: 150 buffers against 1,500 for probes); once the
 * rooms outnumber the memberships {@link PROBE_RATIO} times (a room per support ticket), a probe of
 * the key per membership, whose cost does not grow with chat_rooms. (The planner alone, costing a
 * probe as a read from disk, scans at 10,000 rooms too; a LATERAL subquery with LIMIT 1 is what
 * keeps the probes.) Only one branch runs: the other's condition is a one-time filter. Sorting
 * the user's wide rows (each carries its last message) was what made the first version of this
 * statement 4 to 6 times slower at 10,000 rooms (docs/storage.md, "Large tables"). For the page:
 * the unread count is arithmetic on two counters, mentions one range of chat_mentions' key (none
 * to look for in a room read to the end), the thread counts a probe of the thread tables each
 * (none in a room whose `last_rev` is 0: every reply moves the room's rev, so such a room has no
 * reply; 2,000 of the 5,162 buffers of `conversations-500`'s page were those probes), the last
 * message the room's own copy (migration 5: no message row is read). A room with messages but no
 * copy (rows written by hand, not by the store) has its last message read by one probe of
 * (room_id, seq) instead. Activity is compared to the millisecond, as the messages' `createdAt`
 * tells it: rooms of one millisecond are listed by id, as MemoryStore and the SDK's live list do.
 */
export const CONVERSATIONS_SQL = `
    WITH probe AS MATERIALIZED (
      SELECT (SELECT count(*) FROM chat_members WHERE user_id = $1) * ${PROBE_RATIO}
        < (SELECT reltuples FROM pg_class WHERE oid = 'chat_rooms'::regclass) AS by_key
    ), page AS (
      (SELECT m.room_id, m.read_seq, m.notifications, a.activity
       FROM chat_members m
       CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', COALESCE(r.last_message_at, m.added_at)) AS activity
                           FROM chat_rooms r WHERE r.id = m.room_id AND r.ended_at IS NULL LIMIT 1) a
       WHERE m.user_id = $1 AND (SELECT by_key FROM probe)
       ORDER BY a.activity DESC, m.room_id COLLATE "C" LIMIT $2)
      UNION ALL
      (SELECT m.room_id, m.read_seq, m.notifications, date_trunc('milliseconds', COALESCE(r.last_message_at, m.added_at)) AS activity
       FROM chat_members m JOIN chat_rooms r ON r.id = m.room_id AND r.ended_at IS NULL
       WHERE m.user_id = $1 AND NOT (SELECT by_key FROM probe)
       ORDER BY activity DESC, m.room_id COLLATE "C" LIMIT $2)
    ), mine AS (
      SELECT r.id, r.title, r.metadata, r.options, r.created_by, r.created_at, r.last_seq, r.last_rev, r.last_message,
             page.read_seq, page.notifications, page.activity
      FROM page CROSS JOIN LATERAL (SELECT * FROM chat_rooms r WHERE r.id = page.room_id LIMIT 1) r
    )
    SELECT mine.id, mine.title, mine.metadata, mine.options, mine.created_by, ${iso('mine.created_at')} AS created_at,
      mine.last_seq, mine.read_seq, mine.notifications,
      CASE WHEN mine.last_seq > mine.read_seq
        THEN (SELECT count(*) FROM chat_mentions x WHERE x.room_id = mine.id AND x.user_id = $1 AND x.seq > mine.read_seq)
        ELSE 0 END AS mentions,
      CASE WHEN mine.last_rev > 0 AND mine.last_seq > mine.read_seq
        THEN (SELECT count(*) FROM chat_thread_replies t WHERE t.room_id = mine.id AND t.seq > mine.read_seq AND NOT t.also_in_room)
        ELSE 0 END AS thread_only,
      CASE WHEN mine.last_rev > 0 THEN (SELECT count(*) FROM ${threadUnreadJoin('mine.id', '$1')}) ELSE 0 END AS thread_unread,
      COALESCE(mine.last_message, CASE WHEN mine.last_seq > 0
        THEN (SELECT ${MESSAGE_JSON} FROM chat_messages m WHERE m.room_id = mine.id AND m.seq = mine.last_seq) END) AS last_message
    FROM mine
    ORDER BY mine.activity DESC, mine.id COLLATE "C"`;

/**
 * The members of the direct rooms of one page of conversations: $1 room ids, as `= ANY($1)` (a
 * join with `unnest($1)` was planned as a hash join of every member row, 2-4x slower on the
 * bench's 250 rooms of 10: `conversations-500` p50 20 ms instead of 12.6). Users by their key.
 * Ordered as LIST_MEMBERS_SQL within each room; rooms are told apart in JS (`membersByRoom`),
 * which keeps that order, so the sort does not compare room ids in the database's collation.
 */
export const DIRECT_MEMBERS_SQL = `
  SELECT m.room_id, m.user_id, u.name, u.avatar_url
  FROM chat_members m JOIN chat_users u ON u.id = m.user_id
  WHERE m.room_id = ANY($1::text[])
  ORDER BY m.added_at, m.user_id COLLATE "C"`;

/** A row of `DIRECT_MEMBERS_SQL`. */
export interface DirectMemberRow {
  room_id: string;
  user_id: string;
  name: string;
  avatar_url: string | null;
}

/** `DIRECT_MEMBERS_SQL`'s rows as each room's members, in order. */
export function membersByRoom(rows: readonly DirectMemberRow[]): Map<string, UserRef[]> {
  const byRoom = new Map<string, UserRef[]>();
  for (const row of rows) {
    let members = byRoom.get(row.room_id);
    if (!members) byRoom.set(row.room_id, (members = []));
    members.push(userRef(row.user_id, row.name, row.avatar_url));
  }
  return byRoom;
}

export interface MemberRow {
  user_id: string;
  name: string;
  avatar_url: string | null;
  added_at: Date;
  read_seq: string;
  notifications: NotificationLevel;
}

export interface UserRow {
  id: string;
  name: string;
  avatar_url: string | null;
  last_seen_at: Date | null;
}

/** A row of `CONVERSATIONS_SQL`. */
export interface ConversationSqlRow {
  id: string;
  title: string | null;
  metadata: Record<string, unknown> | null;
  options: RoomOptions;
  created_by: string | null;
  /** ISO 8601. */
  created_at: string;
  last_seq: string;
  read_seq: string;
  notifications: NotificationLevel;
  mentions: string;
  /** Thread-only replies after the read mark (not part of `unread`). */
  thread_only: string;
  /** Replies of others (`alsoInRoom` ones too) after the user's mark in each thread they take part in. */
  thread_unread: string;
  /** The last message's columns (see last-message-sql.ts); null when the room has none. */
  last_message: Record<string, unknown> | null;
}

export function toMember(row: MemberRow): RoomMember {
  return {
    user: userRef(row.user_id, row.name, row.avatar_url),
    addedAt: row.added_at.toISOString(),
    readSeq: Number(row.read_seq),
    notifications: row.notifications,
  };
}

export function toStoredUser(row: UserRow): StoredUser {
  const user: StoredUser = userRef(row.id, row.name, row.avatar_url);
  if (row.last_seen_at !== null) user.lastSeenAt = row.last_seen_at.toISOString();
  return user;
}

/** The room of a conversation row (no private metadata: the query does not read it; never ended: it leaves those out). */
export function conversationRoom(row: ConversationSqlRow): PublicRoom {
  const room: PublicRoom = { id: row.id, options: row.options ?? {}, createdAt: row.created_at };
  if (row.title !== null) room.title = row.title;
  if (row.metadata !== null) room.metadata = row.metadata;
  if (row.created_by !== null) room.createdBy = row.created_by;
  return room;
}

function userRef(id: string, name: string, avatarUrl: string | null): UserRef {
  return avatarUrl === null ? { id, name } : { id, name, avatarUrl };
}
