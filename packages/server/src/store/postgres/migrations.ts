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
  {
    version: 3,
    name: 'messages that change',
    // Constant defaults and nullable columns: PostgreSQL 11+ adds them without rewriting rows.
    // Every existing message gets rev 0 (never changed) and every room last_rev 0.
    sql: `
      -- The room's change counter: the last rev handed out; bumped under the room's row lock in
      -- the same transaction as the change it numbers.
      ALTER TABLE chat_rooms ADD COLUMN last_rev bigint NOT NULL DEFAULT 0;

      ALTER TABLE chat_messages
        ADD COLUMN rev        bigint NOT NULL DEFAULT 0,
        ADD COLUMN edited_at  timestamptz,
        ADD COLUMN deleted_at timestamptz,
        -- User ids, a JSON array; NULL when none.
        ADD COLUMN mentions   jsonb,
        -- What Message.reactions shows, kept in step with chat_reactions under the message's row
        -- lock so that reads need no join: [{ "emoji", "count", "userIds" }] in order of first
        -- reaction; NULL when none.
        ADD COLUMN reactions  jsonb;

      -- Catch-up reads (message:history changedAfter): changed messages of a room by rev.
      -- Unchanged messages (rev 0, nearly all of them) stay out of it.
      CREATE INDEX chat_messages_room_rev ON chat_messages (room_id, rev) WHERE rev > 0;

      -- One row per user and emoji on a message: the primary key makes a user count once.
      CREATE TABLE chat_reactions (
        message_id  text NOT NULL REFERENCES chat_messages (id) ON DELETE CASCADE,
        emoji       text NOT NULL,
        user_id     text NOT NULL,
        room_id     text NOT NULL,
        -- The rev this reaction was added with: orders the users of an emoji, oldest first.
        rev         bigint NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (message_id, emoji, user_id)
      );
      CREATE INDEX chat_reactions_order ON chat_reactions (message_id, emoji, rev);
    `,
  },
];
