import { IDBFactory } from 'fake-indexeddb';
import { memoryOutbox, type OutboxStore } from '@chat/client';
import { indexedDbOutbox } from '@chat/client/indexeddb';

/** A store as the page under test opens it, and as another page of the same user does. */
export interface TwoPagesOfOutbox {
  store: OutboxStore;
  another: OutboxStore;
}

/**
 * The SDK's outbox stores, each as two pages of one user open it. `indexedDbOutbox`: two stores of
 * one database (fake-indexeddb), told of each other's writes over the BroadcastChannel of `name`
 * (one per test file: no other test hears it). `memoryOutbox`: one store, shared by both.
 */
export const outboxesOfTwoPages: Array<[string, (name: string) => TwoPagesOfOutbox]> = [
  [
    'memoryOutbox',
    () => {
      const store = memoryOutbox();
      return { store, another: store };
    },
  ],
  [
    'indexedDbOutbox (fake-indexeddb)',
    (name) => {
      const indexedDB = new IDBFactory();
      return { store: indexedDbOutbox({ indexedDB, name, locks: false }), another: indexedDbOutbox({ indexedDB, name, locks: false }) };
    },
  ],
];
