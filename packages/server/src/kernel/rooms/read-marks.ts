import { builtInError, ID_LIMITS, type ReadState, type Room } from '@chat/protocol';
import type { ServerContext } from '../context.js';
import { announceRead } from '../../capabilities/conversations/room-activity.js';

/**
 * Moves the user's read mark of a room to `seq`: forward only (a lower seq leaves it), and
 * not beyond the last message (clamped). Needs the user to be a stored member (`NOT_IN_ROOM`).
 * Returns the mark after. When it moved, the room hears of it (coalesced `read` events).
 */
export async function markRead(ctx: ServerContext, userId: string, roomId: string, seq: number): Promise<number> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.ephemeral === true) throw builtInError('NOT_IN_ROOM', 'Ephemeral rooms keep no read marks.');
  const result = await ctx.store.markRead(roomId, userId, seq);
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

/** The join ack's read state: the joining user's mark and, in rooms of at most `readsInJoin` stored members, the others'. */
export async function readsForJoin(ctx: ServerContext, room: Room, userId: string): Promise<{ readSeq: number; reads: ReadState[] }> {
  if (room.options.ephemeral === true) return { readSeq: 0, reads: [] };
  const store = ctx.store;
  if ((await ctx.members.small(room.id)) === undefined) {
    // A big room is not listed for every join: its mark alone (a mark to 0 moves nothing and answers it).
    return { readSeq: (await store.markRead(room.id, userId, 0)).seq, reads: [] };
  }
  // Read fresh: marks move all the time, and the directory keeps only who the members are.
  const members = await store.listMembers(room.id);
  const own = members.find((m) => m.user.id === userId);
  if (members.length > ID_LIMITS.readsInJoin) return { readSeq: own?.readSeq ?? 0, reads: [] };
  return {
    readSeq: own?.readSeq ?? 0,
    reads: members.filter((m) => m.user.id !== userId).map((m) => ({ userId: m.user.id, seq: m.readSeq })),
  };
}
