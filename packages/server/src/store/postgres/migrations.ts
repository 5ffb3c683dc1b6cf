/** One schema change; `version`s only grow and a released one never changes. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The schema of PostgresStore, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rooms and messages',
    sql: `
      CREATE TABLE chat_rooms (
        id          text PRIMARY KEY,
        title       text,
        metadata    jsonb,
        options     jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_by  text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        ended_at    timestamptz,
        -- The last seq handed out; bumped under the row lock in the same transaction as the insert.
        last_seq    bigint NOT NULL DEFAULT 0
      );
      CREATE INDEX chat_rooms_created_at ON chat_rooms (created_at DESC);
      CREATE INDEX chat_rooms_created_by ON chat_rooms (created_by, created_at DESC);

      CREATE TABLE chat_messages (
        id           text PRIMARY KEY,
        room_id      text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        seq          bigint NOT NULL,
        client_id    text NOT NULL,
        user_id      text NOT NULL,
        user_name    text NOT NULL,
        user_avatar  text,
        text         text NOT NULL,
        attachments  jsonb NOT NULL DEFAULT '[]'::jsonb,
        reply_to     text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        -- Also the index every history page uses.
        CONSTRAINT chat_messages_room_seq UNIQUE (room_id, seq),
        -- A retried send is stored once.
        CONSTRAINT chat_messages_room_client UNIQUE (room_id, client_id)
      );
    `,
  },
  {
    version: 2,
    name: 'private room metadata',
    // Nullable, no default: adding it rewrites no rows, so it is quick on a large table.
    sql: `ALTER TABLE chat_rooms ADD COLUMN private_metadata jsonb;`,
  },
];
