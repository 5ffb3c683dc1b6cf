// `@chat/client/indexeddb`: an outbox kept in IndexedDB, apart from the main entry so that
// apps that do not use it do not ship it.
export { indexedDbOutbox } from './outbox/indexeddb-outbox.js';
export type { IndexedDbOutboxOptions, OutboxLocks } from './outbox/indexeddb-outbox.js';
export type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox/outbox-store.js';
export { indexedDbE2eeStore } from './e2ee/indexeddb-e2ee-store.js';
export type { IndexedDbE2eeStoreOptions } from './e2ee/indexeddb-e2ee-store.js';
export type { E2eeDeviceStore, E2eeLocks } from './e2ee/e2ee-store.js';
