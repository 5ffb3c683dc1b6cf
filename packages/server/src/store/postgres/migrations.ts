import type { Migration } from './migration.js';
import { E2EE_BATCH_MIGRATIONS } from './e2ee-batch-migrations.js';
import { SEARCH_PENDING_LIST_MIGRATIONS } from './search-pending-list.js';
import { PREVIEWS_MIGRATIONS } from './previews-migration.js';
import { POLLS_MIGRATIONS } from './polls-migration.js';
import { QUESTIONS_MIGRATIONS } from './questions-migration.js';
import { UNREAD_MIGRATIONS } from './unread-migrations.js';
import { INDEXES_16, SMALL_16 } from './user-data-indexes.js';

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
  {
    version: 4,
    name: 'conversations',
    // New tables, and one nullable column filled by one probe of the (room_id, seq) index per room
    // with messages: no message row is rewritten. Mentions stored by version 3 fill the new index
    // (one pass over chat_messages).
    sql: `
      -- When the room's last message was stored: set with last_seq in the same statement, so a
      -- user's rooms sort by activity without looking at messages.
      ALTER TABLE chat_rooms ADD COLUMN last_message_at timestamptz;
      UPDATE chat_rooms r SET last_message_at = (SELECT m.created_at FROM chat_messages m WHERE m.room_id = r.id AND m.seq = r.last_seq)
      WHERE r.last_seq > 0;

      -- Users as last seen: the latest name and avatar, and when their last socket went away.
      CREATE TABLE chat_users (
        id            text PRIMARY KEY,
        name          text NOT NULL,
        avatar_url    text,
        last_seen_at  timestamptz
      );

      -- Stored members. Unread = the room's last_seq - read_seq: a counter, no scan.
      CREATE TABLE chat_members (
        room_id        text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id        text NOT NULL REFERENCES chat_users (id),
        added_at       timestamptz NOT NULL DEFAULT now(),
        -- Only moves forward (GREATEST), clamped to the room's last_seq.
        read_seq       bigint NOT NULL DEFAULT 0,
        notifications  text NOT NULL DEFAULT 'all' CHECK (notifications IN ('all', 'mentions', 'none')),
        PRIMARY KEY (room_id, user_id)
      );
      -- A user's rooms (conversations).
      CREATE INDEX chat_members_user ON chat_members (user_id);

      -- Which messages mention whom, kept in step with chat_messages.mentions by append, edit and
      -- delete: mentions after a read mark are one range of this primary key.
      CREATE TABLE chat_mentions (
        room_id  text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id  text NOT NULL,
        seq      bigint NOT NULL,
        PRIMARY KEY (room_id, user_id, seq)
      );
      -- Messages that mention users before this version: the index starts complete.
      INSERT INTO chat_mentions (room_id, user_id, seq)
      SELECT m.room_id, u.user_id, m.seq
      FROM chat_messages m, jsonb_array_elements_text(m.mentions) AS u (user_id)
      WHERE m.mentions IS NOT NULL AND jsonb_typeof(m.mentions) = 'array'
      ON CONFLICT DO NOTHING;
    `,
  },
  {
    version: 5,
    name: 'last message of each room',
    // One nullable column (no row rewritten to add it), filled by one probe of the (room_id, seq)
    // index per room with messages. Written out here rather than taken from last-message-sql.ts:
    // a released migration never changes.
    sql: `
      -- A copy of the room's last message (the keys of the message columns, times as ISO strings),
      -- written with last_seq by the append and again by a change to that message: a user's
      -- conversations read no message rows. NULL when the room has none.
      ALTER TABLE chat_rooms ADD COLUMN last_message json;
      UPDATE chat_rooms r SET last_message = (
        SELECT json_build_object('id', m.id, 'room_id', m.room_id, 'seq', m.seq, 'client_id', m.client_id,
          'user_id', m.user_id, 'user_name', m.user_name, 'user_avatar', m.user_avatar, 'text', m.text,
          'attachments', m.attachments, 'reply_to', m.reply_to,
          'created_at', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'rev', m.rev,
          'edited_at', to_char(m.edited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'deleted_at', to_char(m.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'mentions', m.mentions, 'reactions', m.reactions)
        FROM chat_messages m WHERE m.room_id = r.id AND m.seq = r.last_seq)
      WHERE r.last_seq > 0;
    `,
  },
  {
    version: 6,
    name: 'bot authors and system lines',
    // Two columns added without rewriting a row (a constant default and a nullable column). Room
    // copies of the last message made before this migration lack both keys: read as false and none.
    sql: `
      -- The author is a bot (chat.bot()): UserRef.bot.
      ALTER TABLE chat_messages ADD COLUMN user_bot boolean NOT NULL DEFAULT false;
      -- A line the server wrote for something that happened (Message.system: a call started or ended).
      ALTER TABLE chat_messages ADD COLUMN system jsonb;
    `,
  },
  {
    version: 7,
    name: 'moderation',
    // New tables only: no existing row is read or rewritten.
    sql: `
      -- A user's standing in a room beyond a plain member: a role set with setRole, a ban, a mute
      -- (each a JSON Restriction { until?, reason? }; NULL: none). A row with nothing set is deleted.
      CREATE TABLE chat_standings (
        room_id  text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id  text NOT NULL,
        role     text CHECK (role IN ('owner', 'moderator', 'member')),
        ban      jsonb,
        mute     jsonb,
        PRIMARY KEY (room_id, user_id)
      );

      -- Every moderation action, newest first by id (ids only grow).
      CREATE TABLE chat_audit (
        id              bigserial PRIMARY KEY,
        room_id         text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        action          text NOT NULL,
        actor           jsonb NOT NULL,
        target_user_id  text,
        message_id      text,
        reason          text,
        until           text,
        detail          jsonb,
        at              timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX chat_audit_room ON chat_audit (room_id, id DESC);

      -- Reported messages; a reporter reports a message once (a second report returns the first).
      CREATE TABLE chat_reports (
        id           bigserial PRIMARY KEY,
        room_id      text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        message_id   text NOT NULL,
        reporter_id  text NOT NULL,
        reporter     jsonb NOT NULL,
        reason       text NOT NULL,
        at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chat_reports_once UNIQUE (room_id, message_id, reporter_id)
      );
      CREATE INDEX chat_reports_room ON chat_reports (room_id, id DESC);
    `,
  },
  {
    version: 8,
    name: 'a ban ends membership',
    // From this version a ban removes the user's stored membership (issue 30, 2a). Users banned
    // before it are still stored members: their rows go now, while the ban is in force (a ban
    // whose until has passed leaves the member as they are). Only those rows are touched.
    sql: `
      DELETE FROM chat_members m
        USING chat_standings s
        WHERE s.room_id = m.room_id AND s.user_id = m.user_id AND s.ban IS NOT NULL
          AND (NOT (s.ban ? 'until') OR (s.ban ->> 'until')::timestamptz > now());
    `,
  },
  {
    version: 9,
    name: 'push subscriptions',
    // A new table only: no existing row is read or rewritten.
    sql: `
      -- A device's Web Push subscription: one row per endpoint (a device), owned by one user.
      CREATE TABLE chat_push_subscriptions (
        endpoint         text PRIMARY KEY,
        user_id          text NOT NULL,
        p256dh           text NOT NULL,
        auth             text NOT NULL,
        expiration_time  bigint,
        created_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX chat_push_subscriptions_user ON chat_push_subscriptions (user_id);
    `,
  },
  {
    version: 10,
    name: 'message search index',
    // Built without a long lock: CONCURRENTLY lets appends, edits and deletes go on while it reads
    // the table (it takes longer, and cannot run in a transaction: outsideTransaction). No row is
    // rewritten: the tsvector is an expression of the index, computed again by each query's
    // condition, not a stored column (adding a generated column would rewrite the whole table
    // under an exclusive lock). chat_search is the configuration the store prepares before this
    // runs (search-sql.ts: a copy of searchLanguage, with unaccent when available). Deleted
    // messages have empty text and stay out of it.
    outsideTransaction: true,
    index: 'chat_messages_search',
    // Without a pending list (fastupdate): see version 20.
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_messages_search ON chat_messages
      USING gin (to_tsvector('chat_search'::regconfig, text)) WITH (fastupdate = off) WHERE deleted_at IS NULL`,
    small: {
      table: 'chat_messages',
      sql: `CREATE INDEX IF NOT EXISTS chat_messages_search ON chat_messages
        USING gin (to_tsvector('chat_search'::regconfig, text)) WITH (fastupdate = off) WHERE deleted_at IS NULL`,
    },
  },
  {
    version: 11,
    name: 'threads',
    // New tables only, empty at first (every message stored before is a top-level message without
    // replies): chat_messages is not altered. An ALTER TABLE of it (even one that rewrites no row)
    // waits for its exclusive lock behind every open transaction that wrote a message, and holds
    // every append behind it meanwhile; a foreign key to it would lock it too. The store reads
    // these tables beside each message row (message-sql.ts, threadColumns).
    sql: `
      -- Every reply, by room and seq (thread-only replies after a read mark are a range of it) and
      -- by thread. Kept in step with chat_messages by the append that stores the reply.
      CREATE TABLE chat_thread_replies (
        room_id       text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        seq           bigint NOT NULL,
        thread_of     text NOT NULL,
        user_id       text NOT NULL,
        also_in_room  boolean NOT NULL,
        PRIMARY KEY (room_id, seq)
      );
      CREATE INDEX chat_thread_replies_thread ON chat_thread_replies (room_id, thread_of, seq);

      -- Each parent's summary ({ replyCount, lastReplyAt, participants }), changed by the statement
      -- that appends its replies, under the room's row lock.
      CREATE TABLE chat_threads (
        room_id    text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        parent_id  text NOT NULL,
        summary    jsonb NOT NULL,
        PRIMARY KEY (room_id, parent_id)
      );

      -- Who takes part in each thread (its parent's author and everyone who replied): told of replies.
      CREATE TABLE chat_thread_participants (
        room_id    text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id    text NOT NULL,
        thread_of  text NOT NULL,
        PRIMARY KEY (room_id, user_id, thread_of)
      );
      CREATE INDEX chat_thread_participants_thread ON chat_thread_participants (room_id, thread_of);
    `,
  },
  {
    version: 12,
    name: 'messages by user',
    // A person's data (chat.exportUser, chat.eraseUser) pages their messages in every room by this
    // index. Built CONCURRENTLY as version 10 is: sends, edits and deletes go on while it builds,
    // and no row is rewritten.
    outsideTransaction: true,
    index: 'chat_messages_user',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_messages_user ON chat_messages (user_id, id)`,
    small: { table: 'chat_messages', sql: `CREATE INDEX IF NOT EXISTS chat_messages_user ON chat_messages (user_id, id)` },
  },
  {
    version: 13,
    name: 'end-to-end encrypted rooms',
    // New tables, and a nullable column without a default (a change of the catalog only: no row is
    // rewritten, the lock is held for an instant).
    sql: `
      -- An encrypted room's message carries its MLS ciphertext here (and '' in text).
      ALTER TABLE chat_messages ADD COLUMN ciphertext text;

      -- Key packages of each device (MLS), each handed out once by a claim.
      CREATE TABLE chat_e2ee_key_packages (
        id           bigserial PRIMARY KEY,
        user_id      text NOT NULL,
        device_id    text NOT NULL,
        key_package  text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX chat_e2ee_key_packages_device ON chat_e2ee_key_packages (user_id, device_id, id);

      -- Each encrypted room's group: its epoch only grows, by one accepted commit at a time.
      CREATE TABLE chat_e2ee_groups (
        room_id  text PRIMARY KEY REFERENCES chat_rooms (id) ON DELETE CASCADE,
        epoch    bigint NOT NULL
      );

      -- The commit log: the commit made in each epoch, for devices that catch up.
      CREATE TABLE chat_e2ee_commits (
        room_id    text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        epoch      bigint NOT NULL,
        commit     text NOT NULL,
        user_id    text NOT NULL,
        device_id  text NOT NULL,
        at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (room_id, epoch)
      );

      -- The devices in each group, as its commits say.
      CREATE TABLE chat_e2ee_devices (
        room_id    text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id    text NOT NULL,
        device_id  text NOT NULL,
        PRIMARY KEY (room_id, user_id, device_id)
      );

      -- A welcome waits here until its device has joined the group.
      CREATE TABLE chat_e2ee_welcomes (
        room_id      text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id      text NOT NULL,
        device_id    text NOT NULL,
        epoch        bigint NOT NULL,
        welcome      text NOT NULL,
        key_package  text NOT NULL,
        PRIMARY KEY (room_id, user_id, device_id)
      );
    `,
  },
  {
    version: 14,
    name: 'messages newest first',
    // Search reads a common word's newest matches by walking this index from the newest message
    // down (search-sql.ts), instead of reading every match from the GIN index and sorting them.
    // The key is search's order: the time to the millisecond (in UTC: an immutable expression,
    // as an index needs), then room and seq. Built CONCURRENTLY as version 10 is (no long lock on
    // a large table; no row rewritten). Deleted messages are never searched and stay out of it.
    outsideTransaction: true,
    index: 'chat_messages_newest',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_messages_newest ON chat_messages
      ((date_trunc('milliseconds', created_at AT TIME ZONE 'UTC')) DESC, room_id COLLATE "C" DESC, seq DESC) WHERE deleted_at IS NULL`,
    small: {
      table: 'chat_messages',
      sql: `CREATE INDEX IF NOT EXISTS chat_messages_newest ON chat_messages
        ((date_trunc('milliseconds', created_at AT TIME ZONE 'UTC')) DESC, room_id COLLATE "C" DESC, seq DESC) WHERE deleted_at IS NULL`,
    },
  },
  {
    version: 15,
    name: 'thread reads',
    // A new table, filled from chat_thread_participants (small: one row per person and thread) and
    // chat_members by their keys: no message row is read or rewritten. Until this version a reply
    // counted as read once the room's mark passed it; each participant's thread mark starts there,
    // so that no count changes at the upgrade.
    sql: `
      -- Each user's mark in each thread (the seq of the last reply read): thread-only replies after
      -- it are the user's unread ones in that thread. Moves forward only; a reply moves its sender's.
      CREATE TABLE chat_thread_reads (
        room_id    text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
        user_id    text NOT NULL,
        thread_of  text NOT NULL,
        read_seq   bigint NOT NULL,
        PRIMARY KEY (room_id, user_id, thread_of)
      );
      -- Retention removes the marks of threads whose parent went (read_seq is not in it: moving a
      -- mark stays a HOT update).
      CREATE INDEX chat_thread_reads_thread ON chat_thread_reads (room_id, thread_of);
      -- A person's marks, for chat.exportUser and chat.eraseUser.
      CREATE INDEX chat_thread_reads_user ON chat_thread_reads (user_id);
      INSERT INTO chat_thread_reads (room_id, user_id, thread_of, read_seq)
      SELECT p.room_id, p.user_id, p.thread_of, m.read_seq
      FROM chat_thread_participants p JOIN chat_members m ON m.room_id = p.room_id AND m.user_id = p.user_id
      WHERE m.read_seq > 0;
    `,
  },
  {
    version: 16,
    name: "a person's data by user",
    // chat.exportUser and chat.eraseUser find a person's rows by user in every table (version 12
    // did chat_messages): without these, each of their statements reads a whole table (EXPLAIN:
    // Seq Scan). Each is built as version 10 is: CONCURRENTLY on a large table (no row rewritten,
    // writes go on), inside the migration transaction on a small one; recorded once all are valid.
    outsideTransaction: true,
    sql: SMALL_16,
    indexes: INDEXES_16,
  },
  {
    version: 17,
    name: 'removed e2ee devices',
    // A new table, and an index on chat_e2ee_devices (one row per device and encrypted room: small,
    // built inside the transaction). No row is read or rewritten.
    sql: `
      -- Devices their user removed (e2ee:device:remove, chat.removeDevice): they publish no more
      -- key packages, get no welcome, and the members of their groups are asked to remove them.
      CREATE TABLE chat_e2ee_gone_devices (
        user_id     text NOT NULL,
        device_id   text NOT NULL,
        removed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, device_id)
      );
      -- The groups that hold a device, for its removal.
      CREATE INDEX chat_e2ee_devices_device ON chat_e2ee_devices (user_id, device_id);
    `,
  },
  {
    version: 18,
    name: 'e2ee commits by user',
    // chat.exportUser lists the commits a person's devices made and chat.eraseUser renames their
    // author: without this index each reads the whole commit log (one row per commit of every
    // encrypted room, never deleted). Built as version 12 is: CONCURRENTLY on a large table (commits
    // go on meanwhile), inside the migration transaction on a small one; no row is rewritten.
    outsideTransaction: true,
    index: 'chat_e2ee_commits_user',
    sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS chat_e2ee_commits_user ON chat_e2ee_commits (user_id)`,
    small: { table: 'chat_e2ee_commits', sql: `CREATE INDEX IF NOT EXISTS chat_e2ee_commits_user ON chat_e2ee_commits (user_id)` },
  },
  {
    version: 19,
    name: 'e2ee devices that published',
    // A new table, filled from chat_e2ee_key_packages (at most 100 rows per user); nothing rewritten.
    sql: `
      -- Every device that published key packages, until its user removes it or is erased: one whose
      -- last key package was claimed is still its user's (a commit may be adding it), to list and
      -- to remove. Devices whose key packages were all claimed before this version are not known.
      CREATE TABLE chat_e2ee_published_devices (
        user_id    text NOT NULL,
        device_id  text NOT NULL,
        PRIMARY KEY (user_id, device_id)
      );
      INSERT INTO chat_e2ee_published_devices (user_id, device_id)
      SELECT DISTINCT user_id, device_id FROM chat_e2ee_key_packages;
    `,
  },
  ...SEARCH_PENDING_LIST_MIGRATIONS,
  ...E2EE_BATCH_MIGRATIONS,
  ...PREVIEWS_MIGRATIONS,
  ...POLLS_MIGRATIONS,
  ...UNREAD_MIGRATIONS,
  ...QUESTIONS_MIGRATIONS,
];
