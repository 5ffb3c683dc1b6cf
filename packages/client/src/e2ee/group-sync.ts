// How a device brings the room's group it holds up to date with the server's log (`e2ee:sync`),
// and learns that it no longer belongs to that group: removed from it, added again since (a
// welcome of a later epoch waits), or the room's group started afresh (another group id; its
// epochs count from 0 again, so the device's epoch says nothing of it).
import type { E2eeDevice, E2eeSyncPayload, E2eeSyncResult } from '@chat/protocol';
import { deviceIdentity } from './mls-device.js';
import type { MlsGroup } from './mls-group.js';

/** What a sync of the group a device holds found. */
export interface GroupSync {
  /** The server's last answer. */
  answer: E2eeSyncResult;
  /** The device holds a group it is no longer in: it forgets it (and waits for, or takes, its welcome). */
  left: boolean;
}

/**
 * Whether the server's answer says the device no longer belongs to the group it holds: the room's
 * group is another one, the group lacks the device, or a welcome of a later epoch waits for it.
 */
function leftGroup(answer: E2eeSyncResult, self: E2eeDevice, group: MlsGroup): boolean {
  // A server before group ids names none: the other signs still hold.
  if (answer.group !== undefined && answer.group !== group.id) return true;
  const me = deviceIdentity(self.userId, self.deviceId);
  const inGroup = answer.devices.some((d) => deviceIdentity(d.userId, d.deviceId) === me);
  return !inGroup || (answer.welcome !== undefined && answer.welcome.epoch > group.epoch);
}

/**
 * Asks the server for the room's group (`ask` sends `e2ee:sync`) and applies to `group` (the one the
 * device holds, if any) the commits it missed, page by page, calling `applied` after each page that
 * changed it. Stops, changing nothing more, once the answer says the device left the group.
 */
export async function syncGroup(
  ask: (payload: E2eeSyncPayload) => Promise<E2eeSyncResult>,
  roomId: string,
  self: E2eeDevice,
  group: MlsGroup | undefined,
  applied: () => Promise<void>,
): Promise<GroupSync> {
  for (;;) {
    const answer = await ask({ roomId, deviceId: self.deviceId, ...(group && { after: group.epoch, group: group.id }) });
    if (!group) return { answer, left: false };
    if (leftGroup(answer, self, group)) return { answer, left: true };
    // Commits this device made itself were adopted when the server took them.
    let changed = false;
    for (const entry of answer.commits) {
      if (entry.epoch !== group.epoch) continue;
      await group.applyCommit(entry.commit);
      changed = true;
    }
    if (changed) await applied();
    if (!answer.hasMore) return { answer, left: false };
  }
}
