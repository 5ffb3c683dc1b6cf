import { scopeKey } from './memory-outbox.js';
import type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox-store.js';
import { outboxWatchers } from './outbox-watchers.js';
import { openDatabase } from '../core/idb-database.js';

/** What {@link indexedDbOutbox} needs of Web Locks (`navigator.locks` has it). */
export interface OutboxLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Options of {@link indexedDbOutbox}. */
export interface IndexedDbOutboxOptions {
  /** The IndexedDB database's name. @default 'chat-outbox' */
  name?: string;
  /** The IndexedDB to use (in Node tests, `fake-indexeddb`'s). @default globalThis.indexedDB */
  indexedDB?: IDBFactory;
  /**
   * Locks shared by the pages of the origin, so that one of them at a time sends a room's
   * entries, in order and each once; `false` for none (the server still stores each entry once).
   * @default navigator.locks, when present
   */
  locks?: OutboxLocks | false;
}

const ENTRIES = 'entries';
const BY_SCOPE = 'byScope';

/** A record: the entry, and the scope it belongs to. */
type Row = StoredOutboxEntry & { scope: string };

// One connection per database name and factory for the page, however many stores are made.
const connections = new WeakMap<IDBFactory, Map<string, Promise<IDBDatabase>>>();

/**
 * An outbox in IndexedDB: messages sent while offline survive a reload and go out once the
 * page is back, in order; a failed one stays failed until retried or discarded. Entries are
 * kept per server, user and room. Pages of the same user share them and, with Web Locks, send
 * them one page at a time: in the order written, whichever page wrote them, and never one twice.
 * @example
 * import { indexedDbOutbox } from '@chat/client/indexeddb';
 * const client = new ChatClient({ url, auth, outbox: indexedDbOutbox() });
 */
export function indexedDbOutbox(options: IndexedDbOutboxOptions = {}): OutboxStore {
  const name = options.name ?? 'chat-outbox';
  const locks = options.locks ?? webLocks();
  const db = (): Promise<IDBDatabase> => {
    const factory = options.indexedDB ?? globalThis.indexedDB;
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
  const changes = changeSignal(`chat-outbox:${name}`);
  const store: OutboxStore = {
    // IndexedDB's reads are typed `any`: what they give back is the rows this store put.
    async load(scope) {
      const rows = await run('readonly', (entries) => entries.index(BY_SCOPE).getAll(scopeKey(scope)) as IDBRequest<Row[]>);
      return rows.sort((a, b) => a.order - b.order).map((row) => strip(row) as StoredOutboxEntry);
    },
    async get(scope, clientId) {
      return strip(await run('readonly', (entries) => entries.get([scopeKey(scope), clientId]) as IDBRequest<Row | undefined>));
    },
    async put(scope: OutboxScope, entry, writer) {
      await run('readwrite', (entries) => entries.put({ ...entry, scope: scopeKey(scope) } satisfies Row));
      changes.tell(scope, writer);
    },
    async delete(scope, clientId, writer) {
      await run('readwrite', (entries) => entries.delete([scopeKey(scope), clientId]));
      changes.tell(scope, writer);
    },
    watch: (listener, writer) => changes.watch(listener, writer),
  };
  if (locks) store.exclusive = (key, task) => locks.request(`chat-outbox:${key}`, task);
  return store;
}

function webLocks(): OutboxLocks | false {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return false;
  // The lock is held until the callback's promise settles; its result is the request's.
  return { request: <T>(name: string, callback: () => Promise<T>) => locks.request(name, () => callback()) as Promise<T> };
}

/**
 * Tells the watchers of this store (but the writer's own), and the pages with a store of the same
 * name (over a BroadcastChannel, where there is one), which scope changed. Every writer of another
 * store is another page's, or another client's of this page: all of this store's watchers hear it.
 */
function changeSignal(name: string) {
  const watchers = outboxWatchers();
  let channel: BroadcastChannel | undefined;
  // Opened at the first change or watcher, for the page's life (unref'd: a Node process may end).
  const open = (): BroadcastChannel | undefined => {
    if (channel || typeof BroadcastChannel !== 'function') return channel;
    channel = new BroadcastChannel(name);
    (channel as { unref?: () => void }).unref?.();
    channel.onmessage = (event: MessageEvent<unknown>) => {
      if (isScope(event.data)) watchers.tell(event.data);
    };
    return channel;
  };
  return {
    tell(scope: OutboxScope, writer: string | undefined): void {
      watchers.tell(scope, writer);
      open()?.postMessage(scope);
    },
    watch(listener: (scope: OutboxScope) => void, writer: string | undefined): () => void {
      open();
      return watchers.add(listener, writer);
    },
  };
}

function isScope(data: unknown): data is OutboxScope {
  if (typeof data !== 'object' || data === null) return false;
  const { server, userId, roomId } = data as Record<string, unknown>;
  return typeof server === 'string' && typeof userId === 'string' && typeof roomId === 'string';
}
