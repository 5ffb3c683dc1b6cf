import type { Migration } from './migration.js';

/**
 * Migration 27: messages' polls (the `polls()` plugin), set by a change once the message is stored
 * and at each coalesced count, taken away by its deletion. A table of its own, read as a column of
 * the message (message-sql.ts, `pollColumn`), for the reason of migration 26: an ALTER of
 * chat_messages waits behind every open write and holds every write behind it. The votes are the
 * plugin's own store part (PollStore), not this table.
 */
export const POLLS_MIGRATIONS: readonly Migration[] = [
  {
    version: 27,
    name: 'message polls',
    sql: `
      CREATE TABLE chat_message_polls (
        message_id  text PRIMARY KEY,
        room_id     text NOT NULL,
        poll        jsonb NOT NULL
      );
    `,
  },
];
