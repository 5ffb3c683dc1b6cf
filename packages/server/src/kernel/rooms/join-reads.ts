import { ID_LIMITS, THREAD_READS_IN_JOIN, type ReadState, type Room, type ThreadRead } from '@chat/protocol';
import type { ServerContext } from '../context.js';

/** The join ack's read state: the joining user's mark and threads with unread replies, and in rooms of at most `readsInJoin` stored members, the others' marks. */
export async function readsForJoin(
  ctx: ServerContext,
  room: Room,
  userId: string,
): Promise<{ readSeq: number; reads: ReadState[]; threads: ThreadRead[] }> {
  if (room.options.ephemeral === true) return { readSeq: 0, reads: [], threads: [] };
  const [marks, threads] = await Promise.all([roomReads(ctx, room, userId), ctx.store.threadReads(room.id, userId, THREAD_READS_IN_JOIN)]);
  return { ...marks, threads };
}

async function roomReads(ctx: ServerContext, room: Room, userId: string): Promise<{ readSeq: number; reads: ReadState[] }> {
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
