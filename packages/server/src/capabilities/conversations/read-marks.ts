import { builtInError, ID_LIMITS } from '@chat/protocol';
import type { ServerContext } from '../../kernel/context.js';
import { announceRead } from './room-activity.js';
import { asStranger } from '../../kernel/rooms/membership.js';

/**
 * Moves the user's read mark of a room to `seq`: forward only (a lower seq leaves it), and
 * not beyond the last message (clamped). Needs the user to be a stored member (`NOT_IN_ROOM`).
 * Returns the mark after. When it moved, the room hears of it (coalesced `read` events).
 */
export async function markRead(ctx: ServerContext, userId: string, roomId: string, seq: number): Promise<number> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.ephemeral === true) throw builtInError('NOT_IN_ROOM', 'Ephemeral rooms keep no read marks.');
  const result = await ctx.store.markRead(roomId, userId, seq).catch((error: unknown) => asStranger(room, error));
  if (result.changed) ctx.reads.marked(roomId, userId, result.seq);
  return result.seq;
}

/**
 * What a coalesced read mark sends: `read` to the room when it has at most
 * `ID_LIMITS.readsInJoin` stored members (bigger rooms get no receipts), and `room:activity` to
 * the reader's sockets outside the room (their unread count changed).
 */
export async function publishRead(ctx: ServerContext, roomId: string, userId: string, seq: number): Promise<void> {
  const members = await ctx.members.small(roomId);
  if (members && members.length <= ID_LIMITS.readsInJoin) ctx.nsp.to(roomId).emit('read', { roomId, userId, seq });
  await announceRead(ctx, roomId, userId);
}
