import type { OutboxScope, OutboxStore } from './outbox-store.js';
import { outboxWatchers } from './outbox-watchers.js';
import type { OutboxRecords } from './indexeddb-outbox-records.js';

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
  // Its reads and writes (indexeddb-outbox-records.ts) are not in the code the page's first paint
  // waits for: fetched now, beside the connection, so that a room's first join rarely waits for
  // them. A fetch that failed (the page offline as it was made) is made again at the first use; one
  // that fails then is said, and made again at the next use.
  let fetched: Promise<typeof import('./indexeddb-outbox-records.js')> | undefined = import('./indexeddb-outbox-records.js');
  fetched.catch(() => undefined);
  let records: Promise<OutboxRecords> | undefined;
  const use = <T>(work: (loaded: OutboxRecords) => Promise<T>): Promise<T> =>
    (records ??= (fetched ?? Promise.reject(Error()))
      .catch(() => import('./indexeddb-outbox-records.js'))
      .then(
        (m) => m.idbOutboxRecords(name, options.indexedDB),
        (error: unknown) => {
          records = fetched = undefined;
          throw error;
        },
      )).then(work);
  const changes = changeSignal(`chat-outbox:${name}`);
  const store: OutboxStore = {
    load: (scope) => use((r) => r.load(scope)),
    get: (scope, clientId) => use((r) => r.get(scope, clientId)),
    async put(scope, entry, writer) {
      await use((r) => r.put(scope, entry));
      changes.tell(scope, writer);
    },
    async delete(scope, clientId, writer) {
      await use((r) => r.delete(scope, clientId));
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
