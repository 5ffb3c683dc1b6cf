import type { OutboxScope } from './outbox-store.js';

/** The listeners of a store's `watch`, each with the writer it watches as (see `OutboxStore.watch`). */
export interface OutboxWatchers {
  /** Adds a listener; returns the function that removes it. */
  add(listener: (scope: OutboxScope) => void, writer?: string): () => void;
  /** Tells every listener but those of `writer` (it made the change) that `scope` changed. */
  tell(scope: OutboxScope, writer?: string): void;
}

/** The watchers of one store (`memoryOutbox()`, or one `indexedDbOutbox()` of the page). */
export function outboxWatchers(): OutboxWatchers {
  const watchers = new Set<{ listener: (scope: OutboxScope) => void; writer: string | undefined }>();
  return {
    add(listener, writer) {
      const watcher = { listener, writer };
      watchers.add(watcher);
      return () => void watchers.delete(watcher);
    },
    tell(scope, writer) {
      // A writer knows its own changes: telling it would only make it read the store again.
      watchers.forEach((watcher) => (writer === undefined || watcher.writer !== writer) && watcher.listener({ ...scope }));
    },
  };
}
