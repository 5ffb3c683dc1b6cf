// A device store in IndexedDB: the device's keys, groups and the texts it read survive a reload.
import type { E2eeDeviceStore, E2eeLocks } from './e2ee-store.js';
import type { E2eeRecords } from './indexeddb-e2ee-records.js';

/** Options of {@link indexedDbE2eeStore}. */
export interface IndexedDbE2eeStoreOptions {
  /** The IndexedDB database's name. @default 'chat-e2ee' */
  name?: string;
  /** The IndexedDB to use (in Node tests, `fake-indexeddb`'s). @default globalThis.indexedDB */
  indexedDB?: IDBFactory;
  /**
   * Locks shared by the pages of the origin: each page (or client) of a user holds a device slot of
   * the store, so that two pages are two devices rather than one device moving its MLS state twice;
   * `false` for none (one page at a time then, per user). @default navigator.locks, when present
   */
  locks?: E2eeLocks | false;
}

/**
 * A device store in IndexedDB, for browsers: after a reload the page is the same device, in the
 * same groups, and still shows what it decrypted before. With Web Locks, each page open at the
 * same time for a user is a device of its own (see `locks`); without them, one page at a time
 * should use it per user (two tabs of one device would each move its MLS state on their own).
 * @example
 * import { indexedDbE2eeStore } from '@chat/client/indexeddb';
 * const client = new ChatClient({ url, auth, e2ee: { store: indexedDbE2eeStore() } });
 */
export function indexedDbE2eeStore(options: IndexedDbE2eeStoreOptions = {}): E2eeDeviceStore {
  const name = options.name ?? 'chat-e2ee';
  const locks = options.locks ?? (typeof navigator === 'undefined' ? undefined : navigator.locks);
  // Its reads and writes are loaded by the first (indexeddb-e2ee-records.ts): a page that joins no
  // encrypted room never loads them. A failed load is tried again on the next use.
  let records: Promise<E2eeRecords> | undefined;
  const use = <T>(work: (loaded: E2eeRecords) => Promise<T>): Promise<T> =>
    (records ??= import('./indexeddb-e2ee-records.js').then(
      (m) => m.idbRecords(name, options.indexedDB),
      (error: unknown) => {
        records = undefined;
        throw error;
      },
    )).then(work);
  const store: E2eeDeviceStore = {
    name,
    get: (key) => use((r) => r.get(key)),
    set: (key, value) => use((r) => r.set(key, value)),
    delete: (key) => use((r) => r.delete(key)),
    keys: (prefix) => use((r) => r.keys(prefix)),
  };
  if (locks) store.locks = locks;
  return store;
}
