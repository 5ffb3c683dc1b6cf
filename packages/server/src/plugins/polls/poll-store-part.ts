// The store part of polls, on each store: in memory, and on PostgreSQL with its own tables.
import type { StorePart } from '../../core/store-part.js';
import { memoryPollStore } from './poll-store-memory.js';
import type { PollStore } from './poll-store.js';
import { postgresPollStore, POLL_STORE_MIGRATIONS } from './poll-store-postgres.js';

/** The store part's definition: in memory, and on PostgreSQL (`chat_polls` and `chat_poll_votes`). */
export const POLL_STORE: StorePart<PollStore> = {
  name: 'PollStore',
  memory: memoryPollStore,
  postgres: postgresPollStore,
  migrations: POLL_STORE_MIGRATIONS,
};
