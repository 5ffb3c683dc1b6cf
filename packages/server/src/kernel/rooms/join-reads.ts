import { ID_LIMITS, type ReadState, type Room } from '@chat/protocol';
import type { ServerContext } from '../context.js';

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
