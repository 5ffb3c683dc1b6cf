// PollStore on PostgreSQL: a row per poll (`chat_polls`) and a row per voter and poll
// (`chat_poll_votes`, the voter's current choices as an array). A vote is one statement that locks
// the poll's row for share and checks it is open before it replaces the voter's row: a close
// (which updates that row) waits for the votes under way and no vote passes it; two processes
// taking one voter's votes at once leave the later one, never both.
import type { PluginMigration, PluginSql } from '../../core/store-part.js';
import type { OptionCount, PollStore, StoredPoll, StoredVote } from './poll-store.js';

interface PollRow {
  message_id: string;
  room_id: string;
  created_by: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  closes_at: Date | null;
  closed: boolean;
}

interface VoteRow {
  message_id: string;
  room_id: string;
  user_id: string;
  option_ids: string[];
  voted_at: Date;
}

const POLL_COLUMNS = 'message_id, room_id, created_by, question, options, multiple, anonymous, closes_at, closed';
const VOTE_COLUMNS = 'message_id, room_id, user_id, option_ids, voted_at';

function toPoll(row: PollRow): StoredPoll {
  return {
    roomId: row.room_id,
    messageId: row.message_id,
    createdBy: row.created_by,
    question: row.question,
    options: row.options,
    multiple: row.multiple,
    anonymous: row.anonymous,
    ...(row.closes_at !== null && { closesAt: row.closes_at.toISOString() }),
    closed: row.closed,
  };
}

const toVote = (row: VoteRow): StoredVote => ({
  roomId: row.room_id,
  messageId: row.message_id,
  userId: row.user_id,
  optionIds: row.option_ids,
  votedAt: row.voted_at.toISOString(),
});

// $1 poll, $2 room, $3 voter, $4 choices ('{}': withdrawn), $5 when. The poll's row locked for share
// (a close waits, and once it committed this sees the row closed); the voter's row replaced or deleted.
const VOTE_SQL = `
  WITH poll AS (
    SELECT message_id FROM chat_polls
    WHERE message_id = $1 AND NOT closed AND (closes_at IS NULL OR closes_at > now())
    FOR SHARE
  ),
  kept AS (
    INSERT INTO chat_poll_votes (message_id, room_id, user_id, option_ids, voted_at)
    SELECT message_id, $2, $3, $4::text[], $5::timestamptz FROM poll WHERE cardinality($4::text[]) > 0
    ON CONFLICT (message_id, user_id) DO UPDATE SET option_ids = EXCLUDED.option_ids, voted_at = EXCLUDED.voted_at
    RETURNING 1
  ),
  withdrawn AS (
    DELETE FROM chat_poll_votes v USING poll
    WHERE cardinality($4::text[]) = 0 AND v.message_id = poll.message_id AND v.user_id = $3
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM poll)::int AS open, (SELECT count(*) FROM chat_polls WHERE message_id = $1)::int AS found`;

/** PollStore on PostgreSQL (its tables made by {@link POLL_STORE_MIGRATIONS}). */
export function postgresPollStore(sql: PluginSql): PollStore {
  const polls = async (where: string, params: unknown[]) =>
    (await sql.query<PollRow>(`SELECT ${POLL_COLUMNS} FROM chat_polls WHERE ${where}`, params)).rows.map(toPoll);
  return {
    async create(poll) {
      await sql.query(
        `INSERT INTO chat_polls (${POLL_COLUMNS}) VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8::timestamptz, $9)
         ON CONFLICT (message_id) DO NOTHING`,
        [
          poll.messageId,
          poll.roomId,
          poll.createdBy,
          poll.question,
          poll.options,
          poll.multiple,
          poll.anonymous,
          poll.closesAt ?? null,
          poll.closed,
        ],
      );
    },
    get: async (messageId) => (await polls('message_id = $1', [messageId]))[0] ?? null,
    async vote(vote) {
      const { rows } = await sql.query<{ open: number; found: number }>(VOTE_SQL, [
        vote.messageId,
        vote.roomId,
        vote.userId,
        vote.optionIds,
        vote.votedAt,
      ]);
      const row = rows[0];
      if (row?.open === 1) return 'voted';
      return row?.found === 1 ? 'closed' : 'missing';
    },
    async close(messageId) {
      const { rowCount } = await sql.query('UPDATE chat_polls SET closed = true WHERE message_id = $1 AND NOT closed', [messageId]);
      return (rowCount ?? 0) > 0;
    },
    async closeDue() {
      // One process closes each (the row's update); SKIP LOCKED keeps processes from waiting on one another.
      const { rows } = await sql.query<PollRow>(
        `UPDATE chat_polls SET closed = true WHERE message_id IN (
           SELECT message_id FROM chat_polls WHERE NOT closed AND closes_at <= now() FOR UPDATE SKIP LOCKED)
         AND NOT closed RETURNING ${POLL_COLUMNS}`,
      );
      return rows.map(toPoll);
    },
    async counts(messageId, voterIds) {
      const { rows } = await sql.query<{ option_id: string; votes: number; voter_ids: string[] }>(
        `SELECT o AS option_id, count(*)::int AS votes,
           (array_agg(v.user_id ORDER BY v.voted_at, v.user_id))[1:$2] AS voter_ids
         FROM chat_poll_votes v, unnest(v.option_ids) AS o WHERE v.message_id = $1 GROUP BY o`,
        [messageId, voterIds],
      );
      return rows.map((r): OptionCount => ({ optionId: r.option_id, votes: r.votes, voterIds: r.voter_ids }));
    },
    async myVotes(roomId, userId, limit) {
      const { rows } = await sql.query<VoteRow>(
        `SELECT ${VOTE_COLUMNS} FROM chat_poll_votes WHERE room_id = $1 AND user_id = $2 ORDER BY voted_at DESC LIMIT $3`,
        [roomId, userId, limit],
      );
      return Object.fromEntries(rows.map((r) => [r.message_id, r.option_ids]));
    },
    async votesOf(messageId, userId) {
      const { rows } = await sql.query<{ option_ids: string[] }>(
        'SELECT option_ids FROM chat_poll_votes WHERE message_id = $1 AND user_id = $2',
        [messageId, userId],
      );
      return rows[0]?.option_ids ?? [];
    },
    async votesByUser(userId) {
      const { rows } = await sql.query<VoteRow>(
        `SELECT ${VOTE_COLUMNS} FROM chat_poll_votes WHERE user_id = $1 ORDER BY voted_at DESC, message_id DESC`,
        [userId],
      );
      return rows.map(toVote);
    },
    async eraseVoter(userId) {
      const { rows } = await sql.query<{ room_id: string; message_id: string }>(
        'DELETE FROM chat_poll_votes WHERE user_id = $1 RETURNING room_id, message_id',
        [userId],
      );
      return rows.map((r) => ({ roomId: r.room_id, messageId: r.message_id }));
    },
    async eraseCreator(userId) {
      await sql.query('DELETE FROM chat_polls WHERE created_by = $1', [userId]);
    },
    async drop(messageId) {
      await sql.query('DELETE FROM chat_polls WHERE message_id = $1', [messageId]);
    },
  };
}

/** The tables of PollStore; a vote's row goes with its poll's (ON DELETE CASCADE). */
export const POLL_STORE_MIGRATIONS: readonly PluginMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE chat_polls (
        message_id  text PRIMARY KEY,
        room_id     text NOT NULL,
        created_by  text NOT NULL,
        question    text NOT NULL,
        options     text[] NOT NULL,
        multiple    boolean NOT NULL,
        anonymous   boolean NOT NULL,
        closes_at   timestamptz,
        closed      boolean NOT NULL DEFAULT false
      );
      CREATE INDEX chat_polls_due ON chat_polls (closes_at) WHERE NOT closed AND closes_at IS NOT NULL;
      CREATE INDEX chat_polls_creator ON chat_polls (created_by);
      CREATE TABLE chat_poll_votes (
        message_id  text NOT NULL REFERENCES chat_polls (message_id) ON DELETE CASCADE,
        room_id     text NOT NULL,
        user_id     text NOT NULL,
        option_ids  text[] NOT NULL,
        voted_at    timestamptz NOT NULL,
        PRIMARY KEY (message_id, user_id)
      );
      CREATE INDEX chat_poll_votes_voter ON chat_poll_votes (user_id, room_id, voted_at);
    `,
  },
];
