import type { ChatErrorData } from '@chat/protocol';
import type { OutboxEntry } from './outbox-entry.js';

/** Whose outbox, in which room: a store never hands the entries of one scope to another. */
export interface OutboxScope {
  /** The chat server's URL with its namespace, e.g. `https://chat.example/`. */
  server: string;
  /** The sender, as the server knows them (`room.self.id`). */
  userId: string;
  roomId: string;
}

/** An outbox entry as a store keeps it: plain data (an IndexedDB record, a JSON line). */
export interface StoredOutboxEntry extends Omit<OutboxEntry, 'error'> {
  /** Why the server refused it (with `status: 'failed'`). */
  error?: ChatErrorData;
  /** Send order within the scope; `load()` returns entries sorted by it. */
  order: number;
}

/**
 * Where a ChatClient keeps the messages the server has not acknowledged yet, so that a new
 * client (a reloaded page) sends them. Methods may return a value or a promise.
 * Implementations: `memoryOutbox()` and `indexedDbOutbox()` from `@chat/client/indexeddb`.
 *
 * Each room's outbox writes with a `writer` id of its own and watches with it: a store that
 * honours it (both above do) does not tell an outbox of its own writes, which it knows already.
 * A store that ignores it works too; the outbox then reads the store again after each write.
 */
export interface OutboxStore {
  /** The entries of one scope, in send order (`order`, smallest first). */
  load(scope: OutboxScope): StoredOutboxEntry[] | Promise<StoredOutboxEntry[]>;
  /** One entry as stored now; another page of the same user may have sent or changed it. */
  get(scope: OutboxScope, clientId: string): StoredOutboxEntry | undefined | Promise<StoredOutboxEntry | undefined>;
  /** Adds an entry, or replaces the one with the same `clientId` in the scope. `writer`: see {@link OutboxStore.watch}. */
  put(scope: OutboxScope, entry: StoredOutboxEntry, writer?: string): void | Promise<void>;
  /** Removes an entry; nothing happens if it is not there. `writer`: see {@link OutboxStore.watch}. */
  delete(scope: OutboxScope, clientId: string, writer?: string): void | Promise<void>;
  /**
   * Runs `task` while no other page sharing this storage runs one under the same `key` (Web
   * Locks in a browser); a key names one scope, so one page at a time sends its entries, oldest
   * first. Without it, two pages of a user may both send an entry (the server still stores it
   * once, same `clientId`; it just travels twice), and may send what each wrote out of order.
   */
  exclusive?<T>(key: string, task: () => Promise<T>): Promise<T>;
  /**
   * Calls `listener` with the scope after a `put` or `delete` of any client sharing this storage,
   * in this page or another (a BroadcastChannel in a browser), so that a page showing an entry
   * another one delivered, retried or discarded shows it too. Returns the function that stops it.
   * Given a `writer`, it is not called for the changes made with that same `writer` (its own);
   * those made with another writer or none are told. Without `watch`, a page finds such changes
   * when it next sends or joins the room.
   */
  watch?(listener: (scope: OutboxScope) => void, writer?: string): () => void;
}
