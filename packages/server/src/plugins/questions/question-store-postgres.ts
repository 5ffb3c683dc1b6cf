// QuestionStore on PostgreSQL: a row per question (`chat_questions`) and a row per upvote
// (`chat_question_upvotes`). An upvote is one statement that locks the question's row for share
// (a drop waits) and inserts the upvoter's row unless it is there: two processes taking one
// person's upvote at once keep one row, and the count is always the rows'.
import type { PluginMigration, PluginSql } from '../../core/store-part.js';
import { PENDING_QUESTIONS_MIGRATION, postgresPendingQuestions } from './pending-questions-postgres.js';
import type { CountedQuestion, QuestionStore, StoredQuestion, StoredUpvote } from './question-store.js';

interface QuestionRow {
  message_id: string;
  room_id: string;
  seq: string;
  asked_by: string;
  asked_at: Date;
  answered: boolean;
  hidden: boolean;
}

interface UpvoteRow {
  message_id: string;
  room_id: string;
  user_id: string;
  upvoted_at: Date;
}

const QUESTION_COLUMNS = 'message_id, room_id, seq, asked_by, asked_at, answered, hidden';
const UPVOTE_COLUMNS = 'message_id, room_id, user_id, upvoted_at';
const COUNTED = `${QUESTION_COLUMNS.split(', ')
  .map((c) => `q.${c}`)
  .join(', ')}, (SELECT count(*) FROM chat_question_upvotes u WHERE u.message_id = q.message_id)::int AS upvotes`;

const toQuestion = (row: QuestionRow): StoredQuestion => ({
  roomId: row.room_id,
  messageId: row.message_id,
  seq: Number(row.seq),
  askedBy: row.asked_by,
  askedAt: row.asked_at.toISOString(),
  answered: row.answered,
  hidden: row.hidden,
});
const toCounted = (row: QuestionRow & { upvotes: number }): CountedQuestion => ({ ...toQuestion(row), upvotes: row.upvotes });
const toUpvote = (row: UpvoteRow): StoredUpvote => ({
  roomId: row.room_id,
  messageId: row.message_id,
  userId: row.user_id,
  upvotedAt: row.upvoted_at.toISOString(),
});

// $1 question, $2 room, $3 upvoter, $4 when. The question's row locked for share; the upvoter's row
// added unless there already.
const UPVOTE_SQL = `
  WITH question AS (SELECT message_id FROM chat_questions WHERE message_id = $1 FOR SHARE),
  added AS (
    INSERT INTO chat_question_upvotes (message_id, room_id, user_id, upvoted_at)
    SELECT message_id, $2, $3, $4::timestamptz FROM question
    ON CONFLICT (message_id, user_id) DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM question)::int AS found, (SELECT count(*) FROM added)::int AS added`;

const ORDER = { top: 'upvotes DESC, q.seq', new: 'q.seq DESC' } as const;

/** QuestionStore on PostgreSQL (its tables made by {@link QUESTION_STORE_MIGRATIONS}). */
export function postgresQuestionStore(sql: PluginSql): QuestionStore {
  return {
    ...postgresPendingQuestions(sql),
    async create(question) {
      await sql.query(
        `INSERT INTO chat_questions (${QUESTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7)
         ON CONFLICT (message_id) DO NOTHING`,
        [question.messageId, question.roomId, question.seq, question.askedBy, question.askedAt, question.answered, question.hidden],
      );
    },
    async get(messageId) {
      const { rows } = await sql.query<QuestionRow & { upvotes: number }>(
        `SELECT ${COUNTED} FROM chat_questions q WHERE q.message_id = $1`,
        [messageId],
      );
      return rows[0] ? toCounted(rows[0]) : null;
    },
    async upvote(upvote) {
      const { rows } = await sql.query<{ found: number; added: number }>(UPVOTE_SQL, [
        upvote.messageId,
        upvote.roomId,
        upvote.userId,
        upvote.upvotedAt,
      ]);
      const row = rows[0];
      if (row?.found !== 1) return 'missing';
      return row.added === 1 ? 'upvoted' : 'already';
    },
    async unvote(messageId, userId) {
      const { rowCount } = await sql.query('DELETE FROM chat_question_upvotes WHERE message_id = $1 AND user_id = $2', [messageId, userId]);
      return (rowCount ?? 0) > 0;
    },
    async setAnswered(messageId, answered) {
      await sql.query('UPDATE chat_questions SET answered = $2 WHERE message_id = $1', [messageId, answered]);
    },
    async setHidden(messageId, hidden) {
      await sql.query('UPDATE chat_questions SET hidden = $2 WHERE message_id = $1', [messageId, hidden]);
    },
    async list(roomId, { sort, hidden, limit, offset }) {
      const { rows } = await sql.query<QuestionRow & { upvotes: number }>(
        `SELECT ${COUNTED} FROM chat_questions q WHERE q.room_id = $1 AND ($2 OR NOT q.hidden)
         ORDER BY ${ORDER[sort]} LIMIT $3 OFFSET $4`,
        [roomId, hidden, limit, offset],
      );
      return rows.map(toCounted);
    },
    async myUpvotes(roomId, userId, limit) {
      const { rows } = await sql.query<{ message_id: string }>(
        `SELECT message_id FROM chat_question_upvotes WHERE room_id = $1 AND user_id = $2
         ORDER BY upvoted_at DESC, message_id DESC LIMIT $3`,
        [roomId, userId, limit],
      );
      return rows.map((r) => r.message_id);
    },
    async questionsByUser(userId) {
      const { rows } = await sql.query<QuestionRow>(
        `SELECT ${QUESTION_COLUMNS} FROM chat_questions WHERE asked_by = $1 ORDER BY asked_at DESC, message_id DESC`,
        [userId],
      );
      return rows.map(toQuestion);
    },
    async upvotesByUser(userId) {
      const { rows } = await sql.query<UpvoteRow>(
        `SELECT ${UPVOTE_COLUMNS} FROM chat_question_upvotes WHERE user_id = $1 ORDER BY upvoted_at DESC, message_id DESC`,
        [userId],
      );
      return rows.map(toUpvote);
    },
    async eraseVoter(userId) {
      const { rows } = await sql.query<{ room_id: string; message_id: string }>(
        'DELETE FROM chat_question_upvotes WHERE user_id = $1 RETURNING room_id, message_id',
        [userId],
      );
      return rows.map((r) => ({ roomId: r.room_id, messageId: r.message_id }));
    },
    async eraseAsker(userId) {
      await sql.query('DELETE FROM chat_questions WHERE asked_by = $1', [userId]);
    },
    async drop(messageId) {
      await sql.query('DELETE FROM chat_questions WHERE message_id = $1', [messageId]);
    },
  };
}

/** The tables of QuestionStore; an upvote's row goes with its question's (ON DELETE CASCADE); 2: the waiting questions. */
export const QUESTION_STORE_MIGRATIONS: readonly PluginMigration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE chat_questions (
        message_id  text PRIMARY KEY,
        room_id     text NOT NULL,
        seq         bigint NOT NULL,
        asked_by    text NOT NULL,
        asked_at    timestamptz NOT NULL,
        answered    boolean NOT NULL DEFAULT false,
        hidden      boolean NOT NULL DEFAULT false
      );
      CREATE INDEX chat_questions_room ON chat_questions (room_id, seq);
      CREATE INDEX chat_questions_asker ON chat_questions (asked_by);
      CREATE TABLE chat_question_upvotes (
        message_id  text NOT NULL REFERENCES chat_questions (message_id) ON DELETE CASCADE,
        room_id     text NOT NULL,
        user_id     text NOT NULL,
        upvoted_at  timestamptz NOT NULL,
        PRIMARY KEY (message_id, user_id)
      );
      CREATE INDEX chat_question_upvotes_voter ON chat_question_upvotes (user_id, room_id, upvoted_at);
    `,
  },
  PENDING_QUESTIONS_MIGRATION,
];
