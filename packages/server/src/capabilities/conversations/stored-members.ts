import { builtInError, ChatError, parsePayload, type Room, type UserRef } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { resolveUsers } from './direct-rooms.js';
import { awaitRemoval } from '../../kernel/rooms/removal-owed.js';

/** The room a host changes the members of: it must exist and keep members. */
async function memberRoom(ctx: CapabilityContext, roomId: string): Promise<Room> {
  parsePayload(ctx.schemas.roomId, roomId);
  const room = await ctx.store.getRoom(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.ephemeral === true) throw builtInError('VALIDATION_FAILED', 'Ephemeral rooms have no stored members.');
  return room;
}

/** `chat.addMembers`: makes users stored members of a room (a direct room's members are fixed). */
export async function addMembers(ctx: CapabilityContext, roomId: string, users: ReadonlyArray<string | UserRef>): Promise<void> {
  const room = await memberRoom(ctx, roomId);
  if (room.options.direct === true) {
    throw builtInError('VALIDATION_FAILED', "A direct room's members are fixed: open the direct room of the new set of users instead.");
  }
  const refs = await resolveUsers(ctx, users);
  if (refs.length === 0) return;
  for (const ref of refs) await notBanned(ctx, room, ref);
  // A user removed from an encrypted room comes back only once their old devices left its group.
  await awaitRemoval(
    ctx,
    room,
    refs.map((r) => r.id),
  );
  await ctx.store.addMembers(room.id, refs);
  ctx.members.forget(room.id);
  ctx.bus.emit(
    'members:added',
    room.id,
    refs.map((r) => r.id),
  );
}

/**
 * A ban stands until it is lifted: a banned user made a stored member again would be told of the
 * room's words while away (conversations, pushes) although they may not read it. `BANNED`, naming
 * them, and nobody is added.
 */
async function notBanned(ctx: CapabilityContext, room: Room, ref: UserRef): Promise<void> {
  try {
    await ctx.guard.notBanned(room, { id: ref.id, name: ref.name });
  } catch (error) {
    if (!(error instanceof ChatError) || error.code !== 'BANNED') throw error;
    const until = error.until === undefined ? '' : ` until ${error.until}`;
    throw builtInError(
      'BANNED',
      `"${ref.id}" is banned from this room${until}: lift the ban first (chat.unban), then add them. Nobody was added.`,
      {
        ...(error.until !== undefined && { until: error.until }),
      },
    );
  }
}

/** `chat.removeMembers`, the store's part: ends their membership (the caller takes their sockets out). */
export async function removeMembers(ctx: CapabilityContext, roomId: string, userIds: readonly string[]): Promise<string[]> {
  await memberRoom(ctx, roomId);
  if (!Array.isArray(userIds) || userIds.some((id) => typeof id !== 'string' || id === '')) {
    throw builtInError('VALIDATION_FAILED', 'Give the members to remove as a list of user ids.');
  }
  const ids = [...new Set<string>(userIds)];
  if (ids.length === 0) return ids;
  await ctx.store.removeMembers(roomId, ids);
  ctx.members.forget(roomId);
  ctx.bus.emit('members:removed', roomId, ids);
  return ids;
}
