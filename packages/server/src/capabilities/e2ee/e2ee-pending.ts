// What the server asks of an encrypted room's members: add the devices of members that are not in
// the group (each with a key package to claim), remove the devices of users who are no longer
// members and the devices their users removed.
import type { E2eeDevice } from '@chat/protocol';
import type { E2eeStore } from '../../core/e2ee-store.js';
import type { CapabilityContext } from '../capability-context.js';
import { leavingDevices } from '../../store/e2ee-rules.js';
import { sameDevice } from './e2ee-room.js';

/** The devices to add and to remove, as the room's stored members and the group's devices stand now. */
export async function pendingChanges(
  ctx: CapabilityContext,
  store: E2eeStore,
  roomId: string,
  devices: readonly E2eeDevice[],
): Promise<{ add: E2eeDevice[]; remove: E2eeDevice[] }> {
  const members = new Set((await ctx.store.listMembers(roomId)).map((m) => m.user.id));
  const [addable, gone] = await Promise.all([store.keyDevices([...members]), store.goneDevices(devices)]);
  return {
    add: addable.filter((d) => !devices.some((g) => sameDevice(g, d))),
    remove: leavingDevices(devices, members, gone),
  };
}
