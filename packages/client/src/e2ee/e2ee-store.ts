// Where a device keeps what end-to-end encryption needs across sessions: its device id, the
// private halves of the key packages it published, each room's MLS group state, and the text of
// the messages it already decrypted (an MLS key opens its message once).

/**
 * A device's end-to-end encryption state, as string values by key. Keys are made by the SDK and
 * already carry the server and user they belong to. `memoryE2eeStore()` (Node, tests) and
 * `indexedDbE2eeStore()` from `@chat/client/indexeddb` (browsers) are the stores the SDK offers.
 */
export interface E2eeDeviceStore {
  /** The value kept under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Keeps `value` under `key` (replacing what was there). */
  set(key: string, value: string): Promise<void>;
  /** Forgets `key`. */
  delete(key: string): Promise<void>;
  /**
   * The keys that start with `prefix`. Optional: with it, a device its user removed wipes every
   * group it ever kept; without it, the groups the SDK listed (those kept since this method's
   * release, and any it loaded in the session) but not groups kept by earlier versions of the SDK.
   */
  keys?(prefix: string): Promise<string[]>;
  /**
   * Web Locks shared by the pages that share this store (`navigator.locks` for IndexedDB): each
   * page (or client) of a user then holds a device slot of the store and is a device of its own, as
   * two pages moving one device's MLS state each on their own would break it. Optional: a store
   * without them is one device (a memory store is one client's).
   */
  locks?: E2eeLocks;
  /** The store's name among the origin's stores (`indexedDbE2eeStore`: its database's), in its slots' lock names. */
  name?: string;
}

/** What a device store's pages need of Web Locks (`navigator.locks` has it). */
export interface E2eeLocks {
  /** Calls `callback` with the lock once held (null: not free, with `ifAvailable`); held until its promise settles. */
  request(
    name: string,
    options: { ifAvailable?: boolean; signal?: AbortSignal },
    callback: (lock: object | null) => Promise<void> | undefined,
  ): Promise<unknown>;
}

/**
 * A device store in memory: the device is new with every client (a reloaded page or a restarted
 * process cannot read what it read before). The default of `new ChatClient({ e2ee: {} })`.
 */
export function memoryE2eeStore(): E2eeDeviceStore {
  const values = new Map<string, string>();
  return {
    get: (key) => Promise.resolve(values.get(key)),
    set: (key, value) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      values.delete(key);
      return Promise.resolve();
    },
    keys: (prefix) => Promise.resolve([...values.keys()].filter((key) => key.startsWith(prefix))),
  };
}
