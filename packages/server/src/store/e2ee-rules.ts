// Rules of encrypted rooms that more than one part applies: the stores' key packages and devices,
// and which group devices are leaving and when a group starts afresh (e2ee:sync, chat.addMembers).
import { builtInError, type ChatError, type E2eeDevice } from '@chat/protocol';
import type { E2eeStore, E2eeUserDevice } from '../core/e2ee-store.js';

/** `PAYLOAD_TOO_LARGE`: the user's devices would hold more than `max` key packages. */
export function tooManyKeyPackages(max: number): ChatError {
  return builtInError(
    'PAYLOAD_TOO_LARGE',
    `A user's devices can hold at most ${max} unclaimed key packages together; publish more once some have been claimed.`,
  );
}

/** `PAYLOAD_TOO_LARGE`: a new device of a user who has `max` devices already (removed ones do not count). */
export function tooManyDevices(device: E2eeDevice, max: number): ChatError {
  return builtInError(
    'PAYLOAD_TOO_LARGE',
    `${device.userId} already has ${max} devices in encrypted rooms, the most a user can have, so the device "${device.deviceId}" cannot be added: remove one no longer used (client.e2ee.removeDevice(deviceId)) and try again.`,
  );
}

/**
 * Whether a commit, sync or welcome naming group `named` may be of the room's group `id` as it is
 * now: yes unless both ids are known and differ (a group created before ids, or a client that names
 * none, is not checked). The SQL store applies the same rule in its statements (e2ee-sql.ts).
 */
export function sameGroup(id: string | undefined, named: string | undefined): boolean {
  return id === undefined || named === undefined || id === named;
}

/** One key for a device: its user and device ids. */
export function deviceKey(device: E2eeDevice): string {
  return JSON.stringify([device.userId, device.deviceId]);
}

/**
 * Of a room's group devices, those its members are to remove: the devices of users who are no
 * longer members of the room, and those their users removed (`gone`, as `E2eeStore.goneDevices`).
 */
export function leavingDevices(devices: readonly E2eeDevice[], members: ReadonlySet<string>, gone: readonly E2eeDevice[]): E2eeDevice[] {
  const removed = new Set(gone.map(deviceKey));
  return devices.filter((d) => !members.has(d.userId) || removed.has(deviceKey(d)));
}

/**
 * Starts a room's group afresh (`E2eeStore.resetGroup`) when no device in it can commit any more:
 * every one of its `devices` is `leaving` (`leavingDevices` of them, so a subset), so nobody would
 * ever add a device to it nor remove theirs. Answers whether it did (not for a group never
 * started, nor one that moved on).
 */
export async function resetIfNoneCanCommit(
  store: E2eeStore,
  roomId: string,
  epoch: number,
  devices: readonly E2eeDevice[],
  leaving: readonly E2eeDevice[],
): Promise<boolean> {
  return epoch > 0 && leaving.length === devices.length && (await store.resetGroup(roomId, epoch));
}

/** `E2EE_DEVICE_REMOVED`: the device was removed by its user (`e2ee:device:remove`, `chat.removeDevice`). */
export function deviceRemoved(device: E2eeDevice): ChatError {
  return builtInError(
    'E2EE_DEVICE_REMOVED',
    `The device "${device.deviceId}" was removed from ${device.userId}'s devices: it can no longer take part in encrypted rooms (a new device, with new keys, can).`,
  );
}

/**
 * A user's devices (`E2eeStore.userData`), by id, from what a store holds of them: key packages
 * (`[deviceId, keyPackage]`, oldest first), groups (`[deviceId, roomId]`), removed devices' ids and
 * the ids of devices that published key packages (`published`: also those whose last was claimed).
 */
export function userDevices(
  keyPackages: Iterable<readonly [string, string]>,
  groups: Iterable<readonly [string, string]>,
  gone: Iterable<string>,
  published: Iterable<string>,
): E2eeUserDevice[] {
  const devices = new Map<string, E2eeUserDevice>();
  const of = (deviceId: string): E2eeUserDevice => {
    let found = devices.get(deviceId);
    if (!found) devices.set(deviceId, (found = { deviceId, keyPackages: [], rooms: [], removed: false }));
    return found;
  };
  for (const deviceId of published) of(deviceId);
  for (const [deviceId, keyPackage] of keyPackages) of(deviceId).keyPackages.push(keyPackage);
  for (const [deviceId, roomId] of groups) of(deviceId).rooms.push(roomId);
  for (const deviceId of gone) of(deviceId).removed = true;
  for (const device of devices.values()) device.rooms.sort();
  return [...devices.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
}
