import type { Migration } from './migration.js';

/**
 * Migration 26: messages' link previews (the `linkPreviews()` plugin), set by a change after the
 * message was stored, taken away by an edit of its text or its deletion. A table of their own, read
 * as a column of the message (message-sql.ts, `previewsColumn`), not a column of chat_messages: an
 * ALTER of it waits behind every open write and holds every write behind it (as for migration 11).
 */
export const PREVIEWS_MIGRATIONS: readonly Migration[] = [
  {
    version: 26,
    name: 'message link previews',
    sql: `
      CREATE TABLE chat_message_previews (
        message_id  text PRIMARY KEY,
        room_id     text NOT NULL,
        previews    jsonb NOT NULL
      );
    `,
  },
];
