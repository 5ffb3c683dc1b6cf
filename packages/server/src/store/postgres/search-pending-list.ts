// Versions 20 and 21 (migrations.ts): the message search index's pending list, turned off (20),
// then on again at a small size, merged off the send path by the store (21, search-merge.ts).
import type { Migration } from './migration.js';

/** Whether the search index is a GIN index (a database may hold another of that name: not ours to change). */
const IS_GIN = `EXISTS (SELECT 1 FROM pg_class c JOIN pg_am a ON a.oid = c.relam
  WHERE c.oid = to_regclass('chat_messages_search') AND a.amname = 'gin')`;
/** Whether its pending list is off already. */
const IS_OFF = `EXISTS (SELECT 1 FROM pg_class c
  WHERE c.oid = to_regclass('chat_messages_search') AND 'fastupdate=off' = ANY (COALESCE(c.reloptions, '{}')))`;

/**
 * Turns the list off when it is on, waiting at most 200 ms for the index's exclusive lock (every
 * transaction that read chat_messages holds a lock it conflicts with). One statement, its own
 * transaction: the lock is held for the change alone. Busy: nothing changes, and {@link
 * SEARCH_PENDING_LIST_OFF} says so.
 */
const SEARCH_WITHOUT_PENDING_LIST = `DO $$ BEGIN
  IF ${IS_GIN} AND NOT ${IS_OFF} THEN
    PERFORM set_config('lock_timeout', '200ms', true);
    ALTER INDEX chat_messages_search SET (fastupdate = off);
  END IF;
EXCEPTION WHEN lock_not_available THEN
  RAISE NOTICE 'chat_messages_search is busy: its pending list is turned off at the next start';
END $$`;

/** Done when the list is off, or there is no such GIN index to change (version 10 builds it off, later). */
const SEARCH_PENDING_LIST_OFF = `SELECT (NOT ${IS_GIN} OR ${IS_OFF}) AS done`;

/**
 * The pending list's size from version 21, in kB: what `latency-pg-2000` adds in about 0.4 s (a
 * message of twelve words is about 320 bytes of it), so the store's merge every 250 ms keeps it
 * far below; an append merges it only when that merge falls behind (several thousand messages a
 * second on one index, or a role that may not merge: see search-merge.ts).
 */
const PENDING_LIST_KB = 512;

/** Whether the list is on at that size already. */
const IS_SMALL = `EXISTS (SELECT 1 FROM pg_class c
  WHERE c.oid = to_regclass('chat_messages_search')
  AND COALESCE(c.reloptions, '{}') @> ARRAY['fastupdate=on', 'gin_pending_list_limit=${PENDING_LIST_KB}'])`;

/** Turns the list on at {@link PENDING_LIST_KB}, with version 20's wait of at most 200 ms for the lock. */
const SEARCH_WITH_SMALL_PENDING_LIST = `DO $$ BEGIN
  IF ${IS_GIN} AND NOT ${IS_SMALL} THEN
    PERFORM set_config('lock_timeout', '200ms', true);
    ALTER INDEX chat_messages_search SET (fastupdate = on, gin_pending_list_limit = ${PENDING_LIST_KB});
  END IF;
EXCEPTION WHEN lock_not_available THEN
  RAISE NOTICE 'chat_messages_search is busy: its pending list is turned on at the next start';
END $$`;

/** Done when the list is on at that size, or there is no such GIN index to change. */
const SEARCH_SMALL_PENDING_LIST_ON = `SELECT (NOT ${IS_GIN} OR ${IS_SMALL}) AS done`;

/** Versions 20 and 21. */
export const SEARCH_PENDING_LIST_MIGRATIONS: readonly Migration[] = [
  {
    version: 20,
    name: 'search index written with each message',
    // With `fastupdate` (the default) a GIN index keeps new entries in a pending list, merged in by
    // whichever insert takes it past 4 MB: 0.3 to 1.1 s for that statement, about every 15,000
    // messages, every send of its batch waiting (docs/storage.md, "The search index and the send
    // path"). Turning it off needs the index's exclusive lock, which waits for every transaction
    // that read chat_messages: so it runs outside the migration transaction, waits at most 200 ms
    // (meanwhile queries of the table wait behind it), and if the table is that busy, is left for
    // the next start. What the list holds is merged by the next vacuum; version 10 builds it so.
    outsideTransaction: true,
    sql: SEARCH_WITHOUT_PENDING_LIST,
    done: SEARCH_PENDING_LIST_OFF,
  },
  {
    version: 21,
    name: 'search index pending list merged off the send path',
    // Without a list, each message's words go into the index one by one: a third of PostgreSQL's
    // CPU per stored message (docs/performance.md). A small list takes them in a row and the
    // store merges it every 250 ms on a connection of its pool (search-merge.ts), in bulk, off the
    // send path: no append waits for a merge unless the merges fall behind. The same lock and wait
    // as version 20.
    outsideTransaction: true,
    sql: SEARCH_WITH_SMALL_PENDING_LIST,
    done: SEARCH_SMALL_PENDING_LIST_ON,
  },
];
