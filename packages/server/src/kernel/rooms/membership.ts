import { builtInError, ChatError, type Room, type UserRef } from '@chat/protocol';
import { removalOwed } from './removal-owed.js';
import type { ServerContext } from '../context.js';
import { userRef } from '../../core/ids.js';

/** Whether a user is a stored member of a room (never, for an ephemeral room). */
export async function isStoredMember(ctx: ServerContext, room: Room, userId: string): Promise<boolean> {
  if (room.options.ephemeral === true) return false;
  return ctx.store.isMember(room.id, userId);
}

/**
 * A direct room is for its members, and to anyone else it does not exist: `ROOM_NOT_FOUND` with
 * the sentence of an id never used, so that nobody can tell whether two people talk.
 */
export async function hideDirectRoom(ctx: ServerContext, room: Room, userId: string): Promise<void> {
  if (room.options.direct === true && !(await ctx.store.isMember(room.id, userId))) throw noRoom(room.id);
}

/**
 * A member `authorize` refuses now (the room or their roles changed) is no longer a stored
 * member: refused means removed, so the room stops reaching them through `room:activity`,
 * `conversations:list` and `notify` too.
 */
export async function leaveAsMember(ctx: ServerContext, room: Room, userId: string): Promise<void> {
  if (room.options.ephemeral === true || !(await ctx.store.isMember(room.id, userId))) return;
  await ctx.store.removeMembers(room.id, [userId]);
  ctx.members.forget(room.id);
  ctx.bus.emit('members:removed', room.id, [userId]);
}

/**
 * Rethrows a store's `NOT_IN_ROOM` (the user is not a stored member) about a direct room as
 * `hideDirectRoom` answers: the store has checked membership already, so no second read.
 */
export function asStranger(room: Room, error: unknown): never {
  if (room.options.direct === true && error instanceof ChatError && error.code === 'NOT_IN_ROOM') throw noRoom(room.id);
  throw error;
}

/** The answer about a room that does not exist (or that the caller may not know of). */
export function noRoom(roomId: string): ChatError {
  return builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
}

/** What an action in a room that has ended gets. */
export function roomEnded(): ChatError {
  return builtInError('ROOM_ENDED', 'This room has ended. It can no longer be joined or written to.');
}

/**
 * A join of a stored room makes the user a stored member (idempotent; leaving does not undo it).
 * In an encrypted room, a user whose membership ended (kicked, banned, removed) while their
 * devices are still in the MLS group is refused until a member's commit removes those devices:
 * they come back as new members, added with fresh key packages, never with their old keys.
 */
export async function joinAsMember(ctx: ServerContext, room: Room, user: UserRef): Promise<void> {
  if (room.options.ephemeral === true) return;
  if ((await removalOwed(ctx, room, [user.id])).length > 0) {
    throw builtInError(
      'FORBIDDEN',
      `You were removed from the encrypted room "${room.id}" and a member has not yet removed your devices from its group: try again later.`,
    );
  }
  await ctx.store.addMembers(room.id, [userRef(user)]);
  ctx.members.joined(room.id, user.id);
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
  if (out.length > 0) ctx.bus.emit('members:removed', room.id, out);
}
