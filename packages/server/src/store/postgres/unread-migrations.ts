import type { Migration } from './migration.js';

/**
 * Migrations 28 and 29, of what counts as unread.
 *
 * 28: the read mark of a membership that ended (a ban, a removal, an `authorize` refusal), so that
 * the membership starts there again when the person comes back: their own earlier messages, and
 * what they had read, stay read. A new table: no row of chat_members is rewritten. A row goes when
 * the membership starts again, with the room, or with the person (`chat.eraseUser`).
 *
 * 29: the room's mention counts hold messages of its main log only (a reply only in its thread
 * counts in the thread, which it makes those it mentions take part in): the rows of such replies
 * stored before go. Rows are deleted, none rewritten.
 */
export const UNREAD_MIGRATIONS: readonly Migration[] = [
  {
    version: 28,
    name: 'read marks of ended memberships',
    sql: `
      CREATE TABLE chat_ended_reads (
        room_id   text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id   text NOT NULL,
        read_seq  bigint NOT NULL,
        PRIMARY KEY (room_id, user_id)
      );
      -- A person's rows, for chat.eraseUser.
      CREATE INDEX chat_ended_reads_user ON chat_ended_reads (user_id);
    `,
  },
  {
    version: 29,
    name: 'mentions of the main log only',
    sql: `
      DELETE FROM chat_mentions m USING chat_thread_replies t
      WHERE t.room_id = m.room_id AND t.seq = m.seq AND NOT t.also_in_room;
    `,
  },
];
