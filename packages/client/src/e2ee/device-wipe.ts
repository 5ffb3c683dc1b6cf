// What a device its user removed wipes from its keep (every MLS group it kept, their ratchets, the
// private keys of its key packages), and the guard that keeps a write in flight when the removal
// came (a message read, a commit, a join) from putting any of it back.
import type { DeviceKeep } from './device-keep.js';
import type { GroupKeep } from './group-keep.js';

/** Records of MLS secrets and the list of kept groups: wiped, and never written again once removed. */
const SECRET = /^(?:group:|ratchet:|held$|groups$)/u;

/** A device keep that drops writes of MLS secrets once `stop()` was called. */
export interface GuardedKeep extends DeviceKeep {
  /** From now on, writes of MLS secrets do nothing (other records are written as before). */
  stop(): void;
}

/** `keep`, guarded (see {@link GuardedKeep}). */
export function guardedKeep(keep: DeviceKeep): GuardedKeep {
  let stopped = false;
  const guarded: GuardedKeep = {
    get: (key) => keep.get(key),
    set: (key, value) => (stopped && SECRET.test(key) ? Promise.resolve() : keep.set(key, value)),
    delete: (key) => keep.delete(key),
    stop: () => {
      stopped = true;
    },
  };
  const list = keep.keys?.bind(keep);
  if (list) guarded.keys = list;
  return guarded;
}

/**
 * Wipes a removed device's MLS secrets: every group its keep lists and those of `rooms` (held or
 * loaded in this session), then any secret record left when the store lists its keys (groups kept
 * before the list existed), then its key packages' private keys (and the batch it was publishing, and its marks of dead ones). Throws at the first delete that
 * fails: calling it again goes on.
 */
export async function wipeSecrets(keep: DeviceKeep, groups: GroupKeep, rooms: Iterable<string>): Promise<void> {
  await groups.forgetAll(rooms);
  for (const key of (await keep.keys?.()) ?? []) if (SECRET.test(key)) await keep.delete(key);
  await keep.delete('held');
  await keep.delete('publishing');
  await keep.delete('held-dead');
}
