import type { Room } from '@chat/protocol';
import type { ServerContext } from '../context.js';

/**
 * The mentions a new message keeps: ids of users present in the room now (on any process) or,
 * in a stored room, its stored members (a member who is offline is the one a mention must
 * reach), each once, in the order given. Others are dropped, not refused.
 */
export async function keepMentionable(ctx: ServerContext, room: Room, userIds: readonly string[] | undefined): Promise<string[]> {
  if (!userIds || userIds.length === 0) return [];
  const unique = [...new Set(userIds)];
  const present = await ctx.presence.lookup(room.id, unique);
  const absent = unique.filter((id) => !present.has(id));
  if (absent.length === 0 || room.options.ephemeral === true) return unique.filter((id) => present.has(id));
  // One read for every absent id: a message may mention thousands of a big room's members.
  const members = await ctx.store.memberLevels(room.id, absent);
  return unique.filter((id) => present.has(id) || members.has(id));
}
