// A store as the server uses it: the core and every built-in part. A store of a host's own that
// leaves a part out is given one whose methods refuse with a sentence naming the part, so each
// capability without its part answers a clear error instead of failing on a missing method.
import { builtInError } from '@chat/protocol';
import type { ChatStore } from './chat-store.js';
import type { ChatStoreCore, CreateRoomInput, RoomPatch } from './store-core.js';
import { BUILT_IN_STORE_PARTS } from './store-parts.js';

/** A built-in part by its key (`push`: `PushStore`). */
export type BuiltInPartKey = keyof typeof BUILT_IN_STORE_PARTS;

/** What a person is told when a capability reaches a part its server's store does not provide. */
const WITHOUT: Record<BuiltInPartKey, string> = {
  search: "This server's store keeps no search index (SearchStore), so messages cannot be searched here.",
  moderation: "This server's store keeps no moderation log (ModerationStore): there are no audit entries or reports here.",
  push: "This server's store keeps no push subscriptions (PushStore), so there are no push notifications here.",
  retention: "This server's store cannot remove old messages (RetentionStore), so a room cannot have retentionDays here.",
  userData:
    "This server's store cannot list what it keeps about a person (UserDataStore), so a person's data cannot be exported or erased here.",
};

const LACKING = new WeakMap<object, ReadonlySet<BuiltInPartKey>>();

/**
 * The built-in parts a store does not provide. A part is provided when the store has every one of
 * its methods; a store with some of a part's methods and not all is refused with a sentence naming
 * the ones missing (a part is whole or absent).
 */
export function lackedParts(store: ChatStoreCore): BuiltInPartKey[] {
  const methods = store as unknown as Record<string, unknown>;
  const lacking: BuiltInPartKey[] = [];
  for (const key of Object.keys(BUILT_IN_STORE_PARTS) as BuiltInPartKey[]) {
    const part = BUILT_IN_STORE_PARTS[key];
    const missing = part.methods.filter((method) => typeof methods[method] !== 'function');
    if (missing.length === part.methods.length) lacking.push(key);
    else if (missing.length > 0) {
      throw new TypeError(
        `The store has some of ${part.name}'s methods but not ${missing.join(', ')}: a store provides a part whole ` +
          `(${part.methods.join(', ')}) or leaves it out (docs/storage.md, "Writing another store").`,
      );
    }
  }
  return lacking;
}

/**
 * The store as the server uses it: the store itself when it provides every built-in part, else a
 * view of it whose missing parts' methods reject with `FORBIDDEN` and a sentence naming the part.
 * Without `RetentionStore`, a room given `retentionDays` is refused (`VALIDATION_FAILED`).
 */
export function completeStore(store: ChatStoreCore): ChatStore {
  const lacking = lackedParts(store);
  if (lacking.length === 0) return store as ChatStore;
  const replaced = new Map<PropertyKey, unknown>();
  for (const key of lacking) {
    for (const method of BUILT_IN_STORE_PARTS[key].methods) {
      replaced.set(method, () => Promise.reject(builtInError('FORBIDDEN', WITHOUT[key])));
    }
  }
  if (lacking.includes('retention')) {
    const refuse = (options: { retentionDays?: number } | undefined): void => {
      if (options?.retentionDays !== undefined) throw builtInError('VALIDATION_FAILED', WITHOUT.retention);
    };
    replaced.set('createRoom', async (input: CreateRoomInput) => (refuse(input.options), store.createRoom(input)));
    replaced.set('updateRoom', async (id: string, patch: RoomPatch) => (refuse(patch.options), store.updateRoom(id, patch)));
  }
  // The view's own target is an empty object: the store's properties are read through it, never
  // the store's own as the target's (a frozen store's methods could not be given bound). Each method
  // is bound to the store once, by function: one replaced later is read anew.
  const bound = new WeakMap<object, unknown>();
  const view = new Proxy(
    {},
    {
      get(_, key) {
        if (replaced.has(key)) return replaced.get(key);
        const value: unknown = Reflect.get(store, key, store);
        if (typeof value !== 'function') return value;
        let method = bound.get(value);
        if (method === undefined) bound.set(value, (method = (value as (...args: unknown[]) => unknown).bind(store)));
        return method;
      },
      has: (_, key) => replaced.has(key) || Reflect.has(store, key),
    },
  ) as ChatStore;
  LACKING.set(view, new Set(lacking));
  return view;
}

/** Whether the server's store (as `completeStore` made it) lacks a built-in part. */
export function storeLacks(store: ChatStoreCore, part: BuiltInPartKey): boolean {
  return LACKING.get(store)?.has(part) ?? false;
}

/** The sentence that says what goes without a part (for refusals made before a method is reached). */
export function withoutPart(part: BuiltInPartKey): string {
  return WITHOUT[part];
}

/**
 * Refuses, with a sentence naming the part, an option whose capability needs a built-in part the
 * store lacks (`needs`: the option's name by the part it needs, for the options given).
 */
export function requireParts(store: ChatStoreCore, needs: Partial<Record<BuiltInPartKey, string>>): void {
  for (const [key, option] of Object.entries(needs) as Array<[BuiltInPartKey, string]>) {
    if (!storeLacks(store, key)) continue;
    const part = BUILT_IN_STORE_PARTS[key];
    throw new TypeError(
      `The ${option} option needs the store part ${part.name} (${part.methods.join(', ')}), which this store does not provide: ` +
        'add those methods to it, or leave the option out (docs/storage.md, "Writing another store").',
    );
  }
}
