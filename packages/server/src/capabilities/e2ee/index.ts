// End-to-end encrypted rooms (MLS): the server as the delivery service. Devices publish and claim
// key packages, commit in epoch order, fetch what they missed; members are asked to remove the
// devices of users who leave the room, and devices their user removed.
import { ClientEvent, toChatError } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import { askMembers } from './e2ee-ask.js';
import { claimKeys, commit, heldKeys, publishKeys, sync } from './e2ee-events.js';
import { listenForRemovedDevices, removeOwnDevice } from './e2ee-devices.js';

/**
 * Tells an encrypted room's members that devices wait to be removed (users stopped being members)
 * or added (the host added users: their devices are added with a key package each, also while
 * offline, and find their welcome when they come back).
 */
async function membersChanged(ctx: CapabilityContext, roomId: string, removed: boolean): Promise<void> {
  const room = await ctx.rooms.get(roomId);
  if (room?.options.encrypted === true) await askMembers(ctx, room, removed);
}

/** The e2ee capability: `e2ee:keys:publish`, `e2ee:keys:held`, `e2ee:keys:claim`, `e2ee:commit`, `e2ee:sync`, `e2ee:device:remove`. */
export function e2eeCapability(ctx: () => CapabilityContext): Capability {
  return {
    name: 'e2ee',
    events: {
      [ClientEvent.E2EE_KEYS_PUBLISH]: (caller, payload) => publishKeys(ctx(), caller, payload),
      [ClientEvent.E2EE_KEYS_HELD]: (caller, payload) => heldKeys(ctx(), caller, payload),
      [ClientEvent.E2EE_KEYS_CLAIM]: (caller, payload) => claimKeys(ctx(), caller, payload),
      [ClientEvent.E2EE_COMMIT]: (caller, payload) => commit(ctx(), caller, payload),
      [ClientEvent.E2EE_SYNC]: (caller, payload) => sync(ctx(), caller, payload),
      [ClientEvent.E2EE_DEVICE_REMOVE]: (caller, payload) => removeOwnDevice(ctx(), caller, payload),
    },
    // Before the server is ready: a device removed on another process is cut here too.
    init: async () => listenForRemovedDevices(ctx),
    listen: (bus) => {
      const ask = (roomId: string, removed: boolean) => {
        const c = ctx();
        void membersChanged(c, roomId, removed).catch((error: unknown) => c.report(toChatError(error), { event: 'e2ee' }));
      };
      bus.on('members:removed', (roomId) => ask(roomId, true));
      bus.on('members:added', (roomId) => ask(roomId, false));
    },
  };
}

export { removeDevice } from './e2ee-devices.js';
