import { builtInError, parsePayload, type Room, type UserRef } from '@chat/protocol';
import type { ServerContext } from '../context.js';
import { resolveUsers } from '../../capabilities/conversations/direct-rooms.js';
import { userRef } from '../../core/ids.js';

/** Whether a user is a stored member of a room (never, for an ephemeral room). */
export async function isStoredMember(ctx: ServerContext, room: Room, userId: string): Promise<boolean> {
  if (room.options.ephemeral === true) return false;
  return ctx.store.isMember(room.id, userId);
}

/** A join of a stored room makes the user a stored member (idempotent; leaving does not undo it). */
export async function joinAsMember(ctx: ServerContext, room: Room, user: UserRef): Promise<void> {
  if (room.options.ephemeral === true) return;
  await ctx.store.addMembers(room.id, [userRef(user)]);
  ctx.members.joined(room.id, user.id);
}

/** The room a host changes the members of: it must exist and keep members. */
async function memberRoom(ctx: ServerContext, roomId: string): Promise<Room> {
  parsePayload(ctx.schemas.roomId, roomId);
  const room = await ctx.store.getRoom(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.ephemeral === true) throw builtInError('VALIDATION_FAILED', 'Ephemeral rooms have no stored members.');
  return room;
}

/** `chat.addMembers`: makes users stored members of a room (a direct room's members are fixed). */
export async function addMembers(ctx: ServerContext, roomId: string, users: ReadonlyArray<string | UserRef>): Promise<void> {
  const room = await memberRoom(ctx, roomId);
  if (room.options.direct === true) {
    throw builtInError('VALIDATION_FAILED', "A direct room's members are fixed: open the direct room of the new set of users instead.");
  }
  const refs = await resolveUsers(ctx, users);
  if (refs.length === 0) return;
  await ctx.store.addMembers(room.id, refs);
  ctx.members.forget(room.id);
}

/** `chat.removeMembers`, the store's part: ends their membership (the caller takes their sockets out). */
export async function removeMembers(ctx: ServerContext, roomId: string, userIds: readonly string[]): Promise<string[]> {
  await memberRoom(ctx, roomId);
  if (!Array.isArray(userIds) || userIds.some((id) => typeof id !== 'string' || id === '')) {
    throw builtInError('VALIDATION_FAILED', 'Give the members to remove as a list of user ids.');
  }
  const ids = [...new Set<string>(userIds)];
  if (ids.length === 0) return ids;
  await ctx.store.removeMembers(roomId, ids);
  ctx.members.forget(roomId);
  return ids;
}

/**
 * A room made private starts its member list over: only its creator stays a stored member.
 * (Everyone who ever joined it while it was open is a stored member, and stored members may
 * enter a private room; without this, making a room private would keep them all in.) Whoever
 * `authorize` lets in becomes a member again on joining; `chat.addMembers` adds others.
 */
export async function restartMembership(ctx: ServerContext, room: Room): Promise<void> {
  const store = ctx.store;
  const members = await store.listMembers(room.id);
  const out = members.map((m) => m.user.id).filter((id) => id !== room.createdBy);
  if (out.length > 0) await store.removeMembers(room.id, out);
  ctx.members.forget(room.id);
}
