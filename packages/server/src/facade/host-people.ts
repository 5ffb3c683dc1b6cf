import {
  builtInError,
  parsePayload,
  type E2eeDeviceRemoveResult,
  type Room,
  type RoomSummary,
  type UserPresence,
  type UserRef,
} from '@chat/protocol';
import { listConversations } from '../capabilities/conversations/index.js';
import { checkSize, openDirectRoom as openDirect, resolveUsers } from '../capabilities/conversations/index.js';
import { presenceOf as presenceOfUsers } from '../capabilities/conversations/index.js';
import { removeDevice as removeE2eeDevice } from '../capabilities/e2ee/index.js';
import { addMembers as addStoredMembers, removeMembers as removeStoredMembers } from '../capabilities/conversations/index.js';
import type { RoomSignals } from '../kernel/rooms/room-signals.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';

// The host's calls about people (`chat.openDirectRoom`, `addMembers`, `removeMembers`,
// `presenceOf`, `conversations`, `removeDevice`), once the server is ready.

/** The one direct room of exactly these users, created the first time. */
export async function openDirectRoom(
  ready: Promise<void>,
  ctx: CapabilityContext,
  users: Array<string | UserRef>,
  options: { encrypted?: boolean } = {},
): Promise<Room> {
  await ready;
  const refs = await resolveUsers(ctx, users);
  checkSize(ctx, refs.length);
  return openDirect(ctx, refs, undefined, options.encrypted === true);
}

/** Makes users stored members of a room. */
export async function addMembers(
  ready: Promise<void>,
  ctx: CapabilityContext,
  roomId: string,
  users: Array<string | UserRef>,
): Promise<void> {
  await ready;
  await addStoredMembers(ctx, roomId, users);
}

/** Ends users' membership of a room; resolves once their sockets left it, on every process. */
export async function removeMembers(
  ready: Promise<void>,
  ctx: CapabilityContext,
  signals: RoomSignals,
  roomId: string,
  userIds: string[],
): Promise<void> {
  await ready;
  const removed = await removeStoredMembers(ctx, roomId, userIds);
  if (removed.length > 0) await signals.removed(roomId, removed);
}

/** Whether users are online (on any process), their status, and when the others were last seen. */
export async function presenceOf(ready: Promise<void>, ctx: CapabilityContext, userIds: string[]): Promise<UserPresence[]> {
  await ready;
  const checked = parsePayload(ctx.schemas['presence:of'], { userIds });
  return presenceOfUsers(ctx, checked.userIds);
}

/** A user's rooms, newest activity first, with exact unread and mention counts. */
export async function conversations(ready: Promise<void>, ctx: CapabilityContext, userId: string): Promise<RoomSummary[]> {
  await ready;
  if (typeof userId !== 'string' || userId === '') throw builtInError('VALIDATION_FAILED', 'Give a user id.');
  return listConversations(ctx, userId);
}

/** Removes one device of a user from every encrypted room (see `e2ee:device:remove`). */
export async function removeDevice(
  ready: Promise<void>,
  ctx: CapabilityContext,
  userId: string,
  deviceId: string,
): Promise<E2eeDeviceRemoveResult> {
  await ready;
  if (typeof userId !== 'string' || userId === '') throw builtInError('VALIDATION_FAILED', 'Give a user id.');
  const checked = parsePayload(ctx.schemas['e2ee:device:remove'], { deviceId });
  return removeE2eeDevice(ctx, { userId, deviceId: checked.deviceId });
}
