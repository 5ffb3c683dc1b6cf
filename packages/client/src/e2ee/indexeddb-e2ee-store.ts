// A device store in IndexedDB: the device's keys, groups and the texts it read survive a reload.
import type { E2eeDeviceStore, E2eeLocks } from './e2ee-store.js';
import { openDatabase } from '../core/idb-database.js';

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

const RECORDS = 'records';

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
  let connection: Promise<IDBDatabase> | undefined;
  const db = (): Promise<IDBDatabase> => {
    const factory = options.indexedDB ?? globalThis.indexedDB;
    if (!factory) return Promise.reject(new Error('IndexedDB is not available here.'));
    if (!connection) {
      connection = openDatabase(
        factory,
        name,
        (created) => created.createObjectStore(RECORDS),
        () => (connection = undefined),
      );
      // A failed open (storage blocked) is tried again on the next use.
      connection.catch(() => (connection = undefined));
    }
    return connection;
  };
  const run = async <T>(mode: IDBTransactionMode, work: (records: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = (await db()).transaction(RECORDS, mode);
    const request = work(tx.objectStore(RECORDS));
    // Settled when the transaction commits: a key is on disk before the message it encrypted goes out.
    return new Promise<T>((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? request.error ?? new Error('The IndexedDB transaction was aborted.'));
    });
  };
  const store: E2eeDeviceStore = {
    name,
    // IndexedDB's reads are typed `any`: what they give back is the strings this store put.
    get: async (key) => {
      const value = await run('readonly', (records) => records.get(key) as IDBRequest<unknown>);
      return typeof value === 'string' ? value : undefined;
    },
    set: async (key, value) => {
      await run('readwrite', (records) => records.put(value, key));
    },
    delete: async (key) => {
      await run('readwrite', (records) => records.delete(key));
    },
    // The keys from `prefix` up to the prefix and the highest code unit (all keys where there is no
    // IDBKeyRange, as with a factory given in Node), then only those of the prefix.
    keys: async (prefix) => {
      const range = typeof IDBKeyRange === 'undefined' ? undefined : IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      const keys = await run('readonly', (records) => records.getAllKeys(range));
      return keys.filter((key): key is string => typeof key === 'string' && key.startsWith(prefix));
    },
  };
  if (locks) store.locks = locks;
  return store;
}
