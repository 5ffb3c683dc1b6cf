// What every e2ee event checks first: the store keeps e2ee state, the socket has joined the room,
// and the room is encrypted.
import { builtInError, type E2eeDevice, type Room } from '@chat/protocol';
import type { SessionCaller } from '../../core/capability.js';
import type { E2eeStore } from '../../core/e2ee-store.js';
import type { CapabilityContext } from '../capability-context.js';

/** The store's e2ee part, or `FORBIDDEN` for a store without one. */
export function e2eeStore(ctx: CapabilityContext): E2eeStore {
  if (!ctx.store.e2ee) {
    throw builtInError('FORBIDDEN', "This server's store does not keep encryption keys, so it has no end-to-end encrypted rooms.");
  }
  return ctx.store.e2ee;
}

/** The encrypted room the socket has joined (`NOT_IN_ROOM`, `VALIDATION_FAILED` for a plain room). */
export async function encryptedRoom(ctx: CapabilityContext, caller: SessionCaller, roomId: string): Promise<Room> {
  await caller.requireRoom(roomId);
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.encrypted !== true) {
    throw builtInError('VALIDATION_FAILED', `The room "${roomId}" is not end-to-end encrypted: it has no MLS group.`);
  }
  return room;
}

/** Whether two device lists name the same device. */
export function sameDevice(a: E2eeDevice, b: E2eeDevice): boolean {
  return a.userId === b.userId && a.deviceId === b.deviceId;
}
