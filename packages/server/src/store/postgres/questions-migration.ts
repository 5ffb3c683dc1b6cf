import type { Migration } from './migration.js';

/**
 * Migration 30: messages' questions (the `questions()` plugin), set by a change once the message is
 * stored and at each coalesced count or moderator's change, taken away by its deletion. A table of
 * its own, read as a column of the message (message-sql.ts, `questionColumn`), for the reason of
 * migration 26: an ALTER of chat_messages waits behind every open write and holds every write
 * behind it. The upvotes are the plugin's own store part (QuestionStore), not this table.
 */
export const QUESTIONS_MIGRATIONS: readonly Migration[] = [
  {
    version: 30,
    name: 'message questions',
    sql: `
      CREATE TABLE chat_message_questions (
        message_id  text PRIMARY KEY,
        room_id     text NOT NULL,
        question    jsonb NOT NULL
      );
    `,
  },
];
