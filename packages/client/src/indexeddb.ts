// `@chat/client/indexeddb`: an outbox kept in IndexedDB, apart from the main entry so that
// apps that do not use it do not ship it.
export { indexedDbOutbox } from './outbox/indexeddb-outbox.js';
export type { IndexedDbOutboxOptions, OutboxLocks } from './outbox/indexeddb-outbox.js';
export type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox/outbox-store.js';
