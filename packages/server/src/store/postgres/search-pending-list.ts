// Version 20 (migrations.ts): the message search index without GIN's pending list.

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
export const SEARCH_WITHOUT_PENDING_LIST = `DO $$ BEGIN
  IF ${IS_GIN} AND NOT ${IS_OFF} THEN
    PERFORM set_config('lock_timeout', '200ms', true);
    ALTER INDEX chat_messages_search SET (fastupdate = off);
  END IF;
EXCEPTION WHEN lock_not_available THEN
  RAISE NOTICE 'chat_messages_search is busy: its pending list is turned off at the next start';
END $$`;

/** Done when the list is off, or there is no such GIN index to change (version 10 builds it off, later). */
export const SEARCH_PENDING_LIST_OFF = `SELECT (NOT ${IS_GIN} OR ${IS_OFF}) AS done`;
