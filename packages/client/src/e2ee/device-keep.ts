// One device's records in a device store: every key carries the server and user, so one store
// serves many clients (and a user switch on the same page never reads another user's keys).
import type { E2eeDeviceStore } from './e2ee-store.js';

/** The records of one user's device on one server. */
export interface DeviceKeep {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** The keys of the device's records (without the server and user), when the store can list them. */
  keys?(): Promise<string[]>;
}

/** `store`'s records under `server` and `userId`, in the device slot `slot` (see `holdSlot`). */
export function deviceKeep(store: E2eeDeviceStore, server: string, userId: string, slot = 0): DeviceKeep {
  // The first slot's keys are those of the versions before slots.
  const prefix = `${JSON.stringify(slot === 0 ? [server, userId] : [server, userId, slot])}:`;
  const keep: DeviceKeep = {
    get: (key) => store.get(prefix + key),
    set: (key, value) => store.set(prefix + key, value),
    delete: (key) => store.delete(prefix + key),
  };
  const list = store.keys?.bind(store);
  if (list) keep.keys = async () => (await list(prefix)).map((key) => key.slice(prefix.length));
  return keep;
}
