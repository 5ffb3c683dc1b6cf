// The waiting questions of QuestionStore on PostgreSQL (`chat_pending_questions`, the part's
// migration 2). A resent ask is one statement: the insert, on the asker's same clientId in the
// room, answers the row kept instead. A review takes the row with a DELETE
// ... RETURNING, so two moderators reviewing at once review it once.
import type { ChatUser } from '@chat/protocol';
import type { PluginMigration, PluginSql } from '../../core/store-part.js';
import type { PendingQuestionStore, StoredPendingQuestion } from './question-store.js';

interface PendingRow {
  id: string;
  room_id: string;
  client_id: string;
  asker: ChatUser;
  text: string;
  asked_at: Date;
}

const COLUMNS = 'id, room_id, client_id, asker, text, asked_at';
const toPending = (row: PendingRow): StoredPendingQuestion => ({
  id: row.id,
  roomId: row.room_id,
  user: row.asker,
  clientId: row.client_id,
  text: row.text,
  askedAt: row.asked_at.toISOString(),
});

/** Waiting questions on PostgreSQL. */
export function postgresPendingQuestions(sql: PluginSql): PendingQuestionStore {
  return {
    async addPending(question) {
      // On the asker's same clientId the row kept is answered: the no-op update makes RETURNING give
      // it, also when another ask inserted it a moment ago (a plain read would not see that row yet).
      const { rows } = await sql.query<PendingRow>(
        `INSERT INTO chat_pending_questions (id, room_id, user_id, client_id, asker, text, asked_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::timestamptz)
         ON CONFLICT (room_id, user_id, client_id) DO UPDATE SET client_id = EXCLUDED.client_id
         RETURNING ${COLUMNS}`,
        [question.id, question.roomId, question.user.id, question.clientId, JSON.stringify(question.user), question.text, question.askedAt],
      );
      return rows[0] ? toPending(rows[0]) : question;
    },
    async pendingIn(roomId, limit, userId) {
      const { rows } = await sql.query<PendingRow>(
        `SELECT ${COLUMNS} FROM chat_pending_questions WHERE room_id = $1 AND ($3::text IS NULL OR user_id = $3)
         ORDER BY asked_at, id LIMIT $2`,
        [roomId, limit, userId ?? null],
      );
      return rows.map(toPending);
    },
    async pendingCount(roomId, userId) {
      const { rows } = await sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM chat_pending_questions WHERE room_id = $1 AND ($2::text IS NULL OR user_id = $2)',
        [roomId, userId ?? null],
      );
      return rows[0]?.n ?? 0;
    },
    async takePending(roomId, id) {
      const { rows } = await sql.query<PendingRow>(
        `DELETE FROM chat_pending_questions WHERE id = $1 AND room_id = $2 RETURNING ${COLUMNS}`,
        [id, roomId],
      );
      return rows[0] ? toPending(rows[0]) : null;
    },
    async pendingByUser(userId) {
      const { rows } = await sql.query<PendingRow>(
        `SELECT ${COLUMNS} FROM chat_pending_questions WHERE user_id = $1 ORDER BY asked_at DESC, id DESC`,
        [userId],
      );
      return rows.map(toPending);
    },
    async erasePending(userId) {
      const { rows } = await sql.query<{ room_id: string }>('DELETE FROM chat_pending_questions WHERE user_id = $1 RETURNING room_id', [
        userId,
      ]);
      return [...new Set(rows.map((r) => r.room_id))];
    },
  };
}

/** The waiting questions' table (QuestionStore's migration 2). */
export const PENDING_QUESTIONS_MIGRATION: PluginMigration = {
  version: 2,
  sql: `
    CREATE TABLE chat_pending_questions (
      id         text PRIMARY KEY,
      room_id    text NOT NULL,
      user_id    text NOT NULL,
      client_id  text NOT NULL,
      asker      jsonb NOT NULL,
      text       text NOT NULL,
      asked_at   timestamptz NOT NULL,
      UNIQUE (room_id, user_id, client_id)
    );
    CREATE INDEX chat_pending_questions_room ON chat_pending_questions (room_id, asked_at, id);
    CREATE INDEX chat_pending_questions_asker ON chat_pending_questions (user_id);
  `,
};
