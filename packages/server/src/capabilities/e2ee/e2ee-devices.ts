// One device of a user in encrypted rooms: the sockets that speak for it, and its removal (a lost
// phone). A removed device publishes nothing more, gets no welcome, and its sockets are cut; the
// members of its groups are asked to commit its removal, which is what shuts it out of the keys.
import { builtInError, parsePayload, toChatError, type E2eeDevice, type E2eeDeviceRemoveResult } from '@chat/protocol';
import type { SessionCaller } from '../../core/capability.js';
import { deviceRoom } from '../../core/ids.js';
import type { CapabilityContext } from '../capability-context.js';
import { deviceRemoved } from '../../store/e2ee-rules.js';
import { askEverywhere } from '../../kernel/ask-everywhere.js';
import { askMembers } from './e2ee-ask.js';
import { e2eeStore } from './e2ee-room.js';

/** Sent between processes when a device was removed, so that each tells and cuts its own sockets of it; acknowledged by each. */
const DEVICE_REMOVED_SIGNAL = 'chat:e2ee-device-removed';

type SignalTarget = { on(event: string, listener: (data: E2eeDevice, ack?: (ok: boolean) => void) => void): void };

/**
 * Tells this process's sockets of the device that it was removed (`e2ee:removed`), then disconnects
 * them: in that order on each socket, so the SDK stops rather than retries. Each process does it for
 * its own sockets (a cluster-wide broadcast and a cluster-wide disconnect travel apart and may
 * arrive in either order: on a Redis Cluster, on different shards).
 */
function cutDevice(ctx: CapabilityContext, device: E2eeDevice): void {
  const sockets = deviceRoom(device.userId, device.deviceId);
  ctx.nsp.local.to(sockets).emit('e2ee:removed', { deviceId: device.deviceId });
  ctx.nsp.local.in(sockets).disconnectSockets(true);
}

/** Cuts this process's sockets of a device another process removed (the signal of `removeDevice`). */
export function listenForRemovedDevices(ctx: () => CapabilityContext): void {
  (ctx().nsp as unknown as SignalTarget).on(DEVICE_REMOVED_SIGNAL, (device, ack) => {
    cutDevice(ctx(), device);
    ack?.(true);
  });
}

/**
 * The caller's socket speaks for this device of theirs (`E2EE_DEVICE_REMOVED` for a removed one): it
 * joins the device's Socket.IO room, so that the device's removal reaches it on any process.
 */
export async function actAs(ctx: CapabilityContext, caller: SessionCaller, deviceId: string): Promise<E2eeDevice> {
  const device = { userId: caller.user.id, deviceId };
  const room = deviceRoom(device.userId, deviceId);
  // Joined before the check: a removal the check does not see yet (on any process) finds the socket
  // in the room and cuts it. Checked first, a removal in between would miss it for good.
  const sockets = ctx.nsp.in(caller.socketId).local;
  const wasIn = ctx.nsp.adapter.rooms.get(room)?.has(caller.socketId) === true;
  sockets.socketsJoin(room);
  try {
    await refuseRemoved(ctx, [device]);
  } catch (error) {
    // Out again only if this request put it in. A socket there already (by its earlier requests)
    // stays: the removal's cut, on its way from another process, must still find it (a request
    // refused in between took it out, and the cut missed it for good).
    if (!wasIn) sockets.socketsLeave(room);
    throw error;
  }
  return device;
}

/** `E2EE_DEVICE_REMOVED` when one of these devices was removed by its user. */
export async function refuseRemoved(ctx: CapabilityContext, devices: readonly E2eeDevice[]): Promise<void> {
  const [gone] = devices.length === 0 ? [] : await e2eeStore(ctx).goneDevices(devices);
  if (gone) throw deviceRemoved(gone);
}

/**
 * Removes one device of a user (`e2ee:device:remove`, `chat.removeDevice`): recorded, its key
 * packages and welcomes dropped, its sockets told (`e2ee:removed`) and disconnected on every
 * process (the event goes first on each socket, so the SDK stops rather than retries; answered
 * once every process has done it, or failed to answer in time), and each encrypted room whose
 * group holds it asked (`e2ee:pending`) to commit its removal. `FORBIDDEN` when the server knows
 * no such device of the user.
 */
export async function removeDevice(ctx: CapabilityContext, device: E2eeDevice): Promise<E2eeDeviceRemoveResult> {
  const rooms = await e2eeStore(ctx).removeDevice(device);
  if (rooms === undefined) {
    throw builtInError(
      'FORBIDDEN',
      `${device.userId} has no device "${device.deviceId}" in encrypted rooms: a user can remove only their own devices.`,
    );
  }
  cutDevice(ctx, device);
  if (ctx.clustered()) await askEverywhere(ctx, DEVICE_REMOVED_SIGNAL, device);
  // Not waited for: the removal is done; each room's ask (and possible reset) on its own, a failure reported.
  for (const roomId of rooms) {
    void ctx.rooms
      .get(roomId)
      .then((room) => room && askMembers(ctx, room, true))
      .catch((error: unknown) => ctx.report(toChatError(error), { event: 'e2ee' }));
  }
  return { rooms: rooms.length };
}

/** `e2ee:device:remove`: the caller removes one of their own devices. */
export async function removeOwnDevice(ctx: CapabilityContext, caller: SessionCaller, payload: unknown): Promise<E2eeDeviceRemoveResult> {
  const { deviceId } = parsePayload(ctx.schemas['e2ee:device:remove'], payload);
  return removeDevice(ctx, { userId: caller.user.id, deviceId });
}
