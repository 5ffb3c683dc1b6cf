import type { OutboxScope, OutboxStore, StoredOutboxEntry } from './outbox-store.js';
import { outboxWatchers } from './outbox-watchers.js';

/**
 * An {@link OutboxStore} in memory: entries outlive a ChatClient (a new client given the same
 * store sends them) but not the page. A client without the `outbox` option keeps its outbox in
 * memory by itself; use this one to share it between clients, or in tests.
 * @example const outbox = memoryOutbox(); new ChatClient({ url, auth, outbox });
 */
export function memoryOutbox(): OutboxStore {
  const scopes = new Map<string, Map<string, StoredOutboxEntry>>();
  const entriesOf = (scope: OutboxScope): Map<string, StoredOutboxEntry> => {
    const key = scopeKey(scope);
    let entries = scopes.get(key);
    if (!entries) scopes.set(key, (entries = new Map<string, StoredOutboxEntry>()));
    return entries;
  };
  const watchers = outboxWatchers();
  // After the change, on a later microtask: as another page of a real store hears it.
  const changed = (scope: OutboxScope, writer: string | undefined): void => queueMicrotask(() => watchers.tell(scope, writer));
  // Copies in and out, as a real store does: a caller never shares an object with the store.
  return {
    load: (scope) => [...entriesOf(scope).values()].sort((a, b) => a.order - b.order).map((e) => structuredClone(e)),
    get: (scope, clientId) => {
      const entry = entriesOf(scope).get(clientId);
      return entry && structuredClone(entry);
    },
    put: (scope, entry, writer) => {
      entriesOf(scope).set(entry.clientId, structuredClone(entry));
      changed(scope, writer);
    },
    delete: (scope, clientId, writer) => {
      if (entriesOf(scope).delete(clientId)) changed(scope, writer);
    },
    watch: (listener, writer) => watchers.add(listener, writer),
  };
}

/** One string per scope, for stores that key their records by it. */
export function scopeKey(scope: OutboxScope): string {
  return JSON.stringify([scope.server, scope.userId, scope.roomId]);
}
