// The rows of an outbox in IndexedDB (see indexeddb-outbox.ts), loaded by its first read or write:
// a room's first join (the outbox loads what a page before left), not the page's first paint.
import { scopeKey } from './memory-outbox.js';
import type { OutboxScope, StoredOutboxEntry } from './outbox-store.js';
import { openDatabase } from '../core/idb-database.js';

const ENTRIES = 'entries';
const BY_SCOPE = 'byScope';

/** A record: the entry, and the scope it belongs to. */
type Row = StoredOutboxEntry & { scope: string };

/** What an outbox in IndexedDB reads and writes (its changes are told by the store). */
export interface OutboxRecords {
  load(scope: OutboxScope): Promise<StoredOutboxEntry[]>;
  get(scope: OutboxScope, clientId: string): Promise<StoredOutboxEntry | undefined>;
  put(scope: OutboxScope, entry: StoredOutboxEntry): Promise<unknown>;
  delete(scope: OutboxScope, clientId: string): Promise<unknown>;
}

// One connection per database name and factory for the page, however many stores are made.
const connections = new WeakMap<IDBFactory, Map<string, Promise<IDBDatabase>>>();

/** The rows of database `name`, opened on first use (from `indexedDB`, or the page's). */
export function idbOutboxRecords(name: string, indexedDB: IDBFactory | undefined): OutboxRecords {
  const db = (): Promise<IDBDatabase> => {
    const factory = indexedDB ?? globalThis.indexedDB;
    if (!factory) return Promise.reject(new Error('IndexedDB is not available here.'));
    let open = connections.get(factory);
    if (!open) connections.set(factory, (open = new Map<string, Promise<IDBDatabase>>()));
    let connection = open.get(name);
    if (!connection) {
      connection = openDatabase(
        factory,
        name,
        (created) => created.createObjectStore(ENTRIES, { keyPath: ['scope', 'clientId'] }).createIndex(BY_SCOPE, 'scope'),
        () => open.delete(name),
      );
      open.set(name, connection);
      // A failed open (storage blocked) is tried again on the next use.
      connection.catch(() => open.delete(name));
    }
    return connection;
  };
  const run = async <T>(mode: IDBTransactionMode, work: (entries: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const tx = (await db()).transaction(ENTRIES, mode);
    const request = work(tx.objectStore(ENTRIES));
    // Settled when the transaction commits: a write is on disk before anyone relies on it.
    return new Promise<T>((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? request.error ?? new Error('The IndexedDB transaction was aborted.'));
    });
  };
  const strip = (row: Row | undefined): StoredOutboxEntry | undefined => {
    if (!row) return undefined;
    const { scope: _scope, ...entry } = row;
    return entry;
  };
  return {
    // IndexedDB's reads are typed `any`: what they give back is the rows this store put.
    async load(scope) {
      const rows = await run('readonly', (entries) => entries.index(BY_SCOPE).getAll(scopeKey(scope)) as IDBRequest<Row[]>);
      return rows.sort((a, b) => a.order - b.order).map((row) => strip(row) as StoredOutboxEntry);
    },
    async get(scope, clientId) {
      return strip(await run('readonly', (entries) => entries.get([scopeKey(scope), clientId]) as IDBRequest<Row | undefined>));
    },
    put: (scope, entry) => run('readwrite', (entries) => entries.put({ ...entry, scope: scopeKey(scope) } satisfies Row)),
    delete: (scope, clientId) => run('readwrite', (entries) => entries.delete([scopeKey(scope), clientId])),
  };
}
