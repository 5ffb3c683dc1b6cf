// Subpath entry `@chat/server/postgres`: kept apart so that users of MemoryStore never load pg.
export { PostgresStore } from './store/postgres/postgres-store.js';
export type { PostgresConnectionOptions, PostgresStoreOptions } from './store/postgres/postgres-options.js';
export { MIGRATIONS } from './store/postgres/migrations.js';
export type { IndexStep, Migration } from './store/postgres/migration.js';
export type { SearchSetup } from './store/postgres/search-sql.js';
export type { SearchMergeState } from './store/postgres/search-merge.js';
