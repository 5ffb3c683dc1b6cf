// The records of a device store in IndexedDB (see indexeddb-e2ee-store.ts), loaded by its first read
// or write: the first encrypted room's (in the widget, with the e2ee chunk), not by every page.
import { openDatabase } from '../core/idb-database.js';
import type { E2eeDeviceStore } from './e2ee-store.js';

const RECORDS = 'records';

/** What a device store reads and writes, in IndexedDB's database `name`. */
export type E2eeRecords = Required<Pick<E2eeDeviceStore, 'get' | 'set' | 'delete' | 'keys'>>;

/** The records of database `name`, opened on first use (from `indexedDB`, or the page's). */
export function idbRecords(name: string, indexedDB: IDBFactory | undefined): E2eeRecords {
  let connection: Promise<IDBDatabase> | undefined;
  const db = (): Promise<IDBDatabase> => {
    const factory = indexedDB ?? globalThis.indexedDB;
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
  return {
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
}
